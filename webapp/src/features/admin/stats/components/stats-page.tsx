import '../stats.css';

import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import type { PartyPageProps } from '@/config/app-config';
import { AdminAccess } from '@/features/admin/admin-access';
import { AdminPageHeader } from '@/features/admin/admin-page';
import { useAdminSession } from '@/features/admin/use-admin-page';
import { useI18n } from '@/lib/i18n';

import { danishNumber, lastTwelveMonths, monthLong } from '../months';
import { fetchStatistics, fetchStatisticsCsv, type Statistics, StatsError, type StatsQuery } from '../stats-api';
import { StatsChart } from './stats-chart';
import { StatsTable } from './stats-table';

type Load =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'done'; stats: Statistics; query: StatsQuery };

const PERIOD_ENDS = ['from', 'to'] as const;

type PeriodEnd = (typeof PERIOD_ENDS)[number];

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const saveFile = (blob: Blob, name: string): void => {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(href), 1000);
};

/**
 * `/{party}/admin/stats`: the party's own use of video, per month. A party_admin login needs
 * nothing more; else the admin key (where keys are on) is asked for here and kept in memory
 * only (never stored): a reload asks again.
 */
export const StatsPage = ({ partyId, partyName }: PartyPageProps) => {
  const { t, tn, language } = useI18n();
  const session = useAdminSession(partyId);
  const initial = lastTwelveMonths(new Date());
  const [period, setPeriod] = useState<Record<PeriodEnd, string>>(initial);
  const [load, setLoad] = useState<Load>({ status: 'idle' });
  const [csvError, setCsvError] = useState<string | null>(null);

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!session.checkKey()) return;
    const { key } = session;
    const { from, to } = period;
    if (!MONTH.test(from) || !MONTH.test(to) || from > to) {
      setLoad({ status: 'error', message: t('admin.stats.error.order') });
      return;
    }
    const query = { party: partyId, adminKey: key, from, to };
    setLoad({ status: 'loading' });
    try {
      setLoad({ status: 'done', stats: await fetchStatistics(query), query });
    } catch (error) {
      setLoad({
        status: 'error',
        message: t(error instanceof StatsError ? error.message : 'admin.stats.error.failed'),
      });
      if (error instanceof StatsError && error.status === 401 && !key) session.recheckLogin(); // the login may have ended
    }
  };

  const handleCsv = async (query: StatsQuery) => {
    setCsvError(null);
    try {
      saveFile(await fetchStatisticsCsv(query), `borgervideo-statistik-${partyId}-${query.from}-${query.to}.csv`);
    } catch (error) {
      setCsvError(t(error instanceof StatsError ? error.message : 'admin.stats.error.csv'));
    }
  };

  const months = load.status === 'done' ? load.stats.months : [];
  const consultations = months.reduce((sum, m) => sum + m.consultations, 0);
  const totalMinutes = Math.round(months.reduce((sum, m) => sum + m.total_minutes, 0) * 10) / 10;

  return (
    <div className="stats">
      <AdminPageHeader
        page="stats"
        className="panel"
        partyName={partyName}
        intro={t('admin.stats.intro')}
        session={session}
      >
        <form className="stack" onSubmit={(event) => void handleSubmit(event)} noValidate>
          <AdminAccess {...session.access} keyTestId="stats-key-input" />
          <fieldset className="stats__period">
            <legend className="visually-hidden">{t('admin.stats.period')}</legend>
            {PERIOD_ENDS.map((end) => (
              <TextField
                key={end}
                label={t(`admin.stats.${end}`)}
                testId={`stats-${end}`}
                type="month"
                value={period[end]}
                onChange={(e) => setPeriod({ ...period, [end]: e.target.value })}
              />
            ))}
          </fieldset>
          <Button type="submit" testId="stats-submit" disabled={load.status === 'loading'}>
            {t('admin.stats.show')}
          </Button>
        </form>
      </AdminPageHeader>
      <div aria-live="polite">
        {load.status === 'loading' && <p role="status">{t('admin.stats.loading')}</p>}
        {load.status === 'error' && (
          <p className="field__error" role="alert" data-testid="stats-error">
            {load.message}
          </p>
        )}
      </div>
      {load.status === 'done' && (
        <section className="panel stack" aria-labelledby="stats-result-heading" data-testid="stats-result">
          <h2 id="stats-result-heading">
            {monthLong(load.stats.from, language)} – {monthLong(load.stats.to, language)}
          </h2>
          <p className="stats__summary" data-testid="stats-summary">
            {tn('admin.stats.summary', consultations, {
              number: danishNumber(consultations, language),
              minutes: danishNumber(totalMinutes, language),
            })}
          </p>
          <StatsChart months={months} />
          <StatsTable months={months} />
          <p className="stats__note">{t('admin.stats.note')}</p>
          <div className="stats__actions">
            <Button variant="secondary" testId="stats-csv" onClick={() => void handleCsv(load.query)}>
              {t('admin.stats.csv')}
            </Button>
            {csvError && (
              <p className="field__error" role="alert">
                {csvError}
              </p>
            )}
          </div>
        </section>
      )}
    </div>
  );
};
