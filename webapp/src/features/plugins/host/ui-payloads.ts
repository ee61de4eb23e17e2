/**
 * Checks of the UI payloads plugins send, turned into the host's own element shapes.
 * A bad payload is answered `{status: 'failed', reason}`, as Webapp3 does, and shows nothing.
 */
import { ICON_NAMES } from '../protocol/icon-names';
import { isRecord } from '../protocol/messages';
import { httpUrl } from '../protocol/sandbox';
import { sanitizeSvg } from '../protocol/svg';
import type {
  GroupItem,
  IconSpec,
  PluginButton,
  PluginRole,
  PluginToast,
  PluginWidget,
  PopupRequest,
  WidgetDimension,
} from './ui-state';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_LABEL = 200;
const MAX_GROUP = 20;
const MAX_PARTICIPANT_IDS = 500;

const label = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_LABEL;
const optionalBool = (value: unknown): value is boolean | undefined =>
  value === undefined || typeof value === 'boolean';

let iconSeq = 0;

/** A named icon, or `{custom: {main, hover}}` SVG text, sanitised. */
export const checkIcon = (icon: unknown): Checked<IconSpec> => {
  if (typeof icon === 'string') {
    return ICON_NAMES.has(icon) ? { ok: true, value: { name: icon } } : { ok: false, reason: 'Invalid Icon name' };
  }
  if (isRecord(icon) && isRecord(icon.custom)) {
    iconSeq += 1;
    const main = sanitizeSvg(icon.custom.main, `pi${iconSeq}m-`);
    const hover = icon.custom.hover === undefined ? main : sanitizeSvg(icon.custom.hover, `pi${iconSeq}h-`);
    if (main && hover) return { ok: true, value: { custom: { main, hover } } };
    return { ok: false, reason: 'Invalid custom icon: main and hover must be SVG documents' };
  }
  return { ok: false, reason: 'Invalid Icon name' };
};

const checkRoles = (roles: unknown): Checked<PluginRole[] | undefined> => {
  if (roles === undefined) return { ok: true, value: undefined };
  if (Array.isArray(roles) && roles.every((role) => role === 'chair' || role === 'guest')) {
    return { ok: true, value: roles as PluginRole[] };
  }
  return { ok: false, reason: "roles must be a list of 'chair' and 'guest'" };
};

const checkPopup = (popup: unknown, base: string): Checked<PopupRequest | undefined> => {
  if (popup === undefined) return { ok: true, value: undefined };
  if (!isRecord(popup) || !label(popup.id) || !Array.isArray(popup.openParams)) {
    return { ok: false, reason: 'opensPopup needs {id, openParams}' };
  }
  const [url, target, features] = popup.openParams as unknown[];
  const resolved = httpUrl(url, base);
  if (!resolved) return { ok: false, reason: 'opensPopup: the URL must be http or https' };
  return {
    ok: true,
    value: {
      id: popup.id,
      url: resolved,
      // '' is what plugins pass for "a new window" (window.open's own default is _blank).
      target: typeof target === 'string' && target !== '' ? target.slice(0, 100) : '_blank',
      features: popupFeatures(features),
    },
  };
};

const SIZE_FEATURE = /^(width|height|left|top|innerwidth|innerheight|screenx|screeny)=\d{1,5}$/;

/**
 * The window features of `openParams[2]` the host passes on: sizes and positions (and
 * `popup`). Never `noopener`/`noreferrer`: the popup must be able to report back (a log-in
 * popup posts its result to `window.opener`), which they would cut.
 */
export const popupFeatures = (features: unknown): string => {
  if (typeof features !== 'string') return '';
  const kept = features
    .toLowerCase()
    .split(',')
    .map((part) => part.replace(/\s+/g, ''))
    .filter((part) => SIZE_FEATURE.test(part) || part === 'popup' || part === 'popup=1' || part === 'popup=yes');
  return kept.slice(0, 8).join(',');
};

