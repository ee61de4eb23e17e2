import { PEXIP_ICONS } from './pexip-icons';

/**
 * The icon names a plugin may give: `IconTypes` of @pexip/components, whose drawings
 * pexip-icons.ts holds (16.x to 19.x only ever added names).
 */
export const ICON_NAMES: ReadonlySet<string> = new Set(Object.keys(PEXIP_ICONS));
