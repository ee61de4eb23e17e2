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

type Check = (payload: Args) => boolean;

const ANY: Check = () => true;
const BOOLEAN = (key: string) => (payload: Args) => typeof payload[key] === 'boolean';
const STRING = (key: string) => (payload: Args) =>
  typeof payload[key] === 'string' && (payload[key] as string).length > 0;
const OPTIONAL_STRING = (key: string) => (payload: Args) =>
  payload[key] === undefined || typeof payload[key] === 'string';
const all =
  (...checks: Check[]) =>
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
  valid: Check;
}

/** A method whose fields are `keys`, each checked by `valid`. */
const toMethod = (method: string, keys: readonly string[] = [], valid: Check = ANY): Mapping => ({
  method,
  keys,
  valid,
});

/**
 * A method about one participant: `participantUuid` beside `keys`; `optional`: left out, it
 * is the plugin's own participant (or everyone, as the method says).
 */
const ofParticipant = (
  method: string,
  keys: readonly string[],
  valid: Check,
  participant: 'required' | 'optional',
): Mapping => ({
  method,
  keys: [...keys, 'participantUuid'],
  valid: all(valid, (participant === 'required' ? STRING : OPTIONAL_STRING)('participantUuid')),
});

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
  'conference:dialOut': toMethod(
    'dial',
    DIAL_KEYS,
    all(STRING('destination'), (p) => p.role === 'HOST' || p.role === 'GUEST'),
  ),
  'conference:sendMessage': ofParticipant('sendMessage', ['payload'], STRING('payload'), 'optional'),
  'conference:sendApplicationMessage': ofParticipant(
    'sendApplicationMessage',
    ['payload'],
    (p) => isRecord(p.payload),
    'optional',
  ),
  'conference:lock': toMethod('lock', ['lock'], BOOLEAN('lock')),
  'conference:muteAllGuests': toMethod('muteAllGuests', ['mute'], BOOLEAN('mute')),
  'conference:setLayout': toMethod('setLayout', ['transforms'], (p) => isRecord(p.transforms)),
  'conference:disconnectAll': toMethod('disconnectAll'),
  'conference:requestParticipants': toMethod('requestParticipants'),
  'conference:sendRequest': toMethod('sendConferenceRequest', ['path', 'method', 'payload'], conferencePath),
  'conference:breakout': toMethod('breakout', [
    'name',
    'description',
    'duration',
    'end_action',
    'guests_allowed_to_leave',
    'participants',
  ]),
  'conference:joinBreakoutRoom': toMethod('joinBreakoutRoom', ['breakoutUuid'], OPTIONAL_STRING('breakoutUuid')),
  'conference:closeBreakouts': toMethod('closeBreakouts'),
  'conference:closeBreakoutRoom': toMethod('closeBreakoutRoom', ['breakoutUuid'], STRING('breakoutUuid')),
  'conference:emptyBreakouts': toMethod('emptyBreakouts'),
  'conference:breakoutMoveParticipants': toMethod(
    'breakoutMoveParticipants',
    ['fromBreakoutUuid', 'toRoomUuid', 'participants'],
    all(STRING('toRoomUuid'), OPTIONAL_STRING('fromBreakoutUuid'), (p) => Array.isArray(p.participants)),
  ),
  'participant:transfer': ofParticipant(
    'transfer',
    ['destination', 'pin', 'role'],
    all(STRING('destination'), (p) => typeof p.pin === 'string', STRING('role')),
    'required',
  ),
  'participant:mute': ofParticipant('mute', ['mute'], BOOLEAN('mute'), 'optional'),
  'participant:muteVideo': ofParticipant('muteVideo', ['muteVideo'], BOOLEAN('muteVideo'), 'optional'),
  'participant:spotlight': ofParticipant('spotlight', ['enable'], BOOLEAN('enable'), 'required'),
  'participant:admit': ofParticipant('admit', [], ANY, 'required'),
  'participant:raiseHand': ofParticipant('raiseHand', ['raise'], BOOLEAN('raise'), 'optional'),
  'participant:setRole': ofParticipant(
    'setRole',
    ['role'],
    (p) => p.role === 'chair' || p.role === 'guest',
    'required',
  ),
  'participant:setTextOverlay': ofParticipant(
    'setTextOverlay',
    ['text'],
    (p) => typeof p.text === 'string',
    'required',
  ),
  'participant:sendDTMF': ofParticipant(
    'sendDTMF',
    ['digits', 'callUuid'],
    (p) => typeof p.digits === 'string' && /^[0-9*#A-Da-d]{1,64}$/.test(p.digits),
    'optional',
  ),
  'participant:disconnect': ofParticipant('kick', [], ANY, 'required'),
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
