import { useEffect, useState } from 'react';

import { apiJson } from '@/lib/api-client';

import { type MeetingClock, parseClock } from '../meeting-clock';

const RETRY_SECONDS = 10;

/**
 * While this browser is in a call on a grant, it tells the BFF so (`POST /api/session/heartbeat`):
 * near the booked end the BFF then moves the meeting's end, so the call is never cut while
 * people are in it. The answer is the meeting's time as it now stands.
 */
export const useMeetingClock = (inCall: boolean): MeetingClock | null => {
  const [clock, setClock] = useState<MeetingClock | null>(null);
  useEffect(() => {
    if (!inCall) return undefined;
    let timer: number | undefined;
    let stopped = false;
    const beat = async () => {
      let next = RETRY_SECONDS;
      try {
        const parsed = parseClock(await apiJson<unknown>('/api/session/heartbeat', { method: 'POST' }));
        if (parsed && !stopped) {
          setClock(parsed);
          next = parsed.nextIn;
        }
      } catch {
        // the call's own reconnection deals with a lost network; try again shortly
      }
      if (!stopped) timer = window.setTimeout(() => void beat(), next * 1000);
    };
    void beat();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [inCall]);
  return clock;
};
