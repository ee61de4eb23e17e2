import { describe, expect, it, vi } from 'vitest';

import { dateFormat, meetingTime } from './meeting-time';

const meeting = (start: string, end: string) => ({ subject: '', start, end, host: null });

describe('meetingTime', () => {
  it('gives the day and hours in Danish time, whatever the browser’s zone', () => {
    // 09:00–09:30 UTC in winter is 10.00–10.30 in Copenhagen.
    const time = meetingTime(meeting('2026-12-08T09:00:00Z', '2026-12-08T09:30:00Z'), 'da');
    expect(time?.day).toBe('tirsdag 8. december');
    expect(time?.span).toBe('10.00–10.30');
    expect(meetingTime(meeting('2026-12-08T09:00:00Z', ''), 'en')?.span).toBe('10:00');
  });

  it('is null without a start it can read', () => {
    expect(meetingTime(meeting('not a date', ''), 'da')).toBeNull();
  });
});

describe('dateFormat', () => {
  it('makes one formatter per language and options, and reuses it', () => {
    const options = { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Copenhagen' } as const;
    expect(dateFormat('da', { ...options })).toBe(dateFormat('da', { ...options }));
    expect(dateFormat('en', options)).not.toBe(dateFormat('da', options));
    expect(dateFormat('da', { ...options, timeZone: 'UTC' })).not.toBe(dateFormat('da', options));
  });
});

describe('meetingTime with the BFF’s text', () => {
  it('shows the day and hours the BFF wrote, and makes no date format of its own', () => {
    const spy = vi.spyOn(Intl, 'DateTimeFormat');
    const written = {
      ...meeting('2026-12-08T09:00:00Z', '2026-12-08T09:30:00Z'),
      when: { da: { day: 'tirsdag 8. december', span: '10.00–10.30' } },
    };
    expect(meetingTime(written, 'da')).toEqual({ day: 'tirsdag 8. december', span: '10.00–10.30' });
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });

  it('formats the hours itself for a language the BFF did not write', () => {
    const written = {
      ...meeting('2026-12-08T09:00:00Z', '2026-12-08T09:30:00Z'),
      when: { da: { day: 'x', span: 'y' } },
    };
    expect(meetingTime(written, 'en')).toEqual({ day: 'Tuesday 8 December', span: '10:00–10:30' });
  });
});
