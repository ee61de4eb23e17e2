import { DisclosureMenu } from '@/components/disclosure-menu';

import type { PluginHost } from '../host/plugin-host';
import { type GroupItem, type ToolbarButton, visibleFor } from '../host/ui-state';
import { useUiState } from '../use-ui-state';
import { PluginIcon } from './plugin-icon';

const nameOf = (tooltip: string, badge: boolean): string => (badge ? `${tooltip} (ny aktivitet)` : tooltip);

/** A button without a tooltip (Webapp3 accepts it) still needs a name: its plugin's. */
const labelOf = (button: ToolbarButton): string => button.tooltip ?? `Udvidelse ${button.pluginId}`;

const Badge = ({ shown }: { shown: boolean }) => (shown ? <span className="plugin-badge" aria-hidden="true" /> : null);

/** A toolbar button (alone, or opening its group): its looks, test id and name. */
const toolbarProps = (button: ToolbarButton, badge: boolean) => ({
  className: 'btn btn--toggle btn--plugin',
  'data-testid': 'plugin-toolbar-button',
  'data-plugin-id': button.pluginId,
  'aria-label': nameOf(labelOf(button), badge),
  title: button.tooltip,
});

/** Its face: the plugin's icon, the activity badge and the caption under it. */
const ToolbarFace = ({ button, badge }: { button: ToolbarButton; badge: boolean }) => (
  <>
    <PluginIcon icon={button.icon} />
    <Badge shown={badge} />
    <span className="btn__caption" aria-hidden="true">
      {button.tooltip}
    </span>
  </>
);

/** A group: the button opens its list of buttons (a disclosure, closed by Escape or a choice). */
const GroupButton = ({ host, button, items }: { host: PluginHost; button: ToolbarButton; items: GroupItem[] }) => {
  const badge = button.badge || items.some((item) => item.badge);
  return (
    <DisclosureMenu
      className="plugin-group"
      button={(toggle) => (
        <button {...toggle} {...toolbarProps(button, badge)}>
          <ToolbarFace button={button} badge={badge} />
        </button>
      )}
      list={{ className: 'plugin-group__list' }}
      items={items}
      item={(item, choose) => (
        <button
          type="button"
          className="plugin-group__item"
          data-testid="plugin-group-item"
          aria-pressed={item.isActive}
          aria-label={nameOf(item.tooltip ?? item.id, item.badge)}
          onClick={choose(() => host.clickButton(button, { buttonId: item.id }, item.opensPopup))}
        >
          <PluginIcon icon={item.icon} />
          <Badge shown={item.badge} />
          <span aria-hidden="true">{item.tooltip}</span>
        </button>
      )}
    />
  );
};

/** Plugin buttons in the call controls' toolbar, for the person's role. */
export const ToolbarButtons = ({ host }: { host: PluginHost }) => {
  const { buttons, role } = useUiState(host);
  const shown = buttons.filter((b): b is ToolbarButton => b.position === 'toolbar' && visibleFor(b.roles, role));
  return (
    <>
      {shown.map((button) => {
        const items = button.group?.filter((item) => visibleFor(item.roles, role));
        if (items) return <GroupButton key={button.id} host={host} button={button} items={items} />;
        return (
          <button
            key={button.id}
            type="button"
            {...toolbarProps(button, button.badge)}
            aria-pressed={button.isActive}
            onClick={() => host.clickButton(button, { buttonId: button.id })}
          >
            <ToolbarFace button={button} badge={button.badge} />
          </button>
        );
      })}
    </>
  );
};
