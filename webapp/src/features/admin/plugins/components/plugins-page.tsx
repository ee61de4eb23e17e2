import '../plugins.css';

import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { Checkbox } from '@/components/checkbox';
import { AdminAccess } from '@/features/admin/admin-access';
import { AdminMessageLine } from '@/features/admin/admin-message';
import { useAdminPage } from '@/features/admin/use-admin-page';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';

import {
  AdminApiError,
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

export interface PluginsPageProps {
  partyId: string;
  partyName: string;
}

interface Loaded {
  set: PluginSet;
  drafts: PartyPlugin[];
  history: HistoryEntry[];
}

type Problems = Record<string, Record<string, string>>;

const WHEN = new Intl.DateTimeFormat('da-DK', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Copenhagen' });
const when = (iso: string | null): string => (iso ? WHEN.format(new Date(iso)) : '');

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
export const PluginsPage = ({ partyId, partyName }: PluginsPageProps) => {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [cardErrors, setCardErrors] = useState<Record<string, string>>({});
  const [sharedAccepted, setSharedAccepted] = useState(false);

  const load = async (key: string, note: string | null = null) => {
    const [set, history] = await Promise.all([fetchPluginSet(partyId, key), fetchHistory(partyId, key)]);
    setLoaded({ set, drafts: draftsOf(set), history });
    setSharedAccepted(set.sharedOriginAccepted);
    setProblems({});
    setCardErrors({});
    setMessage(note ? { text: note, error: false } : null);
  };

  const { key, busy, message, setMessage, run, access, submitKey } = useAdminPage({
    partyId,
    open: (adminKey) => load(adminKey),
    reasonOf: (error) => (error instanceof AdminApiError ? error.message : 'Der opstod en fejl.'),
    onRefused: () => setLoaded(null),
    clearMessage: false,
  });

  const entryOf = (plugin: PartyPlugin): CatalogueEntry | undefined => (loaded ? chosenEntry(loaded.set, plugin) : undefined);

  const update = (index: number, plugin: PartyPlugin) => {
    if (!loaded) return;
    const drafts = loaded.drafts.map((d, i) => (i === index ? plugin : d));
    setLoaded({ ...loaded, drafts });
    if (problems[plugin.id]) {
      const entry = entryOf(plugin);
      const again = entry ? checkSettings(fieldsOf(entry.settingsSchema), plugin.settings) : {};
      setProblems({ ...problems, [plugin.id]: Object.fromEntries(Object.entries(again).filter(([path]) => path in (problems[plugin.id] ?? {}))) });
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
      (target && !target.disabled ? target : document.getElementById(`move-${button === 'up' ? 'down' : 'up'}-${moved.id}`))?.focus();
    });
  };

  const handleSave = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!loaded) return;
    const sending = toSend(loaded.set, loaded.drafts);
    const found: Problems = {};
    for (const plugin of sending) {
      const entry = entryOf(plugin);
      const checked = entry ? checkSettings(fieldsOf(entry.settingsSchema), plugin.settings) : {};
      if (Object.keys(checked).length > 0) found[plugin.id] = checked;
    }
    setProblems(found);
    setCardErrors({});
    if (Object.keys(found).length > 0) {
      setMessage({ text: 'Opsætningen blev ikke gemt: ret de markerede felter.', error: true });
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.plugins-admin [aria-invalid="true"]')?.focus());
      return;
    }
    void run(async () => {
      try {
        const saved = await savePluginSet(partyId, key, loaded.set.version, sending, sharedAccepted);
        await load(key, `Gemt som version ${saved.version}. Ændringen gælder fra næste gang et møde åbnes.`);
      } catch (error) {
        if (error instanceof AdminApiError && error.status === 422 && error.field) {
          const index = Number(/^plugins\[(\d+)\]/.exec(error.field)?.[1]);
          const plugin = sending[index];
          const path = /^plugins\[\d+\]\.settings\.(.+)$/.exec(error.field)?.[1];
          if (plugin && path) setProblems({ [plugin.id]: { [path]: error.detail ?? 'Ugyldig værdi.' } });
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
      await load(key, `Version ${version} er gendannet som version ${saved.version}.`);
    });
  };

  const handleInstall = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('plugin-zip') as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (!file) {
      setMessage({ text: 'Vælg en zip-fil med et bygget plugin (plugin.json ved siden af bygget).', error: true });
      return;
    }
    void run(async () => {
      try {
        const entry = await installPlugin(partyId, key, file);
        if (input) input.value = '';
        await load(key, `${entry.title} (${entry.id}) version ${entry.version} er installeret.`);
      } catch (error) {
        if (error instanceof AdminApiError && error.detail) throw new AdminApiError(`Pluginet blev ikke installeret: ${error.detail}`, error.status);
        throw error;
      }
    });
  };

  const handleRemove = (entry: CatalogueEntry) => {
    void run(async () => {
      try {
        await removePlugin(partyId, key, entry.id, entry.version);
        await load(key, `${entry.id} version ${entry.version} er fjernet fra kataloget.`);
      } catch (error) {
        if (error instanceof AdminApiError && error.detail) throw new AdminApiError(`Pluginet blev ikke fjernet: ${error.detail}`, error.status);
        throw error;
      }
    });
  };

  const current = loaded?.set;
  const sharing = loaded ? toSend(loaded.set, loaded.drafts).filter((p) => p.sandboxValues.includes(SAME_ORIGIN)) : [];
  const titleOf = (plugin: PartyPlugin): string => entryOf(plugin)?.title ?? plugin.id;
  return (
    <div className="plugins-admin stack">
      <section className="panel stack" aria-labelledby="plugins-heading">
        <h1 id="plugins-heading" ref={headingRef} tabIndex={-1}>
          Plugins for {partyName}
        </h1>
        <p>Vælg, hvilke plugins der indlæses i møderne, i hvilken rækkefølge, for hvem og med hvilke indstillinger.</p>
        <AdminAccess
          {...access}
          keyTestId="plugins-key-input"
          keyOpen={!loaded}
          submit={{ label: 'Åbn opsætningen', testId: 'plugins-key-submit', disabled: busy, onSubmit: submitKey }}
        />
      </section>
      <AdminMessageLine busy={busy} message={message} testId="plugins-message">
        {message?.stale && (
          <Button variant="secondary" testId="plugins-reload" disabled={busy} onClick={() => void run(() => load(key))}>
            Hent opsætningen igen
          </Button>
        )}
      </AdminMessageLine>
      {loaded && current && (
        <>
          <form className="stack" onSubmit={handleSave} noValidate aria-labelledby="plugins-list-heading">
            <h2 id="plugins-list-heading">
              {current.version === 0
                ? 'Ingen plugins valgt endnu'
                : `Version ${current.version}, ændret ${when(current.at)} af ${current.by ?? 'ukendt'}`}
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
                <p>
                  Plugins med «Egen oprindelse (allow-same-origin)» hentes alle fra den samme plugin-adresse. Derfor kan de læse
                  hinandens vinduer, gemte data og plugin-nøgler. Giv det kun til plugins, I stoler lige meget på.
                </p>
                {sharing.length > 1 && (
                  <Checkbox className="plugins-admin__check" testId="plugins-shared-origin-accept" checked={sharedAccepted} onChange={(checked) => setSharedAccepted(checked)}>Jeg accepterer, at {sharing.map((p) => titleOf(p)).join(' og ')} kan læse hinandens data</Checkbox>
                )}
              </div>
            )}
            <div>
              <Button type="submit" testId="plugins-save" disabled={busy}>
                Gem ændringer
              </Button>
            </div>
          </form>
          <section className="panel stack" aria-labelledby="plugins-catalogue-heading" data-testid="plugins-catalogue">
            <h2 id="plugins-catalogue-heading">Installerede plugins</h2>
            <p>
              Et bygget plugin (en zip med plugin.json ved siden af bygget) kan installeres her uden genstart. Alle parter kan derefter
              vælge det; en version, som en part bruger, kan ikke fjernes.
            </p>
            <form className="stack" onSubmit={handleInstall} noValidate>
              <div className="field">
                <label htmlFor="plugin-zip">Plugin (zip)</label>
                <input id="plugin-zip" name="plugin-zip" type="file" accept=".zip,application/zip" data-testid="plugin-zip" />
              </div>
              <div>
                <Button type="submit" testId="plugin-install" disabled={busy}>
                  Installér
                </Button>
              </div>
            </form>
            {current.catalogue.some((entry) => entry.installed) && (
              <ul className="stack" data-testid="plugins-installed">
                {current.catalogue
                  .filter((entry) => entry.installed)
                  .map((entry) => (
                    <li key={`${entry.id}/${entry.version}`} data-testid="plugins-installed-row" data-plugin-id={entry.id} data-version={entry.version}>
                      {entry.title} ({entry.id}) version {entry.version}{' '}
                      <Button
                        variant="secondary"
                        testId="plugin-remove"
                        aria-label={`Fjern ${entry.id} version ${entry.version}`}
                        disabled={busy}
                        onClick={() => handleRemove(entry)}
                      >
                        Fjern
                      </Button>
                    </li>
                  ))}
              </ul>
            )}
          </section>
          <section className="panel stack" aria-labelledby="plugins-history-heading">
            <h2 id="plugins-history-heading">Historik</h2>
            {loaded.history.length === 0 ? (
              <p>Ingen ændringer endnu.</p>
            ) : (
              <table className="plugins-admin__history" data-testid="plugins-history">
                <caption className="visually-hidden">Tidligere versioner af opsætningen</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Tidspunkt</th>
                    <th scope="col">Ændret af</th>
                    <th scope="col">
                      <span className="visually-hidden">Handling</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {[...loaded.history].reverse().map((entry) => (
                    <tr key={entry.version} data-testid="plugins-history-row">
                      <td>{entry.version}</td>
                      <td>{when(entry.at)}</td>
                      <td>{entry.by}</td>
                      <td>
                        {entry.version === current.version ? (
                          'Gældende'
                        ) : (
                          <Button
                            variant="secondary"
                            testId={`plugins-rollback-${entry.version}`}
                            disabled={busy}
                            onClick={() => handleRollback(entry.version)}
                          >
                            Gendan version {entry.version}
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </div>
  );
};
