import type { JoinGrant } from '@/config/app-config';

import { type DeviceIdentity, deviceToken, newKeys, publicJwk, signToken } from './device-identity';

export class DeviceApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const detail = async (response: Response): Promise<string> => {
  try {
    const body = (await response.json()) as { detail?: unknown };
    return typeof body.detail === 'string' ? body.detail : response.statusText;
  } catch {
    return response.statusText;
  }
};

/** Enrols this browser with a one-time code: a fresh key pair, its public half to the BFF. */
export const enrol = async (party: string, code: string): Promise<DeviceIdentity> => {
  const keys = await newKeys();
  const proof = await signToken(keys, 'enrolling', `borgervideo:${party}:enrol`, { code });
  const response = await fetch('/api/device/v1/enrol', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ party, code, public_key: await publicJwk(keys), proof }),
  });
  if (!response.ok) throw new DeviceApiError(response.status, await detail(response));
  const body = (await response.json()) as { device_id: string; label: string };
  return { party, deviceId: body.device_id, label: body.label, keys, lastDelivered: null };
};

const callAction = async (identity: DeviceIdentity, callId: string, action: 'answer' | 'decline'): Promise<Response> => {
  const response = await fetch(`/api/device/v1/calls/${encodeURIComponent(callId)}/${action}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await deviceToken(identity)}` },
  });
  if (!response.ok) throw new DeviceApiError(response.status, await detail(response));
  return response;
};

/** Answers: the BFF sets a session cookie whose grant joins the meeting as a guest. */
export const answerCall = async (identity: DeviceIdentity, callId: string): Promise<JoinGrant> =>
  (await (await callAction(identity, callId, 'answer')).json()) as JoinGrant;

export const declineCall = async (identity: DeviceIdentity, callId: string): Promise<void> => {
  await callAction(identity, callId, 'decline');
};

/** Leaves the meeting's session (its seat is freed at once). */
export const endSession = async (): Promise<void> => {
  await fetch('/api/session', { method: 'DELETE' }).catch(() => undefined);
};
