import type { MeetingInfo } from '@/config/app-config';

import type { Language } from './i18n';

// Appointments are Danish local time, as in the SMS, wherever the phone is.
export const TIME_ZONE = 'Europe/Copenhagen';
export const LOCALES: Record<Language, string> = { da: 'da-DK', en: 'en-GB' };

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per language and options, made once: a browser's first one loads its calendar
 * data (10–20 ms on this machine's Chromium, more on a phone), each later one costs again. */
export const dateFormat = (language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
  const key = `${language} ${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[language], options);
    formats.set(key, format);
  }
  return format;
};

const parse = (iso: string): Date | null => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

export interface MeetingTime {
  /** "tirsdag 25. november" / "Tuesday 25 November". */
  day: string;
  /** "10.00–10.30" / "10:00–10:30" (the start alone when there is no end). */
  span: string;
}

/**
 * The meeting's day and hours in Danish time, in the page's language; null without a start.
 * The BFF writes them into the page (`meeting.when`): a phone's first date format loads its
 * calendar data, which would hold back the citizen's self-view. Formatted here only without.
 */
export const meetingTime = (meeting: MeetingInfo, language: Language): MeetingTime | null => {
  const written = meeting.when?.[language];
  if (written) return written;
  const start = parse(meeting.start);
  if (!start) return null;
  const day = dateFormat(language, { weekday: 'long', day: 'numeric', month: 'long', timeZone: TIME_ZONE });
  const time = dateFormat(language, { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE });
  const end = parse(meeting.end);
  return { day: day.format(start), span: end ? `${time.format(start)}–${time.format(end)}` : time.format(start) };
};

/** A moment in Danish time, in the page's language, as `style` says ("6.12.2026 20.30"). */
export const danishDateTime = (
  iso: string,
  language: Language,
  style: Pick<Intl.DateTimeFormatOptions, 'dateStyle' | 'timeStyle'>,
): string => dateFormat(language, { ...style, timeZone: TIME_ZONE }).format(new Date(iso));

/** "6. december 2026 20.30" / "6 December 2026 at 20:30" in Danish time; '' for none. */
export const longDateTime = (iso: string | null, language: Language): string =>
  iso ? danishDateTime(iso, language, { dateStyle: 'long', timeStyle: 'short' }) : '';

/** "10.42" / "10:42", for chat messages. */
export const clockTime = (at: Date, language: Language): string =>
  dateFormat(language, { hour: '2-digit', minute: '2-digit' }).format(at);

/** "11.45" / "11:45" in Danish time, as the meeting was booked, wherever the browser is. */
export const meetingClockTime = (at: Date, language: Language): string =>
  dateFormat(language, { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE }).format(at);
