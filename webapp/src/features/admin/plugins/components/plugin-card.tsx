import { useId } from 'react';

import { Button } from '@/components/button';
import { type Translator, useT } from '@/lib/i18n';

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

const ROLES: readonly Role[] = ['host', 'guest'];

/** Sandbox values and permissions in the administrator's words with the value itself
 * (admin.plugins.sandbox.*, admin.plugins.allow.*); an unknown one as it is. */
const SANDBOX = [
  'allow-same-origin',
  'allow-popups',
  'allow-popups-to-escape-sandbox',
  'allow-forms',
  'allow-downloads',
];
const PERMISSIONS = ['microphone', 'camera', 'display-capture', 'clipboard-write', 'fullscreen', 'autoplay'];
const labelled = (t: Translator['t'], group: string, known: string[], value: string): string =>
  known.includes(value) ? t(`admin.plugins.${group}.${value}`) : value;

const toggle = <T,>(list: T[], value: T, on: boolean): T[] =>
  on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

/** One plugin of the party's set: on/off, order, who loads it, its rights and its settings. */
/** The id the plugin registers with, and where that was learnt. */
const Registration = ({ entry }: { entry: CatalogueEntry }) => {
  const t = useT();
  if (entry.mismatch) {
    return (
      <p className="field__error" role="alert" data-testid="plugin-registration" data-mismatch="true">
        {t('admin.plugins.mismatch', { registered: entry.registeredId ?? '', id: entry.id })}
      </p>
    );
  }
  return (
    <p className="plugins-admin__meta" data-testid="plugin-registration">
      {t('admin.plugins.registration')}{' '}
      {entry.registeredId ? (
        <>
          <code>{entry.registeredId}</code> (
          {entry.registeredFrom === 'build' ? t('admin.plugins.fromBuild') : t('admin.plugins.fromLoad')})
        </>
      ) : (
        t('admin.plugins.checkedOnLoad')
      )}
    </p>
  );
};

export const PluginCard = ({
  entry,
  versions,
  plugin,
  position,
  count,
  allowedSandboxValues,
  errors,
  cardError,
  onChange,
  onMove,
}: PluginCardProps) => {
  const t = useT();
  const id = useId();
  const fields = fieldsOf(entry.settingsSchema);
  const headingId = `${id}-heading`;
  return (
    <li
      className="panel plugins-admin__item"
      data-testid="plugin-admin-item"
      data-plugin-id={entry.id}
      aria-labelledby={headingId}
    >
      <div className="plugins-admin__head">
        <h2 id={headingId} className="plugins-admin__title">
          {entry.title}
        </h2>
        <span className="plugins-admin__meta">
          {t('admin.plugins.idVersion', { id: entry.id, version: entry.version })}
        </span>
      </div>
      {entry.description && <p>{entry.description}</p>}
      <Registration entry={entry} />
      {versions.length > 1 && (
        <div className="field">
          <label htmlFor={`${id}-version`}>{t('admin.plugins.colVersion')}</label>
          <select
            id={`${id}-version`}
            data-testid="plugin-version"
            value={entry.version}
            onChange={(event) => onChange({ ...plugin, version: event.target.value })}
          >
            {versions.map((v) => (
              <option key={v.version} value={v.version}>
                {v.installed ? t('admin.plugins.installedVersion', { version: v.version }) : v.version}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="plugins-admin__row">
        <div className="plugins-admin__check">
          <input
            id={`${id}-enabled`}
            type="checkbox"
            data-testid="plugin-enabled"
            checked={plugin.enabled}
            onChange={(event) => onChange({ ...plugin, enabled: event.target.checked })}
          />
          <label htmlFor={`${id}-enabled`}>{t('admin.plugins.enabled')}</label>
        </div>
        <div
          className="plugins-admin__order"
          role="group"
          aria-label={t('admin.plugins.order', { title: entry.title })}
        >
          <span className="plugins-admin__meta">{t('admin.plugins.position', { position: position + 1, count })}</span>
          <Button
            srText={`: ${entry.title}`}
            variant="secondary"
            id={`move-up-${entry.id}`}
            testId="plugin-move-up"
            disabled={position === 0}
            onClick={() => onMove(-1)}
          >
            {t('admin.plugins.up')}
          </Button>
          <Button
            srText={`: ${entry.title}`}
            variant="secondary"
            id={`move-down-${entry.id}`}
            testId="plugin-move-down"
            disabled={position === count - 1}
            onClick={() => onMove(1)}
          >
            {t('admin.plugins.down')}
          </Button>
        </div>
      </div>
      <fieldset className="plugins-admin__group">
        <legend>{t('admin.plugins.who')}</legend>
        {ROLES.map((role) => (
          <div className="plugins-admin__check" key={role}>
            <input
              id={`${id}-role-${role}`}
              type="checkbox"
              data-testid={`plugin-role-${role}`}
              checked={plugin.roles.includes(role)}
              onChange={(event) => onChange({ ...plugin, roles: toggle(plugin.roles, role, event.target.checked) })}
            />
            <label htmlFor={`${id}-role-${role}`}>{t(`admin.plugins.role.${role}`)}</label>
          </div>
        ))}
      </fieldset>
      {allowedSandboxValues.length > 0 && (
        <fieldset className="plugins-admin__group">
          <legend>{t('admin.plugins.sandboxLegend')}</legend>
          <p className="field__hint">{t('admin.plugins.sandboxHint')}</p>
          {allowedSandboxValues.map((value) => (
            <div className="plugins-admin__check" key={value}>
              <input
                id={`${id}-sandbox-${value}`}
                type="checkbox"
                checked={plugin.sandboxValues.includes(value)}
                onChange={(event) =>
                  onChange({ ...plugin, sandboxValues: toggle(plugin.sandboxValues, value, event.target.checked) })
                }
              />
              <label htmlFor={`${id}-sandbox-${value}`}>{labelled(t, 'sandbox', SANDBOX, value)}</label>
            </div>
          ))}
        </fieldset>
      )}
      {entry.allow.length > 0 && (
        <fieldset className="plugins-admin__group" data-testid="plugin-permissions">
          <legend>{t('admin.plugins.allowLegend')}</legend>
          <p className="field__hint">{t('admin.plugins.allowHint')}</p>
          {entry.allow.map((value) => (
            <div className="plugins-admin__check" key={value}>
              <input
                id={`${id}-allow-${value}`}
                type="checkbox"
                data-testid={`plugin-allow-${value}`}
                checked={(plugin.allow ?? []).includes(value)}
                onChange={(event) =>
                  onChange({ ...plugin, allow: toggle(plugin.allow ?? [], value, event.target.checked) })
                }
              />
              <label htmlFor={`${id}-allow-${value}`}>{labelled(t, 'allow', PERMISSIONS, value)}</label>
            </div>
          ))}
        </fieldset>
      )}
      {fields.length > 0 && (
        <fieldset className="plugins-admin__group">
          <legend>{t('plugins.settings')}</legend>
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
