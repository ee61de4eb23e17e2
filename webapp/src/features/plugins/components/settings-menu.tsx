import { DisclosureMenu } from '@/components/disclosure-menu';
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
  const items = buttons.filter(
    (b): b is SettingsMenuButton =>
      b.position === 'settingsMenu' && visibleFor(b.roles, role) && (inMeeting || !b.inMeetingOnly),
  );
  if (items.length === 0) return null;
  return (
    <DisclosureMenu
      className="plugin-menu"
      button={(toggle) => (
        <button {...toggle} className="btn btn--secondary btn--small" data-testid="settings-menu-button">
          {t('plugins.settings')}
        </button>
      )}
      list={{ className: 'plugin-menu__list', testId: 'settings-menu' }}
      items={items}
      item={(item, choose) => (
        <button
          type="button"
          className="plugin-menu__item"
          data-testid="settings-menu-item"
          data-plugin-id={item.pluginId}
          onClick={choose(() => host.clickButton(item, undefined))}
        >
          {item.label}
        </button>
      )}
    />
  );
};
