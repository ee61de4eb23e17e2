import { useEffect, useState } from 'react';

import { useSignal } from '@/hooks/use-signal';
import type { InfinitySession } from '@/lib/infinity';

/**
 * "Still here" beacons between Borgervideo clients, as Pexip application messages
 * (`{"bv": "presence"}`, broadcast through the node like chat). The node keeps a participant
 * whose network is gone for up to its token's life, and says nothing meanwhile: a client
 * whose beacons stop for SILENT_MS is shown to the others as reconnecting. Only clients
 * that ever sent one are judged (a SIP room system or Pexip's own app sends none).
 */
export const BEACON_MS = 3000;
const SILENT_MS = 8000;
export const PRESENCE = { bv: 'presence' } as const;

export const isPresenceBeacon = (message: Record<string, unknown>): boolean => message.bv === PRESENCE.bv;

/** Uuids of the others whose beacons stopped (their network is likely gone). */
export const useSilentParticipants = (session: InfinitySession): ReadonlySet<string> => {
  const [lastSeen] = useState(() => new Map<string, number>());
  const [silent, setSilent] = useState<ReadonlySet<string>>(new Set());

  useSignal(session.signals.onApplicationMessage, ({ userId, message }) => {
    if (!isPresenceBeacon(message)) return;
    lastSeen.set(userId, Date.now());
    setSilent((current) => {
      if (!current.has(userId)) return current;
      const next = new Set(current);
      next.delete(userId);
      return next;
    });
  });
  useSignal(session.signals.onParticipantLeft, (events) => {
    for (const { participant } of events) lastSeen.delete(participant.uuid);
  });

  useEffect(() => {
    const timer = window.setInterval(() => {
      const now = Date.now();
      const quiet = [...lastSeen].filter(([, at]) => now - at > SILENT_MS).map(([uuid]) => uuid);
      setSilent((current) =>
        current.size === quiet.length && quiet.every((uuid) => current.has(uuid)) ? current : new Set(quiet),
      );
    }, 1000);
    return () => window.clearInterval(timer);
  }, [lastSeen]);

  return silent;
};
