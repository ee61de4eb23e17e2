import '../plugins.css';

import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { Checkbox } from '@/components/checkbox';
import { DataTable } from '@/components/data-table';
import type { PartyPageProps } from '@/config/app-config';
import { AdminPage, AdminSection } from '@/features/admin/admin-page';
import { useAdminActions, useAdminOpening, useAdminSession } from '@/features/admin/use-admin-page';
import { AdminApiError } from '@/lib/admin-login';
import { useI18n } from '@/lib/i18n';
import { longDateTime } from '@/lib/meeting-time';

import {
  type CatalogueEntry,
  fetchHistory,
  fetchPluginSet,
  type HistoryEntry,
  installPlugin,
  type PartyPlugin,
  type PluginSet,
  removePlugin,
  rollBack,
  savePluginSet,
} from '../plugins-api';
import { checkSettings, fieldsOf } from '../schema-form';
import { PluginCard } from './plugin-card';

interface Loaded {
  set: PluginSet;
  drafts: PartyPlugin[];
  history: HistoryEntry[];
}

type Problems = Record<string, Record<string, string>>;

/** The catalogue's versions of `id`, oldest first (the BFF sends them in that order). */
const versionsOf = (set: PluginSet, id: string): CatalogueEntry[] => set.catalogue.filter((entry) => entry.id === id);

/** The chosen version's entry (none chosen: the newest). */
const chosenEntry = (set: PluginSet, plugin: PartyPlugin): CatalogueEntry | undefined => {
  const versions = versionsOf(set, plugin.id);
  return versions.find((entry) => entry.version === plugin.version) ?? versions[versions.length - 1];
};

/** The set in its order, then every other catalogue plugin (off, with its defaults). */
const draftsOf = (set: PluginSet): PartyPlugin[] => {
  const known = new Set(set.catalogue.map((entry) => entry.id));
  // A version gone from the catalogue (or none recorded) shows and saves as the newest.
  const chosen = set.plugins
    .filter((plugin) => known.has(plugin.id))
    .map((plugin) => ({ ...plugin, version: chosenEntry(set, plugin)?.version ?? null }));
  const ids = [...new Set(set.catalogue.map((entry) => entry.id))];
  const rest = ids
    .filter((id) => !chosen.some((plugin) => plugin.id === id))
    .map((id) => versionsOf(set, id).at(-1) as CatalogueEntry)
    .map((entry) => ({
      id: entry.id,
      version: entry.version,
      enabled: false,
      settings: {},
      sandboxValues: entry.defaultSandboxValues.filter((v) => set.allowedSandboxValues.includes(v)),
      allow: [],
      roles: entry.defaultRoles,
    }));
  return [...chosen, ...rest];
};

/** What is sent: plugins switched on, already in the set, or with settings given. */
const toSend = (set: PluginSet, drafts: PartyPlugin[]): PartyPlugin[] =>
  drafts.filter((d) => d.enabled || set.plugins.some((p) => p.id === d.id) || Object.keys(d.settings).length > 0);

const SAME_ORIGIN = 'allow-same-origin';

/**
 * `/{party}/admin/plugins`: the party's Webapp3 plugins: on and off, order, who loads them,
 * their settings (a form from each plugin's schema), the history and rollback. A party_admin
 * login opens it at once; else the admin key (where keys are on), kept in memory only.
 */