const badgeOf = (badge: unknown): Checked<boolean> => {
  if (badge === undefined) return { ok: true, value: false };
  if (isRecord(badge) && typeof badge.isVisible === 'boolean') return { ok: true, value: badge.isVisible };
  return { ok: false, reason: 'badge must be {isVisible: boolean}' };
};

interface Owner {
  id: string;
  chanId: string;
  pluginId: string;
  order: number;
  /** Where relative popup URLs resolve (the plugin's own address). */
  base: string;
}

/**
 * A tooltip may be left out, as Webapp3 accepts (plugin-api dist/types.d.ts types it
 * required, but Webapp3 draws the button without one): the button is then named after its
 * plugin (components/toolbar-buttons.tsx).
 */
const optionalLabel = (value: unknown): value is string | undefined =>
  value === undefined || value === '' || label(value);

type Look = Pick<GroupItem, 'icon' | 'tooltip' | 'badge' | 'roles' | 'isActive'>;

/**
 * What a toolbar button and a group's item both show: icon, tooltip, badge, roles and
 * pressed state (the tooltip and isActive already checked by the caller).
 */
const checkLook = (raw: Record<string, unknown>): Checked<Look> => {
  const icon = checkIcon(raw.icon);
  if (!icon.ok) return icon;
  const roles = checkRoles(raw.roles);
  if (!roles.ok) return roles;
  const badge = badgeOf(raw.badge);
  if (!badge.ok) return badge;
  return {
    ok: true,
    value: {
      icon: icon.value,
      ...(typeof raw.tooltip === 'string' && raw.tooltip ? { tooltip: raw.tooltip } : {}),
      badge: badge.value,
      ...(roles.value ? { roles: roles.value } : {}),
      ...(typeof raw.isActive === 'boolean' ? { isActive: raw.isActive } : {}),
    },
  };
};

const checkGroupItem = (raw: unknown, base: string): Checked<GroupItem> => {
  if (!isRecord(raw) || !label(raw.id) || !optionalLabel(raw.tooltip) || !optionalBool(raw.isActive)) {
    return { ok: false, reason: 'A group button needs an id and an icon' };
  }
  // GroupButtonPayload extends ToolbarButtonPayload (plugin-api dist/types.d.ts): each item
  // may open its own popup.
  const popup = checkPopup(raw.opensPopup, base);
  if (!popup.ok) return popup;
  const look = checkLook(raw);
  if (!look.ok) return look;
  return { ok: true, value: { id: raw.id, ...look.value, ...(popup.value ? { opensPopup: popup.value } : {}) } };
};

