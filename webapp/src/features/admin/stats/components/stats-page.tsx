import '../stats.css';

import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { AdminAccess } from '@/features/admin/admin-access';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { useAdminLogin } from '@/lib/admin-login';
import { ApiError } from '@/lib/api-client';

import { danishNumber, lastTwelveMonths, monthLong } from '../months';
import { fetchStatistics, fetchStatisticsCsv, type Statistics, type StatsQuery } from '../stats-api';
import { StatsChart } from './stats-chart';
import { StatsTable } from './stats-table';

export interface StatsPageProps {
  partyId: string;
  partyName: string;
}

type Load = { status: 'idle' } | { status: 'loading' } | { status: 'error'; message: string } | { status: 'done'; stats: Statistics; query: StatsQuery };

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
export const StatsPage = ({ partyId, partyName }: StatsPageProps) => {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const initial = lastTwelveMonths(new Date());
  const [adminKey, setAdminKey] = useState('');
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [keyError, setKeyError] = useState<string | null>(null);
  const [load, setLoad] = useState<Load>({ status: 'idle' });
  const [csvError, setCsvError] = useState<string | null>(null);
  const [login, recheckLogin] = useAdminLogin(partyId); // an administrator's login needs no key

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const key = login ? '' : adminKey.trim();
    setKeyError(key || login ? null : 'Skriv partens administratornøgle.');
    if (!key && !login) return;
    if (!MONTH.test(from) || !MONTH.test(to) || from > to) {
      setLoad({ status: 'error', message: 'Vælg en gyldig periode: "Fra" skal ligge før eller i samme måned som "Til".' });
      return;
    }
    const query = { party: partyId, adminKey: key, from, to };
    setLoad({ status: 'loading' });
    try {
      setLoad({ status: 'done', stats: await fetchStatistics(query), query });
    } catch (error) {
      setLoad({ status: 'error', message: error instanceof ApiError ? error.message : 'Statistikken kunne ikke hentes.' });
      if (error instanceof ApiError && error.status === 401 && !key) recheckLogin(); // the login may have ended
    }
  };

  const handleCsv = async (query: StatsQuery) => {
    setCsvError(null);
    try {
      saveFile(await fetchStatisticsCsv(query), `borgervideo-statistik-${partyId}-${query.from}-${query.to}.csv`);
    } catch (error) {
      setCsvError(error instanceof ApiError ? error.message : 'Filen kunne ikke hentes.');
    }
  };

  const months = load.status === 'done' ? load.stats.months : [];
  const consultations = months.reduce((sum, m) => sum + m.consultations, 0);
  const totalMinutes = Math.round(months.reduce((sum, m) => sum + m.total_minutes, 0) * 10) / 10;

  return (
    <div className="stats">
      <section className="panel" aria-labelledby="stats-heading">
        <h1 id="stats-heading" ref={headingRef} tabIndex={-1}>
          Brugsstatistik for {partyName}
        </h1>
        <p>
          Videokonsultationer pr. måned. En konsultation tæller, når mindst to deltagere med lyd og billede har
          været i mødet sammen i over et minut.
        </p>
        <form className="stack" onSubmit={(event) => void handleSubmit(event)} noValidate>
          <AdminAccess
            partyId={partyId}
            login={login}
            adminKey={adminKey}
            onAdminKeyChange={setAdminKey}
            keyError={keyError}
            keyTestId="stats-key-input"
          />
          <fieldset className="stats__period">
            <legend className="visually-hidden">Periode</legend>
            <TextField label="Fra måned" testId="stats-from" type="month" value={from} onChange={(e) => setFrom(e.target.value)} />
            <TextField label="Til måned" testId="stats-to" type="month" value={to} onChange={(e) => setTo(e.target.value)} />
          </fieldset>
          <Button type="submit" testId="stats-submit" disabled={load.status === 'loading'}>
            Vis statistik
          </Button>
        </form>
      </section>
      <div aria-live="polite">
        {load.status === 'loading' && <p role="status">Henter statistik…</p>}
        {load.status === 'error' && (
          <p className="field__error" role="alert" data-testid="stats-error">
            {load.message}
          </p>
        )}
      </div>
      {load.status === 'done' && (
        <section className="panel stack" aria-labelledby="stats-result-heading" data-testid="stats-result">
          <h2 id="stats-result-heading">
            {monthLong(load.stats.from)} – {monthLong(load.stats.to)}
          </h2>
          <p className="stats__summary" data-testid="stats-summary">
            {consultations === 1 ? '1 konsultation' : `${danishNumber(consultations)} konsultationer`} i alt,{' '}
            {danishNumber(totalMinutes)} minutter.
          </p>
          <StatsChart months={months} />
          <StatsTable months={months} />
          <p className="stats__note">
            En konsultation hører til den måned (dansk tid), hvor den begyndte. Længden er den tid, mindst to
            deltog.
          </p>
          <div className="stats__actions">
            <Button variant="secondary" testId="stats-csv" onClick={() => void handleCsv(load.query)}>
              Hent som CSV
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
