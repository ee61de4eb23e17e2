import type { Participant } from '@pexip/infinity';
import { useEffect, useRef } from 'react';

/** A host gone this long is gone (not a rejoin, which seats the new one before the old goes). */
const SETTLE_MS = 800;

/**
 * A called device's call is the caller's: once the host who rang has left (when she was seen
 * in the call; else once no host is left), the call is over for the device at once (the node
 * would keep it a minute, camera live, in a room without her).
 */
export const useEndWhenCallerLeaves = (
  enabled: boolean,
  caller: string | null,
  others: Participant[],
  onGone: () => void,
): void => {
  const hadHost = useRef(false);
  const sawCaller = useRef(false);
  const hosts = others.filter((p) => p.isHost);
  const callerHere = caller !== null && hosts.some((p) => p.displayName === caller);
  if (hosts.length > 0) hadHost.current = true;
  if (callerHere) sawCaller.current = true;
  const gone = enabled && (sawCaller.current ? !callerHere : hadHost.current && hosts.length === 0);
  const onGoneRef = useRef(onGone);
  onGoneRef.current = onGone;
  useEffect(() => {
    if (!gone) return undefined;
    const timer = window.setTimeout(() => onGoneRef.current(), SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [gone]);
};
