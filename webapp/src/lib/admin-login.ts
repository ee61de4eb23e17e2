import { useCallback, useEffect, useEffectEvent, useState } from 'react';

import { ApiError, apiJson, type ApiRequest, type ApiSchemas, partyPath } from './api-client';

/**
 * A party administrator's login (the staff login, role `party_admin`): the admin pages use it
 * instead of a typed admin key. The login is an HttpOnly cookie that same-origin requests
 * carry by themselves; a change also carries the login's CSRF token (`X-CSRF-Token`).
 */
export interface AdminLogin {
  name: string;
  csrfToken: string;
}

let current: AdminLogin | null = null;

/** The login when it is a party_admin one of this party; null otherwise (or on any failure). */
export const fetchAdminLogin = async (partyId: string): Promise<AdminLogin | null> => {
  try {
    const body = await apiJson<ApiSchemas['StaffSessionOut']>(
      `/api/staff/v1/parties/${encodeURIComponent(partyId)}/session`,
    );
    current = body.roles.includes('party_admin') ? { name: body.name, csrfToken: body.csrf_token } : null;
  } catch {
    current = null;
  }
  return current;
};

const sameLogin = (before: AdminLogin | null | undefined, found: AdminLogin | null): boolean =>
  !!before && !!found && before.name === found.name && before.csrfToken === found.csrfToken;

/**
 * `undefined` while asking, then the login or null; and a way to ask again (after a refusal
 * that used the login: it may have ended, and the page then offers to log in again).
 */
export const useAdminLogin = (
  partyId: string,
  onLogin?: (login: AdminLogin) => void,
): [AdminLogin | null | undefined, () => void] => {
  const [asked, setAsked] = useState(0);
  const login = useAdminLoginAsked(partyId, asked, onLogin);
  const recheck = useCallback(() => setAsked((n) => n + 1), []);
  return [login, recheck];
};

/** useAdminLogin with its own count of askings (`asked`: one more asks again). */
export const useAdminLoginAsked = (
  partyId: string,
  asked: number,
  onLogin?: (login: AdminLogin) => void,
): AdminLogin | null | undefined => {
  const [login, setLogin] = useState<AdminLogin | null | undefined>(undefined);
  // The same login again keeps its identity, and `onLogin` hears only of a new one.
  const found = useEffectEvent((next: AdminLogin | null) => {
    if (sameLogin(login, next)) return;
    setLogin(next);
    if (next) onLogin?.(next);
  });
  useEffect(() => {
    let live = true;
    void fetchAdminLogin(partyId).then((next) => {
      if (live) found(next);
    });
    return () => {
      live = false;
    };
  }, [partyId, asked]);
  return login;
};

/**
 * The party's staff login (`/{party}/staff/login`), coming back to this page afterwards: the
 * BFF follows `next` only to a path of the party's own pages.
 */
export const adminLoginUrl = (partyId: string, here: string = window.location.pathname): string => {
  const login = `/${encodeURIComponent(partyId)}/staff/login`;
  return here.startsWith(`/${partyId}/`) ? `${login}?next=${encodeURIComponent(here)}` : login;
};

/** What a refusal (401) means to the admin: the typed key is wrong, or the login is over. */
/** The catalogue key of it (admin.refusal.*). */
export const refusal = (adminKey: string, keyMessage = 'admin.refusal.key'): string =>
  adminKey ? keyMessage : 'admin.refusal.login';

/** How an admin request is authorised: the typed key alone (no cookie), else the login. */
export const adminAuth = (adminKey: string): { headers: Record<string, string>; credentials: RequestCredentials } =>
  adminKey
    ? { headers: { 'X-Admin-Key': adminKey }, credentials: 'omit' }
    : { headers: current ? { 'X-CSRF-Token': current.csrfToken } : {}, credentials: 'same-origin' };

/** `request` authorised as an admin request: the typed key alone, else the login (adminAuth). */
export const adminRequest = (adminKey: string, request: ApiRequest = {}): ApiRequest => {
  const auth = adminAuth(adminKey);
  return { ...request, headers: { ...auth.headers, ...request.headers }, credentials: auth.credentials };
};

/**
 * A refused admin request in the admin's words: `message` is the catalogue key of what to show
 * (with `{{detail}}`, the BFF's reason); `field` (plugins, 422) is the BFF's path of the failing
 * field, e.g. `plugins[0].settings.destination`.
 */
export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly detail: string | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/**
 * The refusals every admin page words alike (`keys`: the page's words for a stale revision and
 * a too large upload); null: one the page words itself (404, 409, 422 ...).
 */
export const commonRefusal = (
  status: number,
  adminKey: string,
  keys: { stale: string; tooLarge: string },
): AdminApiError | null => {
  switch (status) {
    case 0:
      return new AdminApiError('admin.error.offline', 0);
    case 401:
      return new AdminApiError(refusal(adminKey), 401);
    case 412:
      return new AdminApiError(keys.stale, 412);
    case 413:
      return new AdminApiError(keys.tooLarge, 413);
    default:
      return null;
  }
};

/** One admin request: `path` below the area's prefix, the JSON answer as `T`. */
export type AdminRequest = <T>(partyId: string, adminKey: string, path?: string, request?: ApiRequest) => Promise<T>;

/**
 * An admin area's requests (`/api/v1/parties/{party}{prefix}{path}`), authorised by
 * adminRequest (the typed key alone, or the login). A refusal (ApiError) becomes what `refused`
 * makes of it, where the page words its refusals itself; any other error stays as it is.
 */
export const adminApi =
  (prefix: string, refused?: (error: ApiError, adminKey: string) => Error): AdminRequest =>
  async <T>(partyId: string, adminKey: string, path = '', request: ApiRequest = {}): Promise<T> => {
    try {
      return await apiJson<T>(partyPath('/api/v1', partyId, `${prefix}${path}`), adminRequest(adminKey, request));
    } catch (error) {
      throw refused && error instanceof ApiError ? refused(error, adminKey) : error;
    }
  };
