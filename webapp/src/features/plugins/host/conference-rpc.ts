/**
 * `conference:*` and `participant:*` RPCs, mapped onto @pexip/infinity's InfinityClient. The
 * reply is what the client returns (`{status, data}`, where plugins read `data.result`), or
 * `undefined` when it returns nothing or the request failed, which the plugin API's reply
 * types allow (every InfinityClient call is `Promise<undefined | ...>`).
 *
 * Only the fields each method takes are passed on: a plugin never chooses the conference or
 * the host the client talks to (`conferenceAlias`, `host`), so its calls go to our own BFF
 * with our own token and nowhere else.
 */
import type { InfinityClient } from '@pexip/infinity';

import { type ConferenceRpc, isRecord } from '../protocol/messages';

type Args = Record<string, unknown>;

/** The client methods behind the RPCs, taken loosely: payloads are checked for shape here. */
type LooseClient = Record<string, (arg?: unknown) => unknown> & { roomId: string };

const pick = (payload: Args, keys: readonly string[]): Args => {
  const picked: Args = {};
  for (const key of keys) if (payload[key] !== undefined) picked[key] = payload[key];
  return picked;
};

const BOOLEAN = (key: string) => (payload: Args) => typeof payload[key] === 'boolean';
const STRING = (key: string) => (payload: Args) =>
  typeof payload[key] === 'string' && (payload[key] as string).length > 0;
const OPTIONAL_STRING = (key: string) => (payload: Args) =>
  payload[key] === undefined || typeof payload[key] === 'string';
const all =
  (...checks: ((payload: Args) => boolean)[]) =>
  (payload: Args) =>
    checks.every((check) => check(payload));

/** A path under the conference (`participants`, `participants/<uuid>/foo`): no way out of it. */
const conferencePath = (payload: Args): boolean => {
  const { path, method } = payload;
  if (typeof path !== 'string' || (method !== 'GET' && method !== 'POST')) return false;
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_./-]{0,299}$/.test(path)) return false;
  return path.split('/').every((segment) => segment !== '.' && segment !== '..');
};

interface Mapping {
  method: string;
  /** The fields passed to the method. */
  keys: readonly string[];
  valid: (payload: Args) => boolean;
}

const DIAL_KEYS = [
  'destination',
  'role',
  'protocol',
  'presentation_url',
  'streaming',
  'dtmf_sequence',
  'source_display_name',
  'source',
  'call_type',
  'keep_conference_alive',
  'remote_display_name',
  'text',
] as const;

