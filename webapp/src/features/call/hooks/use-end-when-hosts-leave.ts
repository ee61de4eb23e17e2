import type { Participant } from '@pexip/infinity';
import { useEffect, useRef } from 'react';

/** A host gone this long is gone (not a rejoin, which seats the new one before the old goes). */
const SETTLE_MS = 800;

/**
 * A called device's call is the caller's: once a host was there and none is left, the call is
 * over for the device at once (the node would keep it a minute, camera live, in an empty room).
 */
export const useEndWhenHostsLeave = (enabled: boolean, others: Participant[], onGone: () => void): void => {
  const hadHost = useRef(false);
  const hostHere = others.some((p) => p.isHost);
  if (hostHere) hadHost.current = true;
  const gone = enabled && hadHost.current && !hostHere;
  const onGoneRef = useRef(onGone);
  onGoneRef.current = onGone;
  useEffect(() => {
    if (!gone) return undefined;
    const timer = window.setTimeout(() => onGoneRef.current(), SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [gone]);
};
