import { MAIN_ROOM_ID, type Participant } from '@pexip/infinity';
import { useState } from 'react';

import { useSignal } from '@/hooks/use-signal';
import type { InfinitySession } from '@/lib/infinity';

const inMainRoom = (event: { id: string }): boolean => event.id === MAIN_ROOM_ID;

/** The main room's participants, kept in step with the node's events. */
export const useParticipants = (session: InfinitySession): Participant[] => {
  const { client, signals } = session;
  const [participants, setParticipants] = useState<Participant[]>(() => client.getParticipants(MAIN_ROOM_ID));

  const refresh = () => setParticipants(client.getParticipants(MAIN_ROOM_ID));
  const refreshIfMain = (events: { id: string }[]) => {
    if (events.some(inMainRoom)) refresh();
  };

  useSignal(signals.onParticipants, (event) => {
    if (inMainRoom(event)) setParticipants(event.participants);
  });
  useSignal(signals.onParticipantJoined, refreshIfMain);
  useSignal(signals.onParticipantLeft, refreshIfMain);
  useSignal(signals.onParticipantUpdated, refreshIfMain);

  return participants;
};
