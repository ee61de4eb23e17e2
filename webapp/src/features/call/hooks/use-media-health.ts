import type { Stats } from '@pexip/infinity';
import { useEffect, useRef, useState } from 'react';

import { useSignal } from '@/hooks/use-signal';
import type { InfinitySession } from '@/lib/infinity';

import { initialMediaHealth, mediaInterrupted, observePackets } from '../media-health';

const packetsIn = (stats: Stats): number =>
  (stats.inbound.audio?.packetsTransmitted ?? 0) + (stats.inbound.video?.packetsTransmitted ?? 0);

/**
 * True while picture and sound have stopped reaching us in a call (see media-health.ts):
 * the path broke though signalling may be fine. The client's own ICE restart mends it.
 */
export const useMediaInterrupted = (session: InfinitySession, inCall: boolean): boolean => {
  const health = useRef(initialMediaHealth);
  const [interrupted, setInterrupted] = useState(false);
  // Out of the call: nothing to report (adjusted while rendering).
  if (!inCall && interrupted) setInterrupted(false);
  useSignal(session.callSignals.onRtcStats, (stats) => {
    health.current = observePackets(health.current, packetsIn(stats), Date.now());
  });
  useEffect(() => {
    if (!inCall) return undefined;
    health.current = initialMediaHealth;
    const timer = window.setInterval(() => setInterrupted(mediaInterrupted(health.current, Date.now())), 500);
    return () => window.clearInterval(timer);
  }, [inCall]);
  return inCall && interrupted;
};
