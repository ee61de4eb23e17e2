/** Times in the portal: Danish time, as a nurse reads them ("kl. 10.30"). */

const TIME = new Intl.DateTimeFormat('da-DK', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Copenhagen' });
const DAY = new Intl.DateTimeFormat('da-DK', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/Copenhagen' });

export const clock = (iso: string): string => TIME.format(new Date(iso)).replace(':', '.');

export const longDay = (date: Date): string => DAY.format(date);

/** `HH:MM` today (the browser's own day and zone) as an ISO moment. */
export const todayAt = (hhmm: string, now: Date = new Date()): Date => {
  const [hours, minutes] = hhmm.split(':').map(Number);
  const at = new Date(now);
  at.setHours(hours ?? 0, minutes ?? 0, 0, 0);
  return at;
};

/** The next whole quarter of an hour from now, as `HH:MM` for a time field. */
export const nextQuarter = (now: Date = new Date()): string => {
  const at = new Date(now);
  at.setMinutes(Math.ceil((at.getMinutes() + 1) / 15) * 15, 0, 0);
  if (at.getDate() !== now.getDate()) return '23:45';
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
};

/** A Danish mobile number as typed ("12 34 56 78", "+45 1234 5678") in E.164, or null. */
export const phoneE164 = (typed: string): string | null => {
  const digits = typed.replace(/[\s-]/g, '');
  if (/^\d{8}$/.test(digits)) return `+45${digits}`;
  if (/^\+[1-9]\d{7,14}$/.test(digits)) return digits;
  if (/^00[1-9]\d{7,14}$/.test(digits)) return `+${digits.slice(2)}`;
  return null;
};
