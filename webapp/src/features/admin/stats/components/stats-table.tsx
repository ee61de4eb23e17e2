import { DataTable } from '@/components/data-table';
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
  const consultations = months.reduce((sum, m) => sum + m.consultations, 0);
  const total = months.reduce((sum, m) => sum + m.total_minutes, 0);
  return (
    <DataTable
      className="stats-table"
      testId="stats-table"
      scroll={{ className: 'stats-table__scroll', testId: 'stats-scroll' }}
      caption={t('admin.stats.table.caption')}
      columns={[
        t('admin.stats.table.month'),
        t('admin.stats.table.consultations'),
        t('admin.stats.table.minutes'),
        t('admin.stats.table.median'),
      ]}
      foot={
        <tr>
          <th scope="row">{t('admin.stats.table.total')}</th>
          <td data-testid="stats-total">{consultations}</td>
          <td>{danishNumber(Math.round(total * 10) / 10, language)}</td>
          <td />
        </tr>
      }
    >
      {months.map((m) => (
        <tr key={m.month} data-month={m.month}>
          <th scope="row">{monthLong(m.month, language)}</th>
          <td data-testid="stats-consultations">{m.consultations}</td>
          <td>{danishNumber(m.total_minutes, language)}</td>
          <td>{minutes(m.median_minutes, language)}</td>
        </tr>
      ))}
    </DataTable>
  );
};
