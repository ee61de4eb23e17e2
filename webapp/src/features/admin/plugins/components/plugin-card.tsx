import { useId } from 'react';

import { Button } from '@/components/button';
import { Checkbox } from '@/components/checkbox';

import type { CatalogueEntry, PartyPlugin, Role } from '../plugins-api';
import { fieldsOf } from '../schema-form';
import { SettingsFields } from './settings-fields';

export interface PluginCardProps {
  /** The version chosen (`plugin.version`, else the newest). */
  entry: CatalogueEntry;
  /** Every version of this plugin id in the catalogue, oldest first. */
  versions: CatalogueEntry[];
  plugin: PartyPlugin;
  position: number;
  count: number;
  allowedSandboxValues: string[];
  errors: Record<string, string>;
  cardError: string | null;
  onChange: (plugin: PartyPlugin) => void;
  onMove: (by: -1 | 1) => void;
}

const ROLE_LABELS: Record<Role, string> = { host: 'Personale (vært)', guest: 'Borgere (gæst)' };

const SANDBOX_LABELS: Record<string, string> = {
  'allow-same-origin': 'Egen oprindelse (allow-same-origin)',
  'allow-popups': 'Åbne vinduer (allow-popups)',
  'allow-popups-to-escape-sandbox': 'Vinduer uden sandkasse (allow-popups-to-escape-sandbox)',
  'allow-forms': 'Sende formularer (allow-forms)',
  'allow-downloads': 'Hente filer (allow-downloads)',
};

/** What each permission lets a plugin do, in the administrator's words. */
const PERMISSION_LABELS: Record<string, string> = {
  microphone: 'Mikrofonen (microphone)',
  camera: 'Kameraet (camera)',
  'display-capture': 'Dele skærmen (display-capture)',
  'clipboard-write': 'Skrive til udklipsholderen (clipboard-write)',
  fullscreen: 'Fuld skærm (fullscreen)',
  autoplay: 'Afspille lyd og video af sig selv (autoplay)',
};

const toggle = <T,>(list: T[], value: T, on: boolean): T[] => (on ? [...new Set([...list, value])] : list.filter((v) => v !== value));

/** One plugin of the party's set: on/off, order, who loads it, its rights and its settings. */
/** The id the plugin registers with, and where that was learnt. */
const Registration = ({ entry }: { entry: CatalogueEntry }) => {
  if (entry.mismatch) {
    return (
      <p className="field__error" role="alert" data-testid="plugin-registration" data-mismatch="true">
        Pluginet registrerer sig som <code>{entry.registeredId}</code>, ikke som <code>{entry.id}</code> (dets plugin.json). Det
        startes ikke, før leverandøren retter det.
      </p>
    );
  }
  return (
    <p className="plugins-admin__meta" data-testid="plugin-registration">
      Registrerings-id:{' '}
      {entry.registeredId ? (
        <>
          <code>{entry.registeredId}</code> ({entry.registeredFrom === 'build' ? 'læst fra pluginets kode' : 'set ved første indlæsning'})
        </>
      ) : (
        'kontrolleres, første gang pluginet indlæses'
      )}
    </p>
  );
};

export const PluginCard = ({ entry, versions, plugin, position, count, allowedSandboxValues, errors, cardError, onChange, onMove }: PluginCardProps) => {
  const id = useId();
  const fields = fieldsOf(entry.settingsSchema);
  const headingId = `${id}-heading`;
  return (
    <li className="panel plugins-admin__item" data-testid="plugin-admin-item" data-plugin-id={entry.id} aria-labelledby={headingId}>
      <div className="plugins-admin__head">
        <h2 id={headingId} className="plugins-admin__title">
          {entry.title}
        </h2>
        <span className="plugins-admin__meta">
          {entry.id} · version {entry.version}
        </span>
      </div>
      {entry.description && <p>{entry.description}</p>}
      <Registration entry={entry} />
      {versions.length > 1 && (
        <div className="field">
          <label htmlFor={`${id}-version`}>Version</label>
          <select
            id={`${id}-version`}
            data-testid="plugin-version"
            value={entry.version}
            onChange={(event) => onChange({ ...plugin, version: event.target.value })}
          >
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.version}
                {v.installed ? ' (installeret)' : ''}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="plugins-admin__row">
        <Checkbox className="plugins-admin__check" testId="plugin-enabled" checked={plugin.enabled} onChange={(checked) => onChange({ ...plugin, enabled: checked })}>Slået til</Checkbox>
        <div className="plugins-admin__order" role="group" aria-label={`Rækkefølge for ${entry.title}`}>
          <span className="plugins-admin__meta">
            Nummer {position + 1} af {count}
          </span>
          <Button
            variant="secondary"
            id={`move-up-${entry.id}`}
            testId="plugin-move-up"
            aria-label={`Flyt ${entry.title} op`}
            disabled={position === 0}
            onClick={() => onMove(-1)}
          >
            Op
          </Button>
          <Button
            variant="secondary"
            id={`move-down-${entry.id}`}
            testId="plugin-move-down"
            aria-label={`Flyt ${entry.title} ned`}
            disabled={position === count - 1}
            onClick={() => onMove(1)}
          >
            Ned
          </Button>
        </div>
      </div>
      <fieldset className="plugins-admin__group">
        <legend>Hvem får det</legend>
        {(['host', 'guest'] as const).map((role) => (
          <Checkbox className="plugins-admin__check" key={role} testId={`plugin-role-${role}`} checked={plugin.roles.includes(role)} onChange={(checked) => onChange({ ...plugin, roles: toggle(plugin.roles, role, checked) })}>{ROLE_LABELS[role]}</Checkbox>
        ))}
      </fieldset>
      {allowedSandboxValues.length > 0 && (
        <fieldset className="plugins-admin__group">
          <legend>Ekstra rettigheder i sandkassen</legend>
          <p className="field__hint">Giv kun de rettigheder, pluginets leverandør beder om.</p>
          {allowedSandboxValues.map((value) => (
            <Checkbox className="plugins-admin__check" key={value} checked={plugin.sandboxValues.includes(value)} onChange={(checked) => onChange({ ...plugin, sandboxValues: toggle(plugin.sandboxValues, value, checked) })}>{SANDBOX_LABELS[value] ?? value}</Checkbox>
          ))}
        </fieldset>
      )}
      {entry.allow.length > 0 && (
        <fieldset className="plugins-admin__group" data-testid="plugin-permissions">
          <legend>Hvad pluginet må bruge</legend>
          <p className="field__hint">Pluginet beder om disse. Det får kun dem, der er sat kryds ved.</p>
          {entry.allow.map((value) => (
            <Checkbox className="plugins-admin__check" key={value} testId={`plugin-allow-${value}`} checked={(plugin.allow ?? []).includes(value)} onChange={(checked) => onChange({ ...plugin, allow: toggle(plugin.allow ?? [], value, checked) })}>{PERMISSION_LABELS[value] ?? value}</Checkbox>
          ))}
        </fieldset>
      )}
      {fields.length > 0 && (
        <fieldset className="plugins-admin__group">
          <legend>Indstillinger</legend>
          <SettingsFields
            pluginId={entry.id}
            fields={fields}
            settings={plugin.settings}
            errors={errors}
            onChange={(settings) => onChange({ ...plugin, settings })}
          />
        </fieldset>
      )}
      {cardError && (
        <p className="field__error" role="alert" data-testid="plugin-error">
          {cardError}
        </p>
      )}
    </li>
  );
};
