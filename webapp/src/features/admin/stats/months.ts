/** Months as the API names them (`YYYY-MM`) and as a reader of the page's language does. */
import type { Language } from '@/lib/i18n';
import { dateFormat, LOCALES } from '@/lib/meeting-time';

const monthDate = (month: string): Date => {
  const [year, index] = month.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (index ?? 1) - 1, 1));
};

/** "marts 2026" ("March 2026") */
export const monthLong = (month: string, language: Language = 'da'): string =>
  dateFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(monthDate(month));

/** "mar." (the chart's axis) */
export const monthShort = (month: string, language: Language = 'da'): string =>
  dateFormat(language, { month: 'short', timeZone: 'UTC' }).format(monthDate(month));

/** 1234.5 → "1.234,5" ("1,234.5") */
export const danishNumber = (value: number, language: Language = 'da'): string =>
  new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 1 }).format(value);

const pad = (n: number): string => String(n).padStart(2, '0');

/** The last twelve months up to `today`'s (this month included). */
export const lastTwelveMonths = (today: Date): { from: string; to: string } => {
  const to = `${today.getFullYear()}-${pad(today.getMonth() + 1)}`;
  const first = new Date(today.getFullYear(), today.getMonth() - 11, 1);
  return { from: `${first.getFullYear()}-${pad(first.getMonth() + 1)}`, to };
};

/** The round number just above `max` that the chart's scale goes to (at least 1). */
export const scaleTop = (max: number): number => {
  if (max <= 4) return Math.max(1, Math.ceil(max));
  const step = 10 ** Math.floor(Math.log10(max));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * step >= max) return f * step;
  return 10 * step;
};