export const PluginsPage = ({ partyId, partyName }: PartyPageProps) => {
  const { t, language } = useI18n();
  const session = useAdminSession(partyId);
  const { key } = session;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [cardErrors, setCardErrors] = useState<Record<string, string>>({});
  const [sharedAccepted, setSharedAccepted] = useState(false);
  const { busy, message, setMessage, run } = useAdminActions(session, {
    describe: (error) => ({
      text: error instanceof AdminApiError ? t(error.message, { detail: error.detail ?? '' }) : t('admin.failed'),
      error: true,
    }),
    onRefused: () => setLoaded(null),
  });

  const load = async (key: string, note: string | null = null) => {
    const [set, history] = await Promise.all([fetchPluginSet(partyId, key), fetchHistory(partyId, key)]);
    setLoaded({ set, drafts: draftsOf(set), history });
    setSharedAccepted(set.sharedOriginAccepted);
    setProblems({});
    setCardErrors({});
    setMessage(note ? { text: note, error: false } : null);
  };

  const handleKey = useAdminOpening(session, () => void run(() => load(key)));

  const entryOf = (plugin: PartyPlugin): CatalogueEntry | undefined =>
    loaded ? chosenEntry(loaded.set, plugin) : undefined;

  const update = (index: number, plugin: PartyPlugin) => {
    if (!loaded) return;
    const drafts = loaded.drafts.map((d, i) => (i === index ? plugin : d));
    setLoaded({ ...loaded, drafts });
    if (problems[plugin.id]) {
      const entry = entryOf(plugin);
      const again = entry ? checkSettings(fieldsOf(entry.settingsSchema), plugin.settings, t) : {};
      setProblems({
        ...problems,
        [plugin.id]: Object.fromEntries(Object.entries(again).filter(([path]) => path in (problems[plugin.id] ?? {}))),
      });
    }
  };

  const move = (index: number, by: -1 | 1) => {
    if (!loaded) return;
    const drafts = [...loaded.drafts];
    const [moved] = drafts.splice(index, 1);
    if (!moved) return;
    drafts.splice(index + by, 0, moved);
    setLoaded({ ...loaded, drafts });
    const button = by === -1 ? 'up' : 'down';
    requestAnimationFrame(() => {
      const target = document.getElementById(`move-${button}-${moved.id}`) as HTMLButtonElement | null;
      (target && !target.disabled
        ? target
        : document.getElementById(`move-${button === 'up' ? 'down' : 'up'}-${moved.id}`)
      )?.focus();
    });
  };

  const handleSave = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!loaded) return;
    const sending = toSend(loaded.set, loaded.drafts);
    const found: Problems = {};
    for (const plugin of sending) {
      const entry = entryOf(plugin);
      const checked = entry ? checkSettings(fieldsOf(entry.settingsSchema), plugin.settings, t) : {};
      if (Object.keys(checked).length > 0) found[plugin.id] = checked;
    }
    setProblems(found);
    setCardErrors({});
    if (Object.keys(found).length > 0) {
      setMessage({ text: t('admin.plugins.fixFields'), error: true });
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.plugins-admin [aria-invalid="true"]')?.focus());
      return;
    }
    void run(async () => {
      try {
        const saved = await savePluginSet(partyId, key, loaded.set.version, sending, sharedAccepted);
        await load(key, t('admin.plugins.saved', { version: saved.version }));
      } catch (error) {
        if (error instanceof AdminApiError && error.status === 422 && error.field) {
          const index = Number(/^plugins\[(\d+)\]/.exec(error.field)?.[1]);
          const plugin = sending[index];
          const path = /^plugins\[\d+\]\.settings\.(.+)$/.exec(error.field)?.[1];
          if (plugin && path) setProblems({ [plugin.id]: { [path]: error.detail ?? t('admin.plugins.badValue') } });
          else if (plugin) setCardErrors({ [plugin.id]: error.detail ?? error.message });
        }
        throw error;
      }
    });
  };

  const handleRollback = (version: number) => {
    if (!loaded) return;
    void run(async () => {
      const saved = await rollBack(partyId, key, loaded.set.version, version);
      await load(key, t('admin.plugins.rolledBack', { version, saved: saved.version }));
    });
  };

  const handleInstall = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('plugin-zip') as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (!file) {
      setMessage({ text: t('admin.plugins.chooseZip'), error: true });
      return;
    }
    void run(async () => {
      try {
        const entry = await installPlugin(partyId, key, file);
        if (input) input.value = '';
        await load(key, t('admin.plugins.installed', { title: entry.title, id: entry.id, version: entry.version }));
      } catch (error) {
        if (error instanceof AdminApiError && error.detail)
          throw new AdminApiError('admin.plugins.error.notInstalled', error.status, error.detail);
        throw error;
      }
    });
  };

  const handleRemove = (entry: CatalogueEntry) => {
    void run(async () => {
      try {
        await removePlugin(partyId, key, entry.id, entry.version);
        await load(key, t('admin.plugins.removed', { id: entry.id, version: entry.version }));
      } catch (error) {
        if (error instanceof AdminApiError && error.detail)
          throw new AdminApiError('admin.plugins.error.notRemoved', error.status, error.detail);
        throw error;
      }
    });
  };

  const current = loaded?.set;
  const sharing = loaded ? toSend(loaded.set, loaded.drafts).filter((p) => p.sandboxValues.includes(SAME_ORIGIN)) : [];
  const titleOf = (plugin: PartyPlugin): string => entryOf(plugin)?.title ?? plugin.id;

  return (
    <AdminPage
      page="plugins"
      partyName={partyName}
      intro={t('admin.plugins.intro')}
      session={session}
      open={{ label: t('admin.plugins.open'), keyOpen: !loaded, onSubmit: handleKey }}
      busy={busy}
      message={message}
      onReload={() => void run(() => load(key))}
    >
      {loaded && current && (
        <>
          <form className="stack" onSubmit={handleSave} noValidate aria-labelledby="plugins-list-heading">
            <h2 id="plugins-list-heading">
              {current.version === 0
                ? t('admin.plugins.none')
                : t('admin.plugins.version', {
                    version: current.version,
                    when: longDateTime(current.at, language),
                    by: current.by ?? t('admin.plugins.unknown'),
                  })}
            </h2>
            <ol className="plugins-admin__list" data-testid="plugin-admin-list">
              {loaded.drafts.map((plugin, index) => {
                const entry = entryOf(plugin);
                return entry ? (
                  <PluginCard
                    key={plugin.id}
                    entry={entry}
                    versions={versionsOf(current, plugin.id)}
                    plugin={plugin}
                    position={index}
                    count={loaded.drafts.length}
                    allowedSandboxValues={current.allowedSandboxValues}
                    errors={problems[plugin.id] ?? {}}
                    cardError={cardErrors[plugin.id] ?? null}
                    onChange={(changed) => update(index, changed)}
                    onMove={(by) => move(index, by)}
                  />
                ) : null;
              })}
            </ol>
            {current.allowedSandboxValues.includes(SAME_ORIGIN) && (
              <div className="notice stack" data-testid="plugins-shared-origin">
                <p>{t('admin.plugins.sharedOrigin')}</p>
                {sharing.length > 1 && (
                  <Checkbox
                    className="plugins-admin__check"
                    id="plugins-shared-origin-accept"
                    testId="plugins-shared-origin-accept"
                    checked={sharedAccepted}
                    onChange={setSharedAccepted}
                  >
                    {t('admin.plugins.acceptShared', {
                      plugins: sharing.map((p) => titleOf(p)).join(t('admin.plugins.and')),
                    })}
                  </Checkbox>
                )}
              </div>
            )}
            <div>
              <Button type="submit" testId="plugins-save" disabled={busy}>
                {t('admin.plugins.save')}
              </Button>
            </div>
          </form>
          <AdminSection
            id="plugins-catalogue-heading"
            title={t('admin.plugins.catalogue')}
            intro={t('admin.plugins.catalogueIntro')}
            testId="plugins-catalogue"
          >
            <form className="stack" onSubmit={handleInstall} noValidate>
              <div className="field">
                <label htmlFor="plugin-zip">{t('admin.plugins.zip')}</label>
                <input
                  id="plugin-zip"
                  name="plugin-zip"
                  type="file"
                  accept=".zip,application/zip"
                  data-testid="plugin-zip"
                />
              </div>
              <div>
                <Button type="submit" testId="plugin-install" disabled={busy}>
                  {t('admin.plugins.install')}
                </Button>
              </div>
            </form>
            {current.catalogue.some((entry) => entry.installed) && (
              <ul className="stack" data-testid="plugins-installed">
                {current.catalogue
                  .filter((entry) => entry.installed)
                  .map((entry) => (
                    <li
                      key={`${entry.id}/${entry.version}`}
                      data-testid="plugins-installed-row"
                      data-plugin-id={entry.id}
                      data-version={entry.version}
                    >
                      {t('admin.plugins.entry', { title: entry.title, id: entry.id, version: entry.version })}{' '}
                      <Button
                        srText={` ${t('admin.plugins.entryShort', { id: entry.id, version: entry.version })}`}
                        variant="secondary"
                        testId="plugin-remove"
                        disabled={busy}
                        onClick={() => handleRemove(entry)}
                      >
                        {t('admin.devices.revoke')}
                      </Button>
                    </li>
                  ))}
              </ul>
            )}
          </AdminSection>
          <AdminSection id="plugins-history-heading" title={t('admin.plugins.history')}>
            {loaded.history.length === 0 ? (
              <p>{t('admin.plugins.noHistory')}</p>
            ) : (
              <DataTable
                className="plugins-admin__history"
                testId="plugins-history"
                caption={t('admin.plugins.historyCaption')}
                captionHidden
                columns={[t('admin.plugins.colVersion'), t('admin.plugins.colWhen'), t('admin.plugins.colBy')]}
                actions={t('admin.plugins.colAction')}
              >
                {[...loaded.history].reverse().map((entry) => (
                  <tr key={entry.version} data-testid="plugins-history-row">
                    <td>{entry.version}</td>
                    <td>{longDateTime(entry.at, language)}</td>
                    <td>{entry.by}</td>
                    <td>
                      {entry.version === current.version ? (
                        t('admin.plugins.current')
                      ) : (
                        <Button
                          variant="secondary"
                          testId={`plugins-rollback-${entry.version}`}
                          disabled={busy}
                          onClick={() => handleRollback(entry.version)}
                        >
                          {t('admin.plugins.rollback', { version: entry.version })}
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </AdminSection>
        </>
      )}
    </AdminPage>
  );
};
