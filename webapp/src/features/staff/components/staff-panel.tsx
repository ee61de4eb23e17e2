import type { Participant } from '@pexip/infinity';

import type { InfinitySession } from '@/lib/infinity';

import { useChat } from '../hooks/use-chat';
import { useConferenceLock } from '../hooks/use-conference-lock';
import { useParticipants } from '../hooks/use-participants';
import { Chat } from './chat';
import { ParticipantList } from './participant-list';

export interface StaffPanelProps {
  session: InfinitySession;
  displayName: string;
}

/** Host-only tools. Loaded lazily so citizens never download it. */
const StaffPanel = ({ session, displayName }: StaffPanelProps) => {
  const participants = useParticipants(session);
  const chat = useChat(session, displayName);
  const lock = useConferenceLock(session);
  const admit = (participant: Participant) => {
    void session.client.admit({ participantUuid: participant.uuid }).catch(() => undefined);
  };
  return (
    <aside className="staff" aria-label="Deltagere og chat">
      <div className="staff__section staff__lock">
        <button
          type="button"
          className="btn btn--toggle btn--secondary"
          data-testid="toggle-lock"
          aria-pressed={lock.locked}
          onClick={lock.toggle}
        >
          {lock.locked ? 'Mødet er låst' : 'Lås mødet'}
        </button>
        <p className="field__hint">
          {lock.locked ? 'Nye gæster venter, til du lukker dem ind.' : 'Gæster kommer ind med det samme.'}
        </p>
      </div>
      <ParticipantList participants={participants} onAdmit={admit} />
      <Chat chat={chat} />
    </aside>
  );
};

export default StaffPanel;
