import type { Participant } from '@pexip/infinity';

export const ParticipantList = ({ participants }: { participants: Participant[] }) => (
  <section className="staff__section" aria-labelledby="participants-heading">
    <h2 id="participants-heading">Deltagere ({participants.length})</h2>
    <ul className="participants" data-testid="participant-list">
      {participants.map((participant) => (
        <li key={participant.uuid} className="participants__item" data-testid="participant-item">
          <span className="participants__name">{participant.displayName || 'Ukendt'}</span>
          {participant.isHost && <span className="participants__tag">vært</span>}
          {participant.isMuted && <span className="participants__tag">lyd fra</span>}
        </li>
      ))}
    </ul>
  </section>
);
