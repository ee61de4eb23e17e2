import { MAIN_ROOM_ID } from '@pexip/infinity';
import { useCallback, useState } from 'react';

import { useSignal } from '@/hooks/use-signal';
import type { InfinitySession } from '@/lib/infinity';

export interface ConferenceLock {
  locked: boolean;
  toggle: () => void;
}

/** The meeting's lock as the node reports it; new guests wait to be let in while locked. */
export const useConferenceLock = (session: InfinitySession): ConferenceLock => {
  const { client, signals } = session;
  const [locked, setLocked] = useState(() => Boolean(client.conferenceStatus.get(MAIN_ROOM_ID)?.locked));
  useSignal(signals.onConferenceStatus, ({ id, status }) => {
    if (id === MAIN_ROOM_ID) setLocked(status.locked);
  });
  const toggle = useCallback(() => {
    void client.lock({ lock: !locked }).catch(() => undefined);
  }, [client, locked]);
  return { locked, toggle };
};
