import { useEffect, useState } from 'react';

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

interface SessionBody {
  name: string;
  roles: string[];
  csrf_token: string;
}

/** The login when it is a party_admin one of this party; null otherwise (or on any failure). */
export const fetchAdminLogin = async (partyId: string): Promise<AdminLogin | null> => {
  try {
    const response = await fetch(`/api/staff/v1/parties/${encodeURIComponent(partyId)}/session`, {
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!response.ok) return (current = null);
    const body = (await response.json()) as SessionBody;
    current = body.roles.includes('party_admin') ? { name: body.name, csrfToken: body.csrf_token } : null;
  } catch {
    current = null;
  }
  return current;
};

/** `undefined` while asking, then the login or null. */
export const useAdminLogin = (partyId: string): AdminLogin | null | undefined => {
  const [login, setLogin] = useState<AdminLogin | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void fetchAdminLogin(partyId).then((found) => {
      if (live) setLogin(found);
    });
    return () => {
      live = false;
    };
  }, [partyId]);
  return login;
};

/** How an admin request is authorised: the typed key alone (no cookie), else the login. */
export const adminAuth = (adminKey: string): { headers: Record<string, string>; credentials: RequestCredentials } =>
  adminKey
    ? { headers: { 'X-Admin-Key': adminKey }, credentials: 'omit' }
    : { headers: current ? { 'X-CSRF-Token': current.csrfToken } : {}, credentials: 'same-origin' };
