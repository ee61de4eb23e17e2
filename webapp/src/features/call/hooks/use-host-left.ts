import type { Participant } from '@pexip/infinity';
import { useEffect, useState } from 'react';

import type { Role } from '@/config/app-config';

/** A host who left and came straight back (a reconnect) is not worth a notice. */
const SETTLE_MS = 2500;

/**
 * For a guest: the host who was in the meeting and has left (null while a host is there,
 * and before one ever was). The node keeps guests a while after the last host left.
 */
export const useHostLeft = (role: Role, others: Participant[]): string | null => {
  const [lastHost, setLastHost] = useState<string | null>(null);
  const [left, setLeft] = useState<string | null>(null);
  const host = others.find((p) => p.isHost && !p.isWaiting);
  const hostName = host ? host.displayName || '' : null;
  // Adjusted while rendering, as the participants change: the last host seen; no notice while one is here.
  if (hostName !== null && hostName !== lastHost) setLastHost(hostName);
  const gone = role === 'guest' && hostName === null && lastHost !== null;
  if (!gone && left !== null) setLeft(null);

  useEffect(() => {
    if (!gone) return undefined;
    const timer = window.setTimeout(() => setLeft(lastHost), SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [gone, lastHost]);

  return left;
};
