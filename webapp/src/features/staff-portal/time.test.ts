import { describe, expect, it } from 'vitest';

import { nextQuarter, phoneE164, todayAt } from './time';

describe('staff portal times and numbers', () => {
  it('reads Danish mobile numbers as people type them', () => {
    expect(phoneE164('12 34 56 78')).toBe('+4512345678');
    expect(phoneE164('+45 1234-5678')).toBe('+4512345678');
    expect(phoneE164('004612345678')).toBe('+4612345678');
    expect(phoneE164('1234')).toBeNull();
  });

  it('offers the next quarter of an hour, and places a time on today', () => {
    expect(nextQuarter(new Date(2026, 10, 26, 10, 7))).toBe('10:15');
    expect(nextQuarter(new Date(2026, 10, 26, 10, 15))).toBe('10:30');
    expect(nextQuarter(new Date(2026, 10, 26, 23, 50))).toBe('23:45');
    const at = todayAt('14:30', new Date(2026, 10, 26, 9, 0));
    expect([at.getHours(), at.getMinutes(), at.getDate()]).toEqual([14, 30, 26]);
  });
});
