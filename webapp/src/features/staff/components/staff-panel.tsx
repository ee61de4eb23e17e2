import type { InfinitySession } from '@/lib/infinity';

import { useChat } from '../hooks/use-chat';
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
  return (
    <aside className="staff" aria-label="Deltagere og chat">
      <ParticipantList participants={participants} />
      <Chat chat={chat} />
    </aside>
  );
};

export default StaffPanel;