/** `ui:button:add` / `ui:button:update` payloads by position. */
export const checkButton = (payload: unknown, owner: Owner): Checked<PluginButton> => {
  if (!isRecord(payload)) return { ok: false, reason: 'A button needs a payload' };
  const popup = checkPopup(payload.opensPopup, owner.base);
  if (!popup.ok) return popup;
  const base = {
    id: owner.id,
    chanId: owner.chanId,
    pluginId: owner.pluginId,
    order: owner.order,
    ...(popup.value ? { opensPopup: popup.value } : {}),
  };
  switch (payload.position) {
    case 'toolbar': {
      if (!optionalLabel(payload.tooltip))
        return { ok: false, reason: `A tooltip is text of at most ${MAX_LABEL} characters` };
      if (!optionalBool(payload.isActive)) return { ok: false, reason: 'isActive must be a boolean' };
      const look = checkLook(payload);
      if (!look.ok) return look;
      let group: GroupItem[] | undefined;
      if (payload.group !== undefined) {
        if (!Array.isArray(payload.group) || payload.group.length > MAX_GROUP) {
          return { ok: false, reason: `group must be a list of at most ${MAX_GROUP} buttons` };
        }
        group = [];
        for (const raw of payload.group as unknown[]) {
          const item = checkGroupItem(raw, owner.base);
          if (!item.ok) return item;
          group.push(item.value);
        }
      }
      return {
        ok: true,
        value: {
          ...base,
          position: 'toolbar',
          ...look.value,
          ...(group ? { group } : {}),
        },
      };
    }
    case 'participantActions': {
      if (!label(payload.label)) return { ok: false, reason: 'A participant action needs a label' };
      if (!optionalBool(payload.isActive)) return { ok: false, reason: 'isActive must be a boolean' };
      const ids = payload.participantIDs;
      if (
        ids !== undefined &&
        !(Array.isArray(ids) && ids.length <= MAX_PARTICIPANT_IDS && ids.every((id) => typeof id === 'string'))
      ) {
        return { ok: false, reason: 'participantIDs must be a list of participant uuids' };
      }
      let icon: IconSpec | undefined;
      if (payload.icon !== undefined) {
        const checked = checkIcon(payload.icon);
        if (!checked.ok) return checked;
        icon = checked.value;
      }
      return {
        ok: true,
        value: {
          ...base,
          position: 'participantActions',
          label: payload.label,
          ...(ids ? { participantIDs: ids as string[] } : {}),
          ...(icon ? { icon } : {}),
          ...(payload.isActive === undefined ? {} : { isActive: payload.isActive }),
        },
      };
    }
    case 'settingsMenu': {
      if (!label(payload.label)) return { ok: false, reason: 'A settings menu button needs a label' };
      if (!optionalBool(payload.inMeetingOnly)) return { ok: false, reason: 'inMeetingOnly must be a boolean' };
      const roles = checkRoles(payload.roles);
      if (!roles.ok) return roles;
      return {
        ok: true,
        value: {
          ...base,
          position: 'settingsMenu',
          label: payload.label,
          inMeetingOnly: payload.inMeetingOnly ?? false,
          ...(roles.value ? { roles: roles.value } : {}),
        },
      };
    }
    default:
      return { ok: false, reason: "position must be 'toolbar', 'participantActions' or 'settingsMenu'" };
  }
};

export const MAX_TOAST = 500;
export const DEFAULT_TOAST_MS = 5000;

/** `ui:toast:show`. */
export const checkToast = (payload: unknown, id: string): Checked<PluginToast & { isInterrupt: boolean }> => {
  if (!isRecord(payload) || typeof payload.message !== 'string' || payload.message.length === 0) {
    return { ok: false, reason: 'A toast needs a message' };
  }
  const { isDanger, isInterrupt, position, timeout, canDismiss } = payload;
  if (!optionalBool(isDanger) || !optionalBool(isInterrupt) || !optionalBool(canDismiss)) {
    return { ok: false, reason: 'isDanger, isInterrupt and canDismiss must be booleans' };
  }
  if (position !== undefined && position !== 'topCenter' && position !== 'bottomCenter') {
    return { ok: false, reason: "position must be 'topCenter' or 'bottomCenter'" };
  }
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0 && Number.isFinite(timeout))) {
    return { ok: false, reason: 'timeout must be a number of milliseconds' };
  }
  const ms = timeout ?? DEFAULT_TOAST_MS;
  return {
    ok: true,
    value: {
      id,
      message: payload.message.slice(0, MAX_TOAST),
      isDanger: isDanger ?? false,
      isInterrupt: isInterrupt ?? false,
      position: position ?? 'topCenter',
      timeout: Math.min(ms, 60_000),
      // A toast that never goes away on its own can always be closed.
      canDismiss: (canDismiss ?? false) || ms === 0,
    },
  };
};

const CSS_SIZE = /^\d{1,4}(\.\d{1,2})?(px|%|vw|vh|dvh|dvw|rem|em)$/;
const BREAKPOINT_KEYS = new Set(['xs', 'sm', 'md', 'lg', 'xl', 'mobilePortrait', 'mobileLandscape']);

