import type { ApiSchemas } from '@/lib/api-client';

/** The meeting's time as the BFF tells it (`POST /api/session/heartbeat`), and what to say of it. */
export interface MeetingClock {
  end: Date;
  bookedEnd: Date;
  latestEnd: Date;
  /** Seconds until the browser should say again that it is in the call. */
  nextIn: number;
}

export type ClockNotice = { kind: 'extended'; until: Date } | { kind: 'final'; until: Date } | null;

/** The last stretch before a meeting that cannot run over any further. */
export const FINAL_NOTICE_MS = 5 * 60 * 1000;

/** The BFF's answer (SessionHeartbeat). */
type ClockAnswer = ApiSchemas['MeetingClock'];

const isClockAnswer = (value: unknown): value is ClockAnswer => {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as Record<string, unknown>;
  return (
    typeof answer.end === 'string' &&
    typeof answer.booked_end === 'string' &&
    typeof answer.latest_end === 'string' &&
    typeof answer.next_in === 'number'
  );
};

export const parseClock = (value: unknown): MeetingClock | null => {
  if (!isClockAnswer(value)) return null;
  const clock = {
    end: new Date(value.end),
    bookedEnd: new Date(value.booked_end),
    latestEnd: new Date(value.latest_end),
    nextIn: Math.max(1, value.next_in),
  };
  return [clock.end, clock.bookedEnd, clock.latestEnd].some((d) => Number.isNaN(d.getTime())) ? null : clock;
};

/**
 * Five minutes before a meeting that cannot run over any further: when it ends. Else, once it
 * has run over its booking: until when it now lasts. Else nothing.
 */
export const clockNotice = (clock: MeetingClock | null, now: Date): ClockNotice => {
  if (!clock) return null;
  if (now.getTime() >= clock.latestEnd.getTime() - FINAL_NOTICE_MS) return { kind: 'final', until: clock.latestEnd };
  if (clock.end.getTime() > clock.bookedEnd.getTime()) return { kind: 'extended', until: clock.end };
  return null;
};