const MAPPINGS: Record<Exclude<ConferenceRpc, 'conference:setBandwidth' | 'conference:currentRoomId'>, Mapping> = {
  'conference:dialOut': {
    method: 'dial',
    keys: DIAL_KEYS,
    valid: all(STRING('destination'), (p) => p.role === 'HOST' || p.role === 'GUEST'),
  },
  'conference:sendMessage': {
    method: 'sendMessage',
    keys: ['payload', 'participantUuid'],
    valid: all(STRING('payload'), OPTIONAL_STRING('participantUuid')),
  },
  'conference:sendApplicationMessage': {
    method: 'sendApplicationMessage',
    keys: ['payload', 'participantUuid'],
    valid: all((p) => isRecord(p.payload), OPTIONAL_STRING('participantUuid')),
  },
  'conference:lock': { method: 'lock', keys: ['lock'], valid: BOOLEAN('lock') },
  'conference:muteAllGuests': { method: 'muteAllGuests', keys: ['mute'], valid: BOOLEAN('mute') },
  'conference:setLayout': { method: 'setLayout', keys: ['transforms'], valid: (p) => isRecord(p.transforms) },
  'conference:disconnectAll': { method: 'disconnectAll', keys: [], valid: () => true },
  'conference:requestParticipants': { method: 'requestParticipants', keys: [], valid: () => true },
  'conference:sendRequest': {
    method: 'sendConferenceRequest',
    keys: ['path', 'method', 'payload'],
    valid: conferencePath,
  },
  'conference:breakout': {
    method: 'breakout',
    keys: ['name', 'description', 'duration', 'end_action', 'guests_allowed_to_leave', 'participants'],
    valid: () => true,
  },
  'conference:joinBreakoutRoom': {
    method: 'joinBreakoutRoom',
    keys: ['breakoutUuid'],
    valid: OPTIONAL_STRING('breakoutUuid'),
  },
  'conference:closeBreakouts': { method: 'closeBreakouts', keys: [], valid: () => true },
  'conference:closeBreakoutRoom': {
    method: 'closeBreakoutRoom',
    keys: ['breakoutUuid'],
    valid: STRING('breakoutUuid'),
  },
  'conference:emptyBreakouts': { method: 'emptyBreakouts', keys: [], valid: () => true },
  'conference:breakoutMoveParticipants': {
    method: 'breakoutMoveParticipants',
    keys: ['fromBreakoutUuid', 'toRoomUuid', 'participants'],
    valid: all(STRING('toRoomUuid'), OPTIONAL_STRING('fromBreakoutUuid'), (p) => Array.isArray(p.participants)),
  },
  'participant:transfer': {
    method: 'transfer',
    keys: ['destination', 'pin', 'role', 'participantUuid'],
    valid: all(STRING('destination'), STRING('participantUuid'), (p) => typeof p.pin === 'string', STRING('role')),
  },
  'participant:mute': {
    method: 'mute',
    keys: ['mute', 'participantUuid'],
    valid: all(BOOLEAN('mute'), OPTIONAL_STRING('participantUuid')),
  },
  'participant:muteVideo': {
    method: 'muteVideo',
    keys: ['muteVideo', 'participantUuid'],
    valid: all(BOOLEAN('muteVideo'), OPTIONAL_STRING('participantUuid')),
  },
  'participant:spotlight': {
    method: 'spotlight',
    keys: ['enable', 'participantUuid'],
    valid: all(BOOLEAN('enable'), STRING('participantUuid')),
  },
  'participant:admit': { method: 'admit', keys: ['participantUuid'], valid: STRING('participantUuid') },
  'participant:raiseHand': {
    method: 'raiseHand',
    keys: ['raise', 'participantUuid'],
    valid: all(BOOLEAN('raise'), OPTIONAL_STRING('participantUuid')),
  },
  'participant:setRole': {
    method: 'setRole',
    keys: ['role', 'participantUuid'],
    valid: all((p) => p.role === 'chair' || p.role === 'guest', STRING('participantUuid')),
  },
  'participant:setTextOverlay': {
    method: 'setTextOverlay',
    keys: ['text', 'participantUuid'],
    valid: all((p) => typeof p.text === 'string', STRING('participantUuid')),
  },
  'participant:sendDTMF': {
    method: 'sendDTMF',
    keys: ['digits', 'participantUuid', 'callUuid'],
    valid: all(
      (p) => typeof p.digits === 'string' && /^[0-9*#A-Da-d]{1,64}$/.test(p.digits),
      OPTIONAL_STRING('participantUuid'),
    ),
  },
  'participant:disconnect': { method: 'kick', keys: ['participantUuid'], valid: STRING('participantUuid') },
};

/**
 * Runs one RPC on `client` (null outside a call) and resolves with the reply payload.
 * Never rejects: a failed request answers `undefined`, as the client itself does.
 */
export const runConferenceRpc = async (
  rpc: ConferenceRpc,
  payload: unknown,
  client: InfinityClient | null,
): Promise<unknown> => {
  const loose = client as unknown as LooseClient | null;
  if (rpc === 'conference:currentRoomId') return loose?.roomId ?? 'main';
  if (!loose) return undefined;
  try {
    if (rpc === 'conference:setBandwidth') {
      if (typeof payload === 'number' && Number.isFinite(payload) && payload > 0) loose.setBandwidth?.(payload);
      return undefined;
    }
    const mapping = MAPPINGS[rpc];
    const args = isRecord(payload) ? payload : {};
    if (!mapping.valid(args)) return undefined;
    const method = loose[mapping.method];
    if (typeof method !== 'function') return undefined;
    const result = await method.call(client, pick(args, mapping.keys));
    return cloneable(result);
  } catch {
    return undefined;
  }
};

/** Replies cross postMessage: only data, nothing a structured clone would choke on. */
const cloneable = (value: unknown): unknown => {
  try {
    return structuredClone(value);
  } catch {
    return undefined;
  }
};
