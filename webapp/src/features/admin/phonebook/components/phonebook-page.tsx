import '../phonebook.css';

import { type FormEvent, useEffect, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { Checkbox } from '@/components/checkbox';
import { TextField } from '@/components/text-field';
import { AdminAccess } from '@/features/admin/admin-access';
import { AdminMessageLine } from '@/features/admin/admin-message';
import { useAdminPage } from '@/features/admin/use-admin-page';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { refusal } from '@/lib/admin-login';
import { ApiError } from '@/lib/api-client';

import {
  fieldOfReason,
  getPolicy,
  listSystems,
  type PhonebookAuditEntry,
  type PhonebookPolicy,
  type PhonebookSystem,
  type PhonebookSystemCreated,
  readAudit,
  registerSystem,
  removeSystem,
  setPolicy,
} from '../phonebook-api';
import { AuditTable } from './audit-table';
import { type PolicyErrors, PolicyForm } from './policy-form';
import { SystemRow } from './system-row';

export interface PhonebookPageProps {
  partyId: string;
  partyName: string;
}

/** The API's reasons are English for developers; the administrator reads Danish. */
const danishDetail = (reason: string): string => {
  if (/no such party/i.test(reason)) return 'der findes ingen part med det id i installationen';
  if (/name/i.test(reason) && /length|pattern|match/i.test(reason)) return 'navnet er for langt eller har tegn, der ikke er tilladt';
  if (/pattern|match/i.test(reason)) return 'ikke et gyldigt part-id (små bogstaver, tal og bindestreg, eller *)';
  return reason;
};

const reasonOf = (error: unknown, adminKey: string): string => {
  if (!(error instanceof ApiError)) return 'Det lykkedes ikke. Prøv igen om lidt.';
  switch (error.status) {
    case 401:
      return refusal(adminKey, 'Administratornøglen passer ikke til denne part.');
    case 403:
      return 'Du har ikke adgang til denne parts telefonbog.';
    case 404:
      return 'Det findes ikke (længere). Opdater siden.';
    case 400:
      return `Ugyldigt: ${danishDetail(error.message)}.`;
    case 413:
      return 'Der er for meget på én gang. Skriv færre parter.';
    case 429:
      return 'For mange forespørgsler lige nu. Vent et øjeblik, og prøv igen.';
    default:
      return 'Det lykkedes ikke. Prøv igen om lidt.';
  }
};

/**
 * `/{party}/admin/phonebook`: the party's part of the dynamic phonebook. Register the systems
 * that report presence or look people up (a system's key is shown once), remove them, set who
 * may join, move people out of or dial the party's meetings, and read the look-up audit. A
 * party_admin login opens it at once; else the admin key (kept in memory only), where keys
 * are switched on.
 */
export const PhonebookPage = ({ partyId, partyName }: PhonebookPageProps) => {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [systems, setSystems] = useState<PhonebookSystem[] | null>(null);
  const [policy, setPolicyState] = useState<PhonebookPolicy | null>(null);
  const [policyRevision, setPolicyRevision] = useState(0);
  const [policyErrors, setPolicyErrors] = useState<PolicyErrors>({});
  const [audit, setAudit] = useState<PhonebookAuditEntry[] | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [report, setReport] = useState(true);
  const [lookup, setLookup] = useState(false);
  const [created, setCreated] = useState<PhonebookSystemCreated | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const createdRef = useRef<HTMLHeadingElement>(null);
  const keyRef = useRef<HTMLInputElement>(null);

  const reloadSystems = async () => setSystems(await listSystems(partyId, key));
  const reloadAudit = async () => setAudit(await readAudit(partyId, key));
  const reloadAll = async (adminKey = key) => {
    const [foundSystems, foundPolicy, foundAudit] = await Promise.all([
      listSystems(partyId, adminKey),
      getPolicy(partyId, adminKey),
      readAudit(partyId, adminKey),
    ]);
    setPolicyState(foundPolicy);
    setPolicyRevision((n) => n + 1);
    setAudit(foundAudit);
    setSystems(foundSystems);
  };
  const { key, busy, message, run, access, submitKey } = useAdminPage({
    partyId,
    open: reloadAll,
    reasonOf,
    onRefused: () => setSystems(null),
  });

  useEffect(() => {
    if (created) createdRef.current?.focus(); // the key is the one thing to act on now
  }, [created]);

  const handleRegister = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const systemName = name.trim();
    setNameError(systemName ? null : 'Giv systemet et navn, fx "MinLæge app".');
    if (!systemName) return;
    setCopied(null);
    void run(async () => {
      const system = await registerSystem(partyId, key, { name: systemName, report, lookup });
      setCreated(system);
      setName('');
      await reloadSystems();
    });
  };

  const handleCopy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('Nøglen er kopieret.');
    } catch {
      keyRef.current?.select();
      setCopied('Kunne ikke kopiere. Nøglen er markeret: kopiér den selv (Ctrl+C).');
    }
  };

  const handlePolicy = (next: PhonebookPolicy) => {
    setPolicyErrors({});
    void run(
      async () => {
        setPolicyState(await setPolicy(partyId, key, next));
        setPolicyRevision((n) => n + 1);
      },
      'Reglerne er gemt.',
      (error) => {
        if (!(error instanceof ApiError) || error.status !== 400) return;
        const named = fieldOfReason(error.message);
        if (!named) return;
        const ids = next[named.field];
        const id = named.index !== null ? ids[named.index] : undefined;
        const what = danishDetail(error.message.replace(/^[^:]*:\s*/, ''));
        setPolicyErrors({ [named.field]: id ? `"${id}": ${what}.` : `${what[0]?.toUpperCase() ?? ''}${what.slice(1)}.` });
      },
    );
  };

  return (
    <div className="stack phonebook-admin">
      <section className="panel stack" aria-labelledby="phonebook-heading">
        <h1 id="phonebook-heading" tabIndex={-1} ref={headingRef}>
          Telefonbog, {partyName}
        </h1>
        <p>
          Den dynamiske telefonbog viser, hvilket møde en person er i lige nu, på tværs af de systemer, der bruger
          VDX. Her tilmelder du jeres systemer, bestemmer hvem der må række ind i jeres møder, og ser hvem der har slået
          op.
        </p>
        <AdminAccess
          {...access}
          keyTestId="phonebook-key-input"
          keyOpen={systems === null}
          submit={{ label: 'Vis telefonbogen', testId: 'phonebook-key-submit', disabled: busy, onSubmit: submitKey }}
        />
      </section>
      <AdminMessageLine busy={busy} message={message} testId="phonebook-message" />
      {systems !== null && (
        <>
          <section className="panel stack" aria-labelledby="phonebook-register-heading">
            <h2 id="phonebook-register-heading">Tilmeld et system</h2>
            <form className="stack" onSubmit={handleRegister} noValidate>
              <TextField
                label="Systemets navn"
                hint="Fx lægens app eller et fagsystem. Navnet står i loggen over opslag."
                testId="phonebook-system-name"
                maxLength={80}
                autoComplete="off"
                error={nameError}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
              <fieldset className="phonebook-admin__group">
                <legend>Systemet må</legend>
                <Checkbox className="phonebook-admin__check" testId="phonebook-system-report" checked={report} onChange={(checked) => setReport(checked)}>melde, hvem der er i dets møder</Checkbox>
                <Checkbox className="phonebook-admin__check" testId="phonebook-system-lookup" checked={lookup} onChange={(checked) => setLookup(checked)}>slå personer op</Checkbox>
              </fieldset>
              <div>
                <Button type="submit" testId="phonebook-register" disabled={busy}>
                  Tilmeld systemet
                </Button>
              </div>
            </form>
            {created && (
              <div className="phonebook-admin__new-key stack" data-testid="phonebook-created" data-system-id={created.id}>
                <h3 id="phonebook-created-heading" tabIndex={-1} ref={createdRef}>
                  Nøgle til {created.name}
                </h3>
                <p className="phonebook-admin__warning" id="phonebook-created-warning">
                  <strong>Gem nøglen nu, den vises kun én gang.</strong> Giv den til systemets leverandør ad en sikker vej.
                  Mister I den, så slet systemet og tilmeld det igen.
                </p>
                <label className="field__label" htmlFor="phonebook-new-key">
                  Systemets nøgle (sendes som X-System-Key)
                </label>
                <div className="phonebook-admin__key-row">
                  <input
                    id="phonebook-new-key"
                    ref={keyRef}
                    className="field__input phonebook-admin__key"
                    data-testid="phonebook-new-key"
                    readOnly
                    spellCheck={false}
                    aria-describedby="phonebook-created-warning"
                    value={created.key}
                    onFocus={(event) => event.target.select()}
                  />
                  <Button variant="secondary" testId="phonebook-copy-key" onClick={() => void handleCopy()}>
                    Kopiér nøglen
                  </Button>
                </div>
                <p role="status" data-testid="phonebook-copy-status">
                  {copied}
                </p>
                <div>
                  <Button
                    variant="secondary"
                    testId="phonebook-key-saved"
                    onClick={() => {
                      setCreated(null);
                      setCopied(null);
                    }}
                  >
                    Jeg har gemt nøglen
                  </Button>
                </div>
              </div>
            )}
          </section>
          <section className="panel stack" aria-labelledby="phonebook-systems-heading">
            <h2 id="phonebook-systems-heading">Tilmeldte systemer ({systems.length})</h2>
            {systems.length === 0 ? (
              <p>Ingen systemer endnu.</p>
            ) : (
              <div className="phonebook-admin__scroll">
                <table className="phonebook-admin__table" data-testid="phonebook-systems">
                  <caption className="visually-hidden">Tilmeldte systemer</caption>
                  <thead>
                    <tr>
                      <th scope="col">Navn</th>
                      <th scope="col">Må melde</th>
                      <th scope="col">Må slå op</th>
                      <th scope="col">Oprettet</th>
                      <th scope="col">
                        <span className="visually-hidden">Handling</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {systems.map((system) => (
                      <SystemRow
                        key={system.id}
                        system={system}
                        busy={busy}
                        onDelete={() =>
                          void run(async () => {
                            await removeSystem(partyId, key, system.id);
                            if (created?.id === system.id) setCreated(null);
                            await reloadSystems();
                            headingRef.current?.focus();
                          }, `${system.name} er slettet. Dets nøgle virker ikke længere.`)
                        }
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          {policy && (
            <section className="panel stack" aria-labelledby="phonebook-policy-heading">
              <h2 id="phonebook-policy-heading">Hvem må række ind i jeres møder</h2>
              <p>
                Når personale fra en anden part finder en person i et af jeres møder, må de kun deltage, flytte personen
                eller ringe mødet op, hvis jeres regler tillader det. Som udgangspunkt må ingen.
              </p>
              <PolicyForm
                key={policyRevision}
                policy={policy}
                busy={busy}
                errors={policyErrors}
                onSave={handlePolicy}
              />
            </section>
          )}
          {audit && (
            <section className="panel stack" aria-labelledby="phonebook-audit-heading">
              <h2 id="phonebook-audit-heading">Opslag</h2>
              <p>
                Opslag foretaget af jeres systemer og personale, og opslag, der fandt et af jeres møder. Hvem der blev
                slået op, står ikke her.
              </p>
              <div>
                <Button variant="secondary" testId="phonebook-audit-refresh" disabled={busy} onClick={() => void run(reloadAudit)}>
                  Opdater listen
                </Button>
              </div>
              <AuditTable entries={audit} />
            </section>
          )}
        </>
      )}
    </div>
  );
};
