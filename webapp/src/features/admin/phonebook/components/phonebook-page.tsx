import { ApiError } from '@/lib/api-client';
import '../phonebook.css';

import { type FormEvent, useEffect, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { Checkbox } from '@/components/checkbox';
import { DataTable } from '@/components/data-table';
import { TextField } from '@/components/text-field';
import type { PartyPageProps } from '@/config/app-config';
import { AdminPage, AdminSection } from '@/features/admin/admin-page';
import { useAdminActions, useAdminOpening, useAdminSession } from '@/features/admin/use-admin-page';
import { useRequiredText } from '@/hooks/use-required-text';
import { refusal } from '@/lib/admin-login';
import { type Translator, useI18n } from '@/lib/i18n';

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

/** What a registered system may do, in the order the form offers it. */
const SYSTEM_RIGHTS = ['report', 'lookup'] as const;

type SystemRight = (typeof SYSTEM_RIGHTS)[number];

/** What the page shows once open: loaded together, then each part again as it changes. */
interface Loaded {
  systems: PhonebookSystem[];
  policy: PhonebookPolicy;
  audit: PhonebookAuditEntry[];
}

/** The API's reasons are English for developers; the administrator reads them in the page's language. */
const readableDetail = (t: Translator['t'], reason: string): string => {
  if (/no such party/i.test(reason)) return t('admin.phonebook.detail.noParty');
  if (/name/i.test(reason) && /length|pattern|match/i.test(reason)) return t('admin.phonebook.detail.name');
  if (/pattern|match/i.test(reason)) return t('admin.phonebook.detail.partyId');
  return reason;
};

const reasonOf = (t: Translator['t'], error: unknown, adminKey: string): string => {
  if (!(error instanceof ApiError)) return t('admin.failed');
  switch (error.status) {
    case 401:
      return t(refusal(adminKey, 'admin.refusal.keyParty'));
    case 403:
      return t('admin.phonebook.error.forbidden');
    case 404:
      return t('admin.phonebook.error.gone');
    case 400:
      return t('admin.phonebook.error.invalid', { detail: readableDetail(t, error.message) });
    case 413:
      return t('admin.phonebook.error.tooMany');
    case 429:
      return t('admin.phonebook.error.slowDown');
    default:
      return t('admin.failed');
  }
};

/**
 * `/{party}/admin/phonebook`: the party's part of the dynamic phonebook. Register the systems
 * that report presence or look people up (a system's key is shown once), remove them, set who
 * may join, move people out of or dial the party's meetings, and read the look-up audit. A
 * party_admin login opens it at once; else the admin key (kept in memory only), where keys
 * are switched on.
 */
export const PhonebookPage = ({ partyId, partyName }: PartyPageProps) => {
  const { t } = useI18n();
  const session = useAdminSession(partyId);
  const { key, headingRef } = session;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [policyRevision, setPolicyRevision] = useState(0);
  const [policyErrors, setPolicyErrors] = useState<PolicyErrors>({});
  const name = useRequiredText(t('admin.phonebook.nameMissing'));
  const [may, setMay] = useState<Record<SystemRight, boolean>>({ report: true, lookup: false });
  const [created, setCreated] = useState<PhonebookSystemCreated | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const createdRef = useRef<HTMLHeadingElement>(null);
  const keyRef = useRef<HTMLInputElement>(null);
  const {
    busy,
    message,
    report: run,
  } = useAdminActions(session, {
    describe: (error, adminKey) => ({ text: reasonOf(t, error, adminKey), error: true }),
    onRefused: () => setLoaded(null),
  });

  /** One part loaded again (the page stays closed if it was closed meanwhile). */
  const update = (part: Partial<Loaded>) => setLoaded((now) => now && { ...now, ...part });
  const reloadSystems = async () => update({ systems: await listSystems(partyId, key) });
  const reloadAudit = async () => update({ audit: await readAudit(partyId, key) });
  const reloadAll = async () => {
    const [systems, policy, audit] = await Promise.all([
      listSystems(partyId, key),
      getPolicy(partyId, key),
      readAudit(partyId, key),
    ]);
    setLoaded({ systems, policy, audit });
    setPolicyRevision((n) => n + 1);
  };

  useEffect(() => {
    if (created) createdRef.current?.focus(); // the key is the one thing to act on now
  }, [created]);

  const handleKey = useAdminOpening(session, () => void run(reloadAll));

  const handleRegister = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const systemName = name.take();
    if (!systemName) return;
    setCopied(null);
    void run(async () => {
      const system = await registerSystem(partyId, key, { name: systemName, ...may });
      setCreated(system);
      name.clear();
      await reloadSystems();
    });
  };

  const handleCopy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(t('admin.phonebook.copied'));
    } catch {
      keyRef.current?.select();
      setCopied(t('admin.phonebook.copyFailed'));
    }
  };

  const handlePolicy = (next: PhonebookPolicy) => {
    setPolicyErrors({});
    void run(
      async () => {
        update({ policy: await setPolicy(partyId, key, next) });
        setPolicyRevision((n) => n + 1);
      },
      t('admin.phonebook.policySaved'),
      (error) => {
        if (!(error instanceof ApiError) || error.status !== 400) return;
        const named = fieldOfReason(error.message);
        if (!named) return;
        const ids = next[named.field];
        const id = named.index !== null ? ids[named.index] : undefined;
        const what = readableDetail(t, error.message.replace(/^[^:]*:\s*/, ''));
        setPolicyErrors({
          [named.field]: id ? `"${id}": ${what}.` : `${what[0]?.toUpperCase() ?? ''}${what.slice(1)}.`,
        });
      },
    );
  };

  return (
    <AdminPage
      page="phonebook"
      partyName={partyName}
      intro={t('admin.phonebook.intro')}
      session={session}
      open={{ label: t('admin.phonebook.show'), keyOpen: loaded === null, onSubmit: handleKey }}
      busy={busy}
      message={message}
    >
      {loaded && (
        <>
          <AdminSection id="phonebook-register-heading" title={t('admin.phonebook.registerHeading')}>
            <form className="stack" onSubmit={handleRegister} noValidate>
              <TextField
                label={t('admin.phonebook.name')}
                hint={t('admin.phonebook.nameHint')}
                testId="phonebook-system-name"
                maxLength={80}
                autoComplete="off"
                {...name.field}
              />
              <fieldset className="phonebook-admin__group">
                <legend>{t('admin.phonebook.may')}</legend>
                {SYSTEM_RIGHTS.map((right) => (
                  <Checkbox
                    key={right}
                    className="phonebook-admin__check"
                    id={`phonebook-system-${right}`}
                    testId={`phonebook-system-${right}`}
                    checked={may[right]}
                    onChange={(checked) => setMay({ ...may, [right]: checked })}
                  >
                    {t(`admin.phonebook.${right}`)}
                  </Checkbox>
                ))}
              </fieldset>
              <div>
                <Button type="submit" testId="phonebook-register" disabled={busy}>
                  {t('admin.phonebook.register')}
                </Button>
              </div>
            </form>
            {created && (
              <div
                className="phonebook-admin__new-key stack"
                data-testid="phonebook-created"
                data-system-id={created.id}
              >
                <h3 id="phonebook-created-heading" tabIndex={-1} ref={createdRef}>
                  {t('admin.phonebook.keyFor', { name: created.name })}
                </h3>
                <p className="phonebook-admin__warning" id="phonebook-created-warning">
                  <strong>{t('admin.phonebook.saveNow')}</strong> {t('admin.phonebook.saveHow')}
                </p>
                <label className="field__label" htmlFor="phonebook-new-key">
                  {t('admin.phonebook.keyLabel')}
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
                    {t('admin.phonebook.copy')}
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
                    {t('admin.phonebook.saved')}
                  </Button>
                </div>
              </div>
            )}
          </AdminSection>
          <AdminSection
            id="phonebook-systems-heading"
            title={t('admin.phonebook.systemsHeading', { count: loaded.systems.length })}
          >
            {loaded.systems.length === 0 ? (
              <p>{t('admin.phonebook.none')}</p>
            ) : (
              <DataTable
                className="phonebook-admin__table"
                testId="phonebook-systems"
                scroll={{ className: 'phonebook-admin__scroll' }}
                caption={t('admin.phonebook.systems')}
                captionHidden
                columns={[
                  t('admin.branding.colName'),
                  t('admin.phonebook.colReport'),
                  t('admin.phonebook.colLookup'),
                  t('admin.phonebook.colCreated'),
                ]}
                actions={t('admin.plugins.colAction')}
              >
                {loaded.systems.map((system) => (
                  <SystemRow
                    key={system.id}
                    system={system}
                    busy={busy}
                    onDelete={() =>
                      void run(
                        async () => {
                          await removeSystem(partyId, key, system.id);
                          if (created?.id === system.id) setCreated(null);
                          await reloadSystems();
                          headingRef.current?.focus();
                        },
                        t('admin.phonebook.deleted', { name: system.name }),
                      )
                    }
                  />
                ))}
              </DataTable>
            )}
          </AdminSection>
          <AdminSection
            id="phonebook-policy-heading"
            title={t('admin.phonebook.policyHeading')}
            intro={t('admin.phonebook.policyIntro')}
          >
            <PolicyForm
              key={policyRevision}
              policy={loaded.policy}
              busy={busy}
              errors={policyErrors}
              onSave={handlePolicy}
            />
          </AdminSection>
          <AdminSection
            id="phonebook-audit-heading"
            title={t('admin.phonebook.auditHeading')}
            intro={t('admin.phonebook.auditIntro')}
            refresh={{ testId: 'phonebook-audit-refresh', disabled: busy, onClick: () => void run(reloadAudit) }}
          >
            <AuditTable entries={loaded.audit} />
          </AdminSection>
        </>
      )}
    </AdminPage>
  );
};
