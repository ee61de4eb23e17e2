import type { Participant } from '@pexip/infinity';
import { useEffect, useRef, useState } from 'react';

import type { Role } from '@/config/app-config';

/** A host who left and came straight back (a reconnect) is not worth a notice. */
const SETTLE_MS = 2500;

/**
 * For a guest: the host who was in the meeting and has left (null while a host is there,
 * and before one ever was). The node keeps guests a while after the last host left.
 */
export const useHostLeft = (role: Role, others: Participant[]): string | null => {
  const lastHost = useRef<string | null>(null);
  const [left, setLeft] = useState<string | null>(null);
  const host = others.find((p) => p.isHost && !p.isWaiting);
  const hostName = host ? host.displayName || '' : null;
  if (hostName !== null) lastHost.current = hostName;
  const gone = role === 'guest' && hostName === null && lastHost.current !== null;

  useEffect(() => {
    if (!gone) {
      setLeft(null);
      return undefined;
    }
    const timer = window.setTimeout(() => setLeft(lastHost.current), SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [gone]);

  return left;
};
