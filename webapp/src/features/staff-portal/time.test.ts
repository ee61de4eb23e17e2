import { describe, expect, it } from 'vitest';

import { atLocal, localDate, nextQuarter, phoneE164 } from './time';

describe('staff portal times and numbers', () => {
  it('reads Danish mobile numbers as people type them', () => {
    expect(phoneE164('12 34 56 78')).toBe('+4512345678');
    expect(phoneE164('+45 1234-5678')).toBe('+4512345678');
    expect(phoneE164('004612345678')).toBe('+4612345678');
    expect(phoneE164('1234')).toBeNull();
  });

  it('offers the next quarter of an hour, into tomorrow late in the evening', () => {
    expect(nextQuarter(new Date(2026, 10, 26, 10, 7))).toEqual({ date: '2026-11-26', time: '10:15' });
    expect(nextQuarter(new Date(2026, 10, 26, 10, 15))).toEqual({ date: '2026-11-26', time: '10:30' });
    expect(nextQuarter(new Date(2026, 10, 26, 23, 50))).toEqual({ date: '2026-11-27', time: '00:00' });
    expect(nextQuarter(new Date(2026, 11, 31, 23, 59))).toEqual({ date: '2027-01-01', time: '00:00' });
  });

  it('places a date and a time in the browser zone, refusing what is no moment', () => {
    const at = atLocal('2026-11-27', '14:30');
    expect(at && [at.getFullYear(), at.getMonth(), at.getDate(), at.getHours(), at.getMinutes()]).toEqual([
      2026, 10, 27, 14, 30,
    ]);
    expect(atLocal('2026-02-30', '10:00')).toBeNull();
    expect(atLocal('', '10:00')).toBeNull();
    expect(atLocal('2026-11-27', '')).toBeNull();
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});