const checkDimension = (value: unknown): Checked<WidgetDimension | undefined> => {
  if (value === undefined) return { ok: true, value: undefined };
  if (typeof value === 'string' && CSS_SIZE.test(value)) return { ok: true, value };
  if (
    isRecord(value) &&
    Object.entries(value).every(
      ([key, size]) => BREAKPOINT_KEYS.has(key) && typeof size === 'string' && CSS_SIZE.test(size),
    )
  ) {
    return { ok: true, value: value as Record<string, string> };
  }
  return { ok: false, reason: 'dimensions must be CSS sizes (e.g. 400px, 30%) or a breakpoint map of them' };
};

const POSITIONS = new Set(['topLeft', 'bottomLeft', 'center', 'topRight', 'bottomRight']);

/** `ui:widget:add`: `src` resolves against the plugin's own address. */
export const checkWidget = (
  payload: unknown,
  owner: Owner & { sandbox: string[]; allow?: string },
): Checked<PluginWidget> => {
  if (!isRecord(payload) || !label(payload.title)) return { ok: false, reason: 'A widget needs a src and a title' };
  const src = httpUrl(payload.src, owner.base);
  if (!src) return { ok: false, reason: 'A widget src must be an http or https URL' };
  if (payload.type !== 'sidePanel' && payload.type !== 'floating') {
    return { ok: false, reason: "type must be 'sidePanel' or 'floating'" };
  }
  const floating = payload.type === 'floating';
  if (!optionalBool(payload.draggable) || !optionalBool(payload.isVisible)) {
    return { ok: false, reason: 'draggable and isVisible must be booleans' };
  }
  if (payload.position !== undefined && !POSITIONS.has(String(payload.position))) {
    return { ok: false, reason: 'position must be topLeft, bottomLeft, center, topRight or bottomRight' };
  }
  const dimensions = isRecord(payload.dimensions) ? payload.dimensions : {};
  const width = checkDimension(dimensions.width);
  if (!width.ok) return width;
  const height = checkDimension(dimensions.height);
  if (!height.ok) return height;
  const avoid = isRecord(payload.avoidAutoToggle) ? payload.avoidAutoToggle : {};
  return {
    ok: true,
    value: {
      id: owner.id,
      chanId: owner.chanId,
      pluginId: owner.pluginId,
      order: owner.order,
      src,
      title: payload.title,
      type: payload.type,
      draggable: floating && payload.draggable !== false,
      position: (payload.position as PluginWidget['position'] | undefined) ?? 'topRight',
      ...(floating && width.value ? { width: width.value } : {}),
      ...(floating && height.value ? { height: height.value } : {}),
      visible: floating && payload.isVisible === true,
      closeOnlyOnRequest: avoid.headerCloseButton === true,
      sandbox: owner.sandbox,
      allow: owner.allow ?? '',
    },
  };
};

/** `app:setDisconnectDestination`: http and https only. */
export const checkDestination = (payload: unknown): Checked<string> => {
  const url = isRecord(payload) ? payload.url : undefined;
  if (typeof url !== 'string') return { ok: false, reason: 'url must be a string' };
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return { ok: true, value: parsed.href };
  } catch {
    // falls through
  }
  return { ok: false, reason: 'The disconnect destination must be an absolute http or https URL' };
};

/** `ui:prompt:open`: a title, an optional description, one or two answers (button labels). */
export const checkPrompt = (
  payload: unknown,
): Checked<{ title: string; description?: string; primaryAction: string; secondaryAction?: string }> => {
  const fail = { ok: false as const, reason: 'A prompt needs a title and prompt: {primaryAction, secondaryAction?}' };
  if (!isRecord(payload) || !isRecord(payload.prompt) || !label(payload.title)) return fail;
  const { primaryAction, secondaryAction } = payload.prompt;
  const { description } = payload;
  if (!label(primaryAction) || !(secondaryAction === undefined || label(secondaryAction))) return fail;
  if (!(description === undefined || typeof description === 'string')) return fail;
  return {
    ok: true,
    value: {
      title: payload.title,
      ...(description === undefined ? {} : { description: description.slice(0, 2000) }),
      primaryAction,
      ...(secondaryAction === undefined ? {} : { secondaryAction }),
    },
  };
};
