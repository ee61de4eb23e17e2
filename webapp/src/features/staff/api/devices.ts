/** The staff view's calls into the BFF: same-origin, authorised by the host's session cookie. */

import { apiJson, type ApiSchemas } from '@/lib/api-client';

export type StaffDevice = ApiSchemas['DeviceOut'];

export type DeviceCall = ApiSchemas['DeviceCallOut'];
export type DeviceCallStatus = DeviceCall['status'];

export const listDevices = (): Promise<StaffDevice[]> => apiJson<StaffDevice[]>('/api/staff/v1/devices');

export const callDevice = (deviceId: string): Promise<DeviceCall> =>
  apiJson<DeviceCall>('/api/staff/v1/device-calls', {
    method: 'POST',
    body: { device_id: deviceId } satisfies ApiSchemas['DeviceCallIn'],
  });

export const readCall = (callId: string): Promise<DeviceCall> =>
  apiJson<DeviceCall>(`/api/staff/v1/device-calls/${encodeURIComponent(callId)}`);

export const hangUp = async (callId: string): Promise<void> => {
  await apiJson<void>(`/api/staff/v1/device-calls/${encodeURIComponent(callId)}`, { method: 'DELETE' });
};
