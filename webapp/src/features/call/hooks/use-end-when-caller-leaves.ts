import type { Participant } from '@pexip/infinity';
import { useEffect, useEffectEvent, useState } from 'react';

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
  const hosts = others.filter((p) => p.isHost);
  const callerHere = caller !== null && hosts.some((p) => p.displayName === caller);
  // What was ever seen in the call, kept as the participants change (adjusted while rendering).
  const [seen, setSeen] = useState({ host: false, caller: false });
  const hadHost = seen.host || hosts.length > 0;
  const sawCaller = seen.caller || callerHere;
  if (hadHost !== seen.host || sawCaller !== seen.caller) setSeen({ host: hadHost, caller: sawCaller });
  const gone = enabled && (sawCaller ? !callerHere : hadHost && hosts.length === 0);
  const leave = useEffectEvent(() => onGone());
  useEffect(() => {
    if (!gone) return undefined;
    const timer = window.setTimeout(() => leave(), SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [gone]);
};
