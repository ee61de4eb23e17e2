/**
 * The party's plugin set from the BFF (`/api/v1/parties/{party}/plugins`; the administrator's
 * login, or X-Admin-Key where keys are on).
 * Every write names the version it changes (If-Match); the BFF answers 412 when someone
 * else changed the set first and 422 naming the field when a setting is not valid.
 */

import { adminApi, AdminApiError, commonRefusal } from '@/lib/admin-login';
import { type ApiError, type ApiSchemas, ifMatch } from '@/lib/api-client';

export type Role = 'host' | 'guest';

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  format?: string;
}

/** A plugin version of the catalogue; its settings' schema is the plugin's own JSON Schema. */
export type CatalogueEntry = Omit<ApiSchemas['CatalogueEntryOut'], 'settingsSchema'> & { settingsSchema: JsonSchema };

/** `allow`: the permissions granted to it (each one its catalogue entry's `allow` names);
 * `version`: the catalogue version chosen (null in sets saved before versions: the newest). */
export type PartyPlugin = ApiSchemas['PartyPlugin'];

/** `sharedOriginAccepted`: plugins granted allow-same-origin share one origin: a second one
 * only when this is true. */
export type PluginSet = Omit<ApiSchemas['PluginSetOut'], 'catalogue'> & { catalogue: CatalogueEntry[] };

export type HistoryEntry = ApiSchemas['HistoryEntry'];

const FIELD = /^(plugins\[\d+\][^:]*): (.*)$/s;

const KEYS = { stale: 'admin.plugins.error.stale', tooLarge: 'admin.plugins.error.tooLarge' };

/** The refusal in the admin's words. */
const failure = ({ status, detail }: ApiError, adminKey: string): AdminApiError => {
  const common = commonRefusal(status, adminKey, KEYS);
  if (common) return common;
  switch (status) {
    case 400:
    case 404:
    case 409:
      return new AdminApiError(detail ? 'admin.plugins.error.detail' : 'admin.failed', status, detail);
    case 422: {
      const match = detail ? FIELD.exec(detail) : null;
      return new AdminApiError(
        detail ? 'admin.plugins.error.notSaved' : 'admin.plugins.error.invalid',
        422,
        match?.[2] ?? detail,
        match?.[1] ?? null,
      );
    }
    default:
      return new AdminApiError('admin.failed', status);
  }
};

const send = adminApi('/plugins', failure);

export const fetchPluginSet = async (party: string, adminKey: string): Promise<PluginSet> =>
  send<PluginSet>(party, adminKey);

export const savePluginSet = async (
  party: string,
  adminKey: string,
  version: number,
  plugins: PartyPlugin[],
  sharedOriginAccepted = false,
): Promise<PluginSet> =>
  send<PluginSet>(party, adminKey, '', {
    method: 'PUT',
    headers: ifMatch(version),
    body: { plugins, sharedOriginAccepted } satisfies ApiSchemas['PluginSetIn'],
  });

export const fetchHistory = async (party: string, adminKey: string): Promise<HistoryEntry[]> =>
  send<HistoryEntry[]>(party, adminKey, '/history');

export const rollBack = async (party: string, adminKey: string, current: number, version: number): Promise<PluginSet> =>
  send<PluginSet>(party, adminKey, '/rollback', {
    method: 'POST',
    headers: ifMatch(current),
    body: { version } satisfies ApiSchemas['RollbackIn'],
  });

/** Installs a built plugin (its zip: plugin.json beside the build) for every party to choose. */
export const installPlugin = async (party: string, adminKey: string, zip: Blob): Promise<CatalogueEntry> =>
  send<CatalogueEntry>(party, adminKey, '/catalogue', {
    method: 'POST',
    headers: { 'Content-Type': 'application/zip' },
    body: zip,
  });

/** Removes an installed plugin version; refused (409, naming them) while a party uses it. */
export const removePlugin = async (party: string, adminKey: string, id: string, version: string): Promise<void> => {
  await send<undefined>(party, adminKey, `/catalogue/${encodeURIComponent(id)}/${encodeURIComponent(version)}`, {
    method: 'DELETE',
  });
};
