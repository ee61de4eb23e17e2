import { createElement, type ReactElement, useSyncExternalStore } from 'react';

import { sanitizeSvg, type SvgNode } from '../protocol/svg';
import type { IconSpec } from '../host/ui-state';

/** Pexip's drawing of a named icon, sanitised once (protocol/svg.ts) like a plugin's own. */
const named = new Map<string, SvgNode | null>();
export const drawIcon = (name: string, svgs: Readonly<Record<string, string>>): SvgNode | null => {
  if (!named.has(name)) named.set(name, sanitizeSvg(svgs[name], `px-${name}-`));
  return named.get(name) ?? null;
};

/**
 * The drawings (some 20 KB gzipped) load in a chunk of their own, asked for as soon as the
 * plugin host starts (long before a plugin's button shows in the call).
 */
let drawings: Readonly<Record<string, string>> | null = null;
const waiting = new Set<() => void>();
void import('../protocol/pexip-icons').then(
  ({ PEXIP_ICONS }) => {
    drawings = PEXIP_ICONS;
    for (const notify of waiting) notify();
  },
  () => undefined, // the generic glyph stays; the button's name says what it does
);
const onDrawings = (notify: () => void) => {
  waiting.add(notify);
  return () => waiting.delete(notify);
};
const useDrawings = () => useSyncExternalStore(onDrawings, () => drawings);

/** Four dots in a square: only for a name Pexip's set lacks (never passes checkIcon). */
const GENERIC = 'M5 5h6v6H5zm8 0h6v6h-6zM5 13h6v6H5zm8 0h6v6h-6z';

const renderNode = (node: SvgNode, key?: number): ReactElement =>
  createElement(node.tag, { ...node.attrs, key }, ...node.children.map((child, index) => renderNode(child, index)));

/** A plugin's own SVG, already sanitised to known shapes (see protocol/svg.ts). */
const CustomSvg = ({ node, className }: { node: SvgNode; className: string }) =>
  createElement(
    'svg',
    { ...node.attrs, className, width: 28, height: 28, 'aria-hidden': true, focusable: 'false' },
    ...node.children.map((child, index) => renderNode(child, index)),
  );

export const PluginIcon = ({ icon }: { icon: IconSpec }) => {
  const svgs = useDrawings();
  if ('custom' in icon) {
    return (
      <span className="plugin-icon">
        <CustomSvg node={icon.custom.main} className="icon plugin-icon__main" />
        <CustomSvg node={icon.custom.hover} className="icon plugin-icon__hover" />
      </span>
    );
  }
  const drawing = svgs ? drawIcon(icon.name, svgs) : null;
  if (drawing) {
    return (
      <span className="plugin-icon" data-icon={icon.name}>
        <CustomSvg node={drawing} className="icon" />
      </span>
    );
  }
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="28"
      height="28"
      aria-hidden="true"
      focusable="false"
      data-icon={icon.name}
    >
      <path d={GENERIC} fill="currentColor" />
    </svg>
  );
};
