import { describe, expect, it } from 'vitest';

import { clockNotice, parseClock } from './meeting-clock';

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 6, 10, minutes));
const answer = (end: number, bookedEnd: number, latestEnd: number) => ({
  end: at(end).toISOString(),
  booked_end: at(bookedEnd).toISOString(),
  latest_end: at(latestEnd).toISOString(),
  next_in: 10,
});

describe('the meeting clock', () => {
  it('says nothing while the meeting keeps to its booking', () => {
    expect(clockNotice(parseClock(answer(30, 30, 150)), at(20))).toBeNull();
  });

  it('says until when a meeting that ran over now lasts', () => {
    expect(clockNotice(parseClock(answer(45, 30, 150)), at(31))).toEqual({ kind: 'extended', until: at(45) });
  });

  it('says when it ends five minutes before the limit', () => {
    expect(clockNotice(parseClock(answer(150, 30, 150)), at(145))).toEqual({ kind: 'final', until: at(150) });
    expect(clockNotice(parseClock(answer(150, 30, 150)), at(144))).toEqual({ kind: 'extended', until: at(150) });
  });

  it('takes nothing but a whole answer', () => {
    expect(parseClock({ end: 'x', booked_end: 'x', latest_end: 'x', next_in: 1 })).toBeNull();
    expect(parseClock({ end: at(1).toISOString() })).toBeNull();
    expect(parseClock(null)).toBeNull();
  });
});
