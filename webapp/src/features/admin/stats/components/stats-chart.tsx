import { useId } from 'react';

import { type Language, type Translator, useI18n } from '@/lib/i18n';

import { danishNumber, monthLong, monthShort, scaleTop } from '../months';
import type { MonthFigures } from '../stats-api';

export interface StatsChartProps {
  months: MonthFigures[];
}

const WIDTH = 640;
const HEIGHT = 260;
const LEFT = 44;
const RIGHT = 8;
const TOP = 20;
const BOTTOM = 40;

/** The text a screen reader gets for the chart: every month's figure, in order. */
export const chartDescription = (t: Translator['t'], language: Language, months: MonthFigures[]): string =>
  t('admin.stats.chart.description', {
    months: months.map((m) => `${monthLong(m.month, language)}: ${m.consultations}`).join('; '),
  });

/** Consultations per month as bars (plain SVG); the same figures are in the table below it. */
export const StatsChart = ({ months }: StatsChartProps) => {
  const { t, language } = useI18n();
  const captionId = useId();
  const descId = useId();
  const top = scaleTop(Math.max(0, ...months.map((m) => m.consultations)));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const band = plotWidth / Math.max(1, months.length);
  const barWidth = Math.min(40, band * 0.6);
  const y = (value: number): number => TOP + plotHeight - (value / top) * plotHeight;
  const ticks = top <= 1 ? [0, 1] : [0, top / 2, top];
  return (
    <figure className="stats-chart" data-testid="stats-chart">
      <figcaption id={captionId} className="stats-chart__caption">
        {t('admin.stats.chart.caption')}
      </figcaption>
      <svg
        className="stats-chart__svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={captionId}
        aria-describedby={descId}
        focusable="false"
      >
        <desc id={descId}>{chartDescription(t, language, months)}</desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line className="stats-chart__grid" x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} />
            <text className="stats-chart__axis" x={LEFT - 6} y={y(tick) + 5} textAnchor="end">
              {danishNumber(tick, language)}
            </text>
          </g>
        ))}
        {months.map((m, index) => {
          const centre = LEFT + band * index + band / 2;
          return (
            <g key={m.month}>
              <rect
                className="stats-chart__bar"
                x={centre - barWidth / 2}
                y={y(m.consultations)}
                width={barWidth}
                height={Math.max(0, TOP + plotHeight - y(m.consultations))}
              />
              {m.consultations > 0 && (
                <text className="stats-chart__value" x={centre} y={y(m.consultations) - 5} textAnchor="middle">
                  {m.consultations}
                </text>
              )}
              <text className="stats-chart__axis" x={centre} y={HEIGHT - BOTTOM + 18} textAnchor="middle">
                {monthShort(m.month, language)}
              </text>
              {(index === 0 || m.month.endsWith('-01')) && (
                <text className="stats-chart__axis" x={centre} y={HEIGHT - BOTTOM + 34} textAnchor="middle">
                  {m.month.slice(0, 4)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
};
