/** Times in the portal: Danish time, as a nurse reads them ("10.30"; in English "10:30"). */

import type { Language } from '@/lib/i18n';
import { dateFormat, TIME_ZONE } from '@/lib/meeting-time';

const pad = (n: number): string => String(n).padStart(2, '0');

export const clock = (iso: string, language: Language = 'da'): string => {
  const text = dateFormat(language, { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE }).format(new Date(iso));
  return language === 'da' ? text.replace(':', '.') : text;
};

export const longDay = (date: Date, language: Language = 'da'): string =>
  dateFormat(language, { weekday: 'long', day: 'numeric', month: 'long', timeZone: TIME_ZONE }).format(date);

/** The browser's calendar day of `at` as `YYYY-MM-DD` (a date field's value). */
export const localDate = (at: Date): string => `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;

/** A date field's `YYYY-MM-DD` and a time field's `HH:MM` as a moment in the browser's zone, or null. */
export const atLocal = (date: string, hhmm: string): Date | null => {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const time = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!day || !time) return null;
  const at = new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3]), Number(time[1]), Number(time[2]));
  return Number.isNaN(at.getTime()) || localDate(at) !== date ? null : at;
};

/** Noon of a `YYYY-MM-DD` day: a moment safely inside it, for naming the day. */
export const noonOf = (date: string): Date => atLocal(date, '12:00') ?? new Date();

/** The next whole quarter of an hour from now (into tomorrow late in the evening). */
export const nextQuarter = (now: Date = new Date()): { date: string; time: string } => {
  const at = new Date(now);
  at.setMinutes(Math.ceil((at.getMinutes() + 1) / 15) * 15, 0, 0);
  return { date: localDate(at), time: `${pad(at.getHours())}:${pad(at.getMinutes())}` };
};

/** A Danish mobile number as typed ("12 34 56 78", "+45 1234 5678") in E.164, or null. */
export const phoneE164 = (typed: string): string | null => {
  const digits = typed.replace(/[\s-]/g, '');
  if (/^\d{8}$/.test(digits)) return `+45${digits}`;
  if (/^\+[1-9]\d{7,14}$/.test(digits)) return digits;
  if (/^00[1-9]\d{7,14}$/.test(digits)) return `+${digits.slice(2)}`;
  return null;
};
