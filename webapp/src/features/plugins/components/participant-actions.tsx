import type { PluginHost } from '../host/plugin-host';
import type { ParticipantActionButton } from '../host/ui-state';
import { useUiState } from '../use-ui-state';
import { PluginIcon } from './plugin-icon';

export interface ParticipantActionsProps {
  host: PluginHost;
  participantUuid: string;
  participantName: string;
}

/** The plugin actions for one participant (all, or those whose participantIDs name them). */
export const ParticipantActions = ({ host, participantUuid, participantName }: ParticipantActionsProps) => {
  const { buttons } = useUiState(host);
  const shown = buttons.filter(
    (b): b is ParticipantActionButton =>
      b.position === 'participantActions' && (!b.participantIDs || b.participantIDs.includes(participantUuid)),
  );
  if (shown.length === 0) return null;
  return (
    <span className="participants__plugin-actions">
      {shown.map((button) => (
        <button
          key={button.id}
          type="button"
          className="btn btn--secondary btn--small"
          data-testid="plugin-participant-action"
          data-plugin-id={button.pluginId}
          aria-pressed={button.isActive}
          aria-label={`${button.label}: ${participantName}`}
          onClick={() => host.clickButton(button, { participantUuid })}
        >
          {button.icon && <PluginIcon icon={button.icon} />}
          <span>{button.label}</span>
        </button>
      ))}
    </span>
  );
};
