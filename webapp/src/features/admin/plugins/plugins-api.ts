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

export interface CatalogueEntry {
  id: string;
  version: string;
  title: string;
  description: string;
  defaultSandboxValues: string[];
  defaultRoles: Role[];
  settingsSchema: JsonSchema;
  api: string[];
  /** The browser permissions the plugin uses (its plugin.json `allow`). */
  allow: string[];
  /** The id it registers with: read from its build ('build') or seen at its first load ('load'). */
  registeredId: string | null;
  registeredFrom: 'build' | 'load' | null;
  /** It registers under another id than `id`: it is not started. */
  mismatch: boolean;
  /** Installed while running (an upload or the operator command), not from the folder. */
  installed: boolean;
  installedAt: string | null;
  installedBy: string | null;
}

export type PartyPlugin = ApiSchemas['PartyPlugin'];

/** The OpenAPI document leaves the catalogue's entries open: CatalogueEntry says what they hold. */
export type PluginSet = Omit<ApiSchemas['PluginSetOut'], 'catalogue' | 'plugins'> & {
  catalogue: CatalogueEntry[];
  plugins: PartyPlugin[];
};

export type HistoryEntry = ApiSchemas['HistoryEntry'];

/** A refused request, with a Danish message fit to show the admin. `field` (for 422) is
 * the BFF's path of the failing field, e.g. `plugins[0].settings.destination`. */
export class AdminApiError extends ApiError {
  constructor(
    message: string,
    status: number,
    readonly field: string | null = null,
    detail: string | null = null,
  ) {
    super(status, detail, message);
  }
}

const base = (party: string): string => `/api/v1/parties/${encodeURIComponent(party)}/plugins`;

const FIELD = /^(plugins\[\d+\][^:]*): (.*)$/s;

const failure = (status: number, detail: string | null, adminKey: string): AdminApiError => {
  switch (status) {
    case 0:
      return new AdminApiError('Ingen forbindelse. Tjek netværket og prøv igen.', 0);
    case 401:
      return new AdminApiError(refusal(adminKey), 401);
    case 412:
      return new AdminApiError(
        'En anden har ændret opsætningen, siden du hentede den. Hent den igen, og lav din ændring igen.',
        412,
      );
    case 413:
      return new AdminApiError('Ændringen er for stor til at blive gemt.', 413);
    case 400:
    case 404:
    case 409:
      return new AdminApiError(detail ?? 'Der opstod en fejl.', status, null, detail);
    case 422: {
      const match = detail ? FIELD.exec(detail) : null;
      return new AdminApiError(
        `Opsætningen blev ikke gemt: ${detail ?? 'ugyldige indstillinger'}`,
        422,
        match?.[1] ?? null,
        match?.[2] ?? detail,
      );
    }
    default:
      return new AdminApiError('Der opstod en fejl. Prøv igen om lidt.', status);
  }
};

const send = async <T>(path: string, adminKey: string, init: ApiRequest = {}): Promise<T> => {
  try {
    return await apiJson<T>(path, adminRequest(adminKey, init));
  } catch (error) {
    throw error instanceof ApiError ? failure(error.status, error.detail, adminKey) : error;
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
export const removePlugin = async (party: string, adminKey: string, id: string, version: string): Promise<void> =>
  send<void>(`${base(party)}/catalogue/${encodeURIComponent(id)}/${encodeURIComponent(version)}`, adminKey, {
    method: 'DELETE',
  });
