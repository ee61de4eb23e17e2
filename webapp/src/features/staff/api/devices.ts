/** The staff view's calls into the BFF: same-origin, authorised by the host's session cookie. */

export interface StaffDevice {
  id: string;
  label: string;
  enabled: boolean;
  online: boolean;
  battery: { level: number; charging: boolean } | null;
  last_seen: string | null;
}

export type DeviceCallStatus = 'ringing' | 'answered' | 'declined' | 'no-answer' | 'cancelled';

export interface DeviceCall {
  id: string;
  device_id: string;
  status: DeviceCallStatus;
}

const json = async <T>(response: Response): Promise<T> => {
  if (!response.ok) {
    let reason = response.statusText;
    try {
      const body = (await response.json()) as { detail?: string };
      reason = body.detail ?? reason;
    } catch {
      // not JSON
    }
    throw new Error(reason);
  }
  return (await response.json()) as T;
};

export const listDevices = async (): Promise<StaffDevice[]> =>
  json<StaffDevice[]>(await fetch('/api/staff/v1/devices', { headers: { Accept: 'application/json' } }));

export const callDevice = async (deviceId: string): Promise<DeviceCall> =>
  json<DeviceCall>(
    await fetch('/api/staff/v1/device-calls', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ device_id: deviceId }),
    }),
  );

export const readCall = async (callId: string): Promise<DeviceCall> =>
  json<DeviceCall>(await fetch(`/api/staff/v1/device-calls/${encodeURIComponent(callId)}`));

export const hangUp = async (callId: string): Promise<void> => {
  await fetch(`/api/staff/v1/device-calls/${encodeURIComponent(callId)}`, { method: 'DELETE' });
};
