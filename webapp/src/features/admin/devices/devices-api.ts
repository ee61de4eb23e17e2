/**
 * The party's devices for its administrator (`/api/v1/parties/{party}/...`): the
 * administrator's login (cookie, and X-CSRF-Token on changes), or X-Admin-Key where keys are on.
 */

import { adminAuth } from '@/lib/admin-login';

export interface AdminDevice {
  id: string;
  label: string;
  enabled: boolean;
  enrolled_at: string;
  online: boolean;
  last_seen: string | null;
  battery: { level: number; charging: boolean } | null;
  app_version: string | null;
}

export interface Enrolment {
  code: string;
  expires_at: string;
  enrol_url: string;
  qr_svg: string;
}

export class DevicesApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const request = async <T>(partyId: string, adminKey: string, path: string, init: RequestInit = {}): Promise<T> => {
  const auth = adminAuth(adminKey); // the key alone, or the administrator's login
  const response = await fetch(`/api/v1/parties/${encodeURIComponent(partyId)}${path}`, {
    ...init,
    headers: { ...auth.headers, 'Content-Type': 'application/json', Accept: 'application/json' },
    credentials: auth.credentials,
    cache: 'no-store',
  });
  if (!response.ok) {
    let reason = response.statusText;
    try {
      reason = ((await response.json()) as { detail?: string }).detail ?? reason;
    } catch {
      // not JSON
    }
    throw new DevicesApiError(response.status, reason);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
};

export const listDevices = (partyId: string, adminKey: string): Promise<AdminDevice[]> =>
  request(partyId, adminKey, '/devices');

export const newEnrolment = (partyId: string, adminKey: string, label: string): Promise<Enrolment> =>
  request(partyId, adminKey, '/device-enrolments', { method: 'POST', body: JSON.stringify({ label }) });

export const updateDevice = (
  partyId: string,
  adminKey: string,
  deviceId: string,
  change: { label?: string; enabled?: boolean },
): Promise<AdminDevice> =>
  request(partyId, adminKey, `/devices/${encodeURIComponent(deviceId)}`, { method: 'PATCH', body: JSON.stringify(change) });

export const revokeDevice = (partyId: string, adminKey: string, deviceId: string): Promise<void> =>
  request(partyId, adminKey, `/devices/${encodeURIComponent(deviceId)}`, { method: 'DELETE' });
