import type { JoinGrant } from '@/config/app-config';
import { apiJson, apiSend, type ApiSchemas } from '@/lib/api-client';

import { type DeviceIdentity, deviceToken, newKeys, publicJwk, signToken } from './device-identity';

/** Enrols this browser with a one-time code: a fresh key pair, its public half to the BFF. */
export const enrol = async (party: string, code: string): Promise<DeviceIdentity> => {
  const keys = await newKeys();
  const proof = await signToken(keys, 'enrolling', `borgervideo:${party}:enrol`, { code });
  const body = await apiJson<ApiSchemas['EnrolOut']>('/api/device/v1/enrol', {
    method: 'POST',
    body: { party, code, public_key: await publicJwk(keys), proof },
  });
  return { party, deviceId: body.device_id, label: body.label, keys, lastDelivered: null };
};

const callAction = async <T>(identity: DeviceIdentity, callId: string, action: 'answer' | 'decline'): Promise<T> =>
  apiJson<T>(`/api/device/v1/calls/${encodeURIComponent(callId)}/${action}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await deviceToken(identity)}` },
  });

/** Answers: the BFF sets a session cookie whose grant joins the meeting as a guest. */
export const answerCall = async (identity: DeviceIdentity, callId: string): Promise<JoinGrant> =>
  callAction<JoinGrant>(identity, callId, 'answer');

export const declineCall = async (identity: DeviceIdentity, callId: string): Promise<void> => {
  await callAction<unknown>(identity, callId, 'decline');
};

/** Leaves the meeting's session (its seat is freed at once). */
export const endSession = async (): Promise<void> => {
  await apiSend('/api/session', { method: 'DELETE' });
};
