/**
 * The party's plugin set from the BFF (`/api/v1/parties/{party}/plugins`; the administrator's
 * login, or X-Admin-Key where keys are on).
 * Every write names the version it changes (If-Match); the BFF answers 412 when someone
 * else changed the set first and 422 naming the field when a setting is not valid.
 */

import { adminRequest, refusal } from '@/lib/admin-login';
import { ApiError, apiJson, type ApiRequest, type ApiSchemas } from '@/lib/api-client';

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

/** A refused request: `message` is the catalogue key of what to show the admin (with
 * `{{detail}}`, the BFF's reason). `field` (for 422) is the BFF's path of the failing field,
 * e.g. `plugins[0].settings.destination`. */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | null = null,
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

const base = (party: string): string => `/api/v1/parties/${encodeURIComponent(party)}/plugins`;

const FIELD = /^(plugins\[\d+\][^:]*): (.*)$/s;

/** The refusal in the admin's words (an error that is no refusal stays as it is). */
const failure = (error: unknown, adminKey: string): unknown => {
  if (!(error instanceof ApiError)) return error;
  const { status, detail } = error;
  switch (status) {
    case 0:
      return new AdminApiError('admin.error.offline', 0);
    case 401:
      return new AdminApiError(refusal(adminKey), 401);
    case 412:
      return new AdminApiError('admin.plugins.error.stale', 412);
    case 413:
      return new AdminApiError('admin.plugins.error.tooLarge', 413);
    case 400:
    case 404:
    case 409:
      return new AdminApiError(detail ? 'admin.plugins.error.detail' : 'admin.failed', status, null, detail);
    case 422: {
      const match = detail ? FIELD.exec(detail) : null;
      return new AdminApiError(
        detail ? 'admin.plugins.error.notSaved' : 'admin.plugins.error.invalid',
        422,
        match?.[1] ?? null,
        match?.[2] ?? detail,
      );
    }
    default:
      return new AdminApiError('admin.failed', status);
  }
};

const send = async <T>(url: string, adminKey: string, request: ApiRequest = {}): Promise<T> => {
  try {
    return await apiJson<T>(url, adminRequest(adminKey, request)); // the key alone, or the login
  } catch (error) {
    throw failure(error, adminKey);
  }
};

export const fetchPluginSet = async (party: string, adminKey: string): Promise<PluginSet> =>
  send<PluginSet>(base(party), adminKey);

export const savePluginSet = async (
  party: string,
  adminKey: string,
  version: number,
  plugins: PartyPlugin[],
  sharedOriginAccepted = false,
): Promise<PluginSet> =>
  send<PluginSet>(base(party), adminKey, {
    method: 'PUT',
    headers: { 'If-Match': `"${version}"` },
    body: { plugins, sharedOriginAccepted },
  });

export const fetchHistory = async (party: string, adminKey: string): Promise<HistoryEntry[]> =>
  send<HistoryEntry[]>(`${base(party)}/history`, adminKey);

export const rollBack = async (party: string, adminKey: string, current: number, version: number): Promise<PluginSet> =>
  send<PluginSet>(`${base(party)}/rollback`, adminKey, {
    method: 'POST',
    headers: { 'If-Match': `"${current}"` },
    body: { version },
  });

/** Installs a built plugin (its zip: plugin.json beside the build) for every party to choose. */
export const installPlugin = async (party: string, adminKey: string, zip: Blob): Promise<CatalogueEntry> =>
  send<CatalogueEntry>(`${base(party)}/catalogue`, adminKey, {
    method: 'POST',
    headers: { 'Content-Type': 'application/zip' },
    body: zip,
  });

/** Removes an installed plugin version; refused (409, naming them) while a party uses it. */
export const removePlugin = async (party: string, adminKey: string, id: string, version: string): Promise<void> => {
  await send<undefined>(`${base(party)}/catalogue/${encodeURIComponent(id)}/${encodeURIComponent(version)}`, adminKey, {
    method: 'DELETE',
  });
};
