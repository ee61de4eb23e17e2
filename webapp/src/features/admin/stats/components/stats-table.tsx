import { danishNumber, monthLong } from '../months';
import type { MonthFigures } from '../stats-api';

export interface StatsTableProps {
  months: MonthFigures[];
}

const minutes = (value: number | null): string => (value === null ? '–' : danishNumber(value));

/** The chart's figures and more, as a table (the chart's text equivalent). */
export const StatsTable = ({ months }: StatsTableProps) => {
  const consultations = months.reduce((sum, m) => sum + m.consultations, 0);
  const total = months.reduce((sum, m) => sum + m.total_minutes, 0);
  return (
    <div className="stats-table__scroll">
      <table className="stats-table" data-testid="stats-table">
        <caption>Konsultationer, minutter og medianlængde pr. måned</caption>
        <thead>
          <tr>
            <th scope="col">Måned</th>
            <th scope="col">Konsultationer</th>
            <th scope="col">Minutter i alt</th>
            <th scope="col">Median (minutter)</th>
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.month} data-month={m.month}>
              <th scope="row">{monthLong(m.month)}</th>
              <td data-testid="stats-consultations">{m.consultations}</td>
              <td>{danishNumber(m.total_minutes)}</td>
              <td>{minutes(m.median_minutes)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">I alt</th>
            <td data-testid="stats-total">{consultations}</td>
            <td>{danishNumber(Math.round(total * 10) / 10)}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
};
