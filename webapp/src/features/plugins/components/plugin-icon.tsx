import { createElement, type ReactElement } from 'react';

import type { SvgNode } from '../protocol/svg';
import type { IconSpec } from '../host/ui-state';

/**
 * Our own drawings of the icon names plugins use most. Any other valid IconTypes name gets
 * the generic plugin glyph: the button's text says what it does either way.
 */
const PATHS: Record<string, string> = {
  IconSupport:
    'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 4a4 4 0 0 1 4 4c0 1.7-1 2.6-1.9 3.3-.6.5-1.1.9-1.1 1.7h-2c0-1.8 1-2.6 1.8-3.2.7-.6 1.2-1 1.2-1.8a2 2 0 0 0-4 0H8a4 4 0 0 1 4-4zm-1 10h2v2h-2z',
  IconHelpRound:
    'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 4a4 4 0 0 1 4 4c0 1.7-1 2.6-1.9 3.3-.6.5-1.1.9-1.1 1.7h-2c0-1.8 1-2.6 1.8-3.2.7-.6 1.2-1 1.2-1.8a2 2 0 0 0-4 0H8a4 4 0 0 1 4-4zm-1 10h2v2h-2z',
  IconInfoRound: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm-1 5h2v2h-2zm0 4h2v6h-2z',
  IconChat: 'M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2zm3 5v2h10V8zm0 4v2h7v-2z',
  IconPhone:
    'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.3c1.1.4 2.3.6 3.6.6a1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.3.2 2.5.6 3.6a1 1 0 0 1-.3 1z',
  IconPhoneTalk:
    'M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.3c1.1.4 2.3.6 3.6.6a1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.3.2 2.5.6 3.6a1 1 0 0 1-.3 1zM14 3a7 7 0 0 1 7 7h-2a5 5 0 0 0-5-5z',
  IconAdd: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z',
  IconPlus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z',
  IconAddSomeone: 'M9 4a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm0 10c4 0 7 2 7 4v2H2v-2c0-2 3-4 7-4zm9-6h2v3h3v2h-3v3h-2v-3h-3v-2h3z',
  IconParticipant: 'M12 4a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm0 10c4.4 0 8 2 8 4.5V20H4v-1.5C4 16 7.6 14 12 14z',
  IconGroup:
    'M9 5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7zm7 1a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM9 14c3.9 0 7 1.8 7 4v2H2v-2c0-2.2 3.1-4 7-4zm8.5.2c2.6.3 4.5 1.7 4.5 3.3V20h-4v-2c0-1.5-.2-2.7-.5-3.8z',
  IconSettings:
    'M19.4 13a7.8 7.8 0 0 0 0-2l2.1-1.6-2-3.4-2.5 1a7.6 7.6 0 0 0-1.7-1L15 3.3h-4l-.4 2.7a7.6 7.6 0 0 0-1.7 1l-2.5-1-2 3.4L6.6 11a7.8 7.8 0 0 0 0 2l-2.1 1.6 2 3.4 2.5-1c.5.4 1.1.7 1.7 1l.4 2.7h4l.4-2.7c.6-.3 1.2-.6 1.7-1l2.5 1 2-3.4zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z',
  IconMail: 'M3 5h18a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm9 7 8-5H4z',
  IconSend: 'M3 20V4l19 8z',
  IconLink:
    'M10.6 13.4a1 1 0 0 1 0-1.4l3.5-3.5a1 1 0 1 1 1.4 1.4L12 13.4a1 1 0 0 1-1.4 0zM7 17a3 3 0 0 1 0-4.2l2-2 1.4 1.4-2 2a1 1 0 0 0 1.4 1.4l2-2 1.4 1.4-2 2A3 3 0 0 1 7 17zm6.6-5.6-1.4-1.4 2-2a1 1 0 0 0-1.4-1.4l-2 2-1.4-1.4 2-2A3 3 0 1 1 15.6 9.4z',
  IconClose: 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z',
  IconCheckmark: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  IconBell: 'M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6V11a6 6 0 0 0-5-5.9V4h-2v1.1A6 6 0 0 0 6 11v5l-2 2v1h16v-1z',
  IconCalendar: 'M7 2h2v2h6V2h2v2h3a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1h3zM5 9v10h14V9z',
  IconStar: 'm12 3 2.8 5.8 6.2.9-4.5 4.4 1 6.2L12 17.4l-5.5 2.9 1-6.2L3 9.7l6.2-.9z',
  IconTranscript: 'M5 3h10l4 4v14H5zm3 7v2h8v-2zm0 4v2h8v-2zm0-8v2h5V6z',
  IconLock: 'M7 10V7a5 5 0 0 1 10 0v3h1a1 1 0 0 1 1 1v10H5V11a1 1 0 0 1 1-1zm2 0h6V7a3 3 0 0 0-6 0z',
  IconWarning: 'M12 2 1 21h22zm-1 7h2v6h-2zm0 8h2v2h-2z',
};

/** Four dots in a square: "something a plugin added". */
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
  if ('custom' in icon) {
    return (
      <span className="plugin-icon">
        <CustomSvg node={icon.custom.main} className="icon plugin-icon__main" />
        <CustomSvg node={icon.custom.hover} className="icon plugin-icon__hover" />
      </span>
    );
  }
  return (
    <svg className="icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false" data-icon={icon.name}>
      <path d={PATHS[icon.name] ?? GENERIC} fill="currentColor" />
    </svg>
  );
};
