import { useDisclosure } from '@/hooks/use-disclosure';

import { useT } from '@/lib/i18n';

import type { PluginHost } from '../host/plugin-host';
import { type SettingsMenuButton, visibleFor } from '../host/ui-state';
import { useUiState } from '../use-ui-state';

/**
 * The settings menu: a button in the page header that opens the plugins' entries (a
 * disclosure: Escape, a click outside or a choice closes it). Absent when it would be empty.
 */
export const SettingsMenu = ({ host }: { host: PluginHost }) => {
  const t = useT();
  const { buttons, role, inMeeting } = useUiState(host);
  const { rootRef, toggle, list, choose } = useDisclosure();
  const items = buttons.filter(
    (b): b is SettingsMenuButton =>
      b.position === 'settingsMenu' && visibleFor(b.roles, role) && (inMeeting || !b.inMeetingOnly),
  );
  if (items.length === 0) return null;
  return (
    <div className="plugin-menu" ref={rootRef}>
      <button {...toggle} className="btn btn--secondary btn--small" data-testid="settings-menu-button">
        {t('plugins.settings')}
      </button>
      <ul {...list} className="plugin-menu__list" data-testid="settings-menu">
        {items.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className="plugin-menu__item"
              data-testid="settings-menu-item"
              data-plugin-id={item.pluginId}
              onClick={choose(() => host.clickButton(item, undefined))}
            >
              {item.label}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
};
