/**
 * The party's devices for its administrator (`/api/v1/parties/{party}/...`): the
 * administrator's login (cookie, and X-CSRF-Token on changes), or X-Admin-Key where keys are on.
 */

import { adminApi } from '@/lib/admin-login';
import type { ApiSchemas } from '@/lib/api-client';

export type AdminDevice = ApiSchemas['DeviceOut'];

export type Enrolment = ApiSchemas['EnrolmentOut'];

const request = adminApi('');

export const listDevices = (partyId: string, adminKey: string): Promise<AdminDevice[]> =>
  request(partyId, adminKey, '/devices');

export const newEnrolment = (partyId: string, adminKey: string, label: string): Promise<Enrolment> =>
  request(partyId, adminKey, '/device-enrolments', { method: 'POST', body: { label } });

export const updateDevice = (
  partyId: string,
  adminKey: string,
  deviceId: string,
  change: { label?: string; enabled?: boolean },
): Promise<AdminDevice> =>
  request(partyId, adminKey, `/devices/${encodeURIComponent(deviceId)}`, { method: 'PATCH', body: change });

export const revokeDevice = (partyId: string, adminKey: string, deviceId: string): Promise<void> =>
  request(partyId, adminKey, `/devices/${encodeURIComponent(deviceId)}`, { method: 'DELETE' });
