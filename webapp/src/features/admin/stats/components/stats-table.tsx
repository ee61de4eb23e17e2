import { useId } from 'react';

import { type Language, useI18n } from '@/lib/i18n';

import { danishNumber, monthLong } from '../months';
import type { MonthFigures } from '../stats-api';

export interface StatsTableProps {
  months: MonthFigures[];
}

const minutes = (value: number | null, language: Language): string =>
  value === null ? '–' : danishNumber(value, language);

/** The chart's figures and more, as a table (the chart's text equivalent). */
export const StatsTable = ({ months }: StatsTableProps) => {
  const { t, language } = useI18n();
  const captionId = useId();
  const consultations = months.reduce((sum, m) => sum + m.consultations, 0);
  const total = months.reduce((sum, m) => sum + m.total_minutes, 0);
  return (
    // The scroll region is a focusable, named region: a keyboard scrolls it too.
    <div
      className="stats-table__scroll"
      role="region"
      aria-labelledby={captionId}
      tabIndex={0}
      data-testid="stats-scroll"
    >
      <table className="stats-table" data-testid="stats-table">
        <caption id={captionId}>{t('admin.stats.table.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.stats.table.month')}</th>
            <th scope="col">{t('admin.stats.table.consultations')}</th>
            <th scope="col">{t('admin.stats.table.minutes')}</th>
            <th scope="col">{t('admin.stats.table.median')}</th>
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.month} data-month={m.month}>
              <th scope="row">{monthLong(m.month, language)}</th>
              <td data-testid="stats-consultations">{m.consultations}</td>
              <td>{danishNumber(m.total_minutes, language)}</td>
              <td>{minutes(m.median_minutes, language)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('admin.stats.table.total')}</th>
            <td data-testid="stats-total">{consultations}</td>
            <td>{danishNumber(Math.round(total * 10) / 10, language)}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
};
