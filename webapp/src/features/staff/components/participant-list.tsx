import type { Participant } from '@pexip/infinity';

import { Button } from '@/components/button';
import { useT } from '@/lib/i18n';
import { usePluginSlots } from '@/lib/plugin-slots';

export interface ParticipantListProps {
  participants: Participant[];
  silent: ReadonlySet<string>;
  onAdmit: (participant: Participant) => void;
}

export const ParticipantList = ({ participants, silent, onAdmit }: ParticipantListProps) => {
  const t = useT();
  const plugins = usePluginSlots();
  return (
    <section className="staff__section" aria-labelledby="participants-heading">
      <h2 id="participants-heading">{t('staff.participants', { count: participants.length })}</h2>
      <ul className="participants" data-testid="participant-list">
        {participants.map((participant) => (
          <li
            key={participant.uuid}
            className="participants__item"
            data-testid="participant-item"
            data-waiting={participant.isWaiting}
          >
            <span className="participants__name">{participant.displayName || t('call.unknownName')}</span>
            {participant.isHost && <span className="participants__tag">{t('staff.tag.host')}</span>}
            {(participant.isMuted || participant.isClientMuted) && (
              <span className="participants__tag">{t('staff.tag.muted')}</span>
            )}
            {silent.has(participant.uuid) && (
              <span className="participants__tag participants__tag--warn" data-testid="participant-reconnecting">
                {t('staff.tag.reconnecting')}
              </span>
            )}
            {participant.isWaiting && (
              <span className="participants__actions">
                <span className="participants__tag">{t('staff.tag.waiting')}</span>
                <Button
                  testId="admit-button"
                  aria-label={t('staff.admitName', { name: participant.displayName || t('staff.theParticipant') })}
                  onClick={() => onAdmit(participant)}
                >
                  {t('staff.admit')}
                </Button>
              </span>
            )}
            {plugins && (
              <plugins.ParticipantActions
                participantUuid={participant.uuid}
                participantName={participant.displayName || t('staff.theParticipant')}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
};
