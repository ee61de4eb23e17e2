import type { Participant } from '@pexip/infinity';

import { Button } from '@/components/button';

export interface ParticipantListProps {
  participants: Participant[];
  onAdmit: (participant: Participant) => void;
}

export const ParticipantList = ({ participants, onAdmit }: ParticipantListProps) => (
  <section className="staff__section" aria-labelledby="participants-heading">
    <h2 id="participants-heading">Deltagere ({participants.length})</h2>
    <ul className="participants" data-testid="participant-list">
      {participants.map((participant) => (
        <li
          key={participant.uuid}
          className="participants__item"
          data-testid="participant-item"
          data-waiting={participant.isWaiting}
        >
          <span className="participants__name">{participant.displayName || 'Ukendt'}</span>
          {participant.isHost && <span className="participants__tag">vært</span>}
          {(participant.isMuted || participant.isClientMuted) && <span className="participants__tag">lyd fra</span>}
          {participant.isWaiting && (
            <span className="participants__actions">
              <span className="participants__tag">venter</span>
              <Button
                testId="admit-button"
                aria-label={`Luk ${participant.displayName || 'deltageren'} ind`}
                onClick={() => onAdmit(participant)}
              >
                Luk ind
              </Button>
            </span>
          )}
        </li>
      ))}
    </ul>
  </section>
);
