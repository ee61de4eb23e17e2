import type { Role } from '@/config/app-config';

/** What one attempt to be in a meeting asks for. */
export interface JoinRequest {
  conferenceAlias: string;
  displayName: string;
  stream: MediaStream | null;
  /** Joining on the session's grant (a link, a launch, a called device): the BFF adds the PIN. */
  granted?: boolean;
}

/** The explicit states of one attempt to be in a meeting. */
export enum CallStatus {
  Preflight = 'preflight',
  Connecting = 'connecting',
  /** The meeting's room is being made on the node (VDX provisions it just after booking). */
  Preparing = 'preparing',
  PinRequired = 'pin-required',
  Connected = 'connected',
  Ended = 'ended',
  Error = 'error',
}

/** Why the meeting ended, as the citizen should hear it. */
export type EndReason =
  'left' | 'host-ended' | 'host-left' | 'no-host' | 'removed' | 'alone' | 'over' | 'ended-for-all';

/** What went wrong, mapped to a friendly Danish message by the UI. */
export type ErrorKind = 'not-found' | 'busy' | 'network' | 'media' | 'pin-retries' | 'unknown';

export type CallState =
  | { status: CallStatus.Preflight }
  | { status: CallStatus.Connecting }
  | { status: CallStatus.Preparing; attempt: number }
  | { status: CallStatus.PinRequired; hostPinOnly: boolean; pinRejected: boolean; checking: boolean }
  | { status: CallStatus.Connected; role: Role }
  | { status: CallStatus.Ended; reason: EndReason; canRejoin: boolean }
  | { status: CallStatus.Error; kind: ErrorKind };

export type CallAction =
  | { type: 'join' }
  | { type: 'pin-required'; hasHostPin: boolean; hasGuestPin: boolean }
  /** A join on a grant (a link, a launch, a called device) was refused: the meeting is over. */
  | { type: 'grant-refused' }
  | { type: 'pin-submitted' }
  | { type: 'connected'; role: Role }
  | { type: 'left' }
  /** The host ended the meeting for everyone. */
  | { type: 'ended-for-all' }
  /** A called device: the hosts have left, so its call is over. */
  | { type: 'hosts-gone' }
  | { type: 'node-error'; reason: string }
  | { type: 'disconnected'; reason: string };

export const initialCallState: CallState = { status: CallStatus.Preflight };

/** Reasons the node gives when the meeting is over rather than broken, by what they mean. */
const ENDINGS: { reason: EndReason; canRejoin: boolean; messages: string[] }[] = [
  {
    reason: 'host-ended',
    canRejoin: false,
    messages: [
      'API initiated conference termination',
      'Conference terminated by another participant',
      'Conference terminated by an administrator',
      'Conference host ended the conference with a DTMF command',
    ],
  },
  { reason: 'host-left', canRejoin: true, messages: ['All conference hosts departed hosted conference'] },
  {
    reason: 'removed',
    canRejoin: true,
    messages: [
      'API initiated participant disconnect',
      'Disconnected by another participant',
      'Disconnected by an administrator',
      'Call disconnected',
    ],
  },
  {
    reason: 'alone',
    canRejoin: true,
    messages: [
      'Last remaining participant removed from conference after timeout',
      'No participants can keep conference alive',
    ],
  },
  // VDX removed the room: its end time passed (medcom-video-api's deprovisioning job).
  { reason: 'over', canRejoin: false, messages: ['Conference ended at its end time'] },
  {
    reason: 'no-host',
    canRejoin: true,
    messages: ['Timeout waiting for conference host to join or permit access to locked conference'],
  },
];

const END_REASONS = new Map(
  ENDINGS.flatMap(({ messages, ...ending }) => messages.map((message) => [message, ending] as const)),
);

/** The BFF's answer (503) while VDX has not yet provisioned a granted meeting's room. */
export const ROOM_BEING_PREPARED = 'Meeting room is being prepared';
/** Attempts (2 s apart: use-call) before a room that never comes is reported as not found. */
export const MAX_PREPARING_ATTEMPTS = 90;

export const errorKindOf = (reason: string): ErrorKind => {
  if (reason === 'Neither conference nor gateway found' || reason.startsWith('404')) return 'not-found';
  if (reason === 'Participant exceeded PIN entry retries') return 'pin-retries';
  if (/limit|resource|licen[cs]e|maintenance|503|529/i.test(reason)) return 'busy';
  if (/WebRTC|Ice|ICE|media/i.test(reason)) return 'media';
  if (/network|reconnect|token|502|504|forward|node disconnected/i.test(reason)) return 'network';
  return 'unknown';
};

const isActive = (state: CallState): boolean =>
  state.status === CallStatus.Connecting ||
  state.status === CallStatus.Preparing ||
  state.status === CallStatus.PinRequired ||
  state.status === CallStatus.Connected;

const onNodeError = (state: CallState, reason: string): CallState => {
  if (!isActive(state)) return state;
  if (state.status === CallStatus.PinRequired && reason === 'Invalid PIN') {
    return { ...state, pinRejected: true, checking: false };
  }
  if (reason === ROOM_BEING_PREPARED) {
    const attempt = state.status === CallStatus.Preparing ? state.attempt + 1 : 1;
    if (attempt > MAX_PREPARING_ATTEMPTS) return { status: CallStatus.Error, kind: 'not-found' };
    return { status: CallStatus.Preparing, attempt };
  }
  return { status: CallStatus.Error, kind: errorKindOf(reason) };
};

const onDisconnected = (state: CallState, reason: string): CallState => {
  if (!isActive(state)) return state;
  const ended = END_REASONS.get(reason);
  return ended ? { status: CallStatus.Ended, ...ended } : { status: CallStatus.Error, kind: errorKindOf(reason) };
};

export const callReducer = (state: CallState, action: CallAction): CallState => {
  switch (action.type) {
    case 'join':
      return state.status === CallStatus.Preflight ? { status: CallStatus.Connecting } : state;
    case 'pin-required':
      return {
        status: CallStatus.PinRequired,
        hostPinOnly: action.hasHostPin && !action.hasGuestPin,
        pinRejected: state.status === CallStatus.PinRequired && state.checking,
        checking: false,
      };
    case 'grant-refused':
      // Never a PIN prompt for someone who came by a link: she has no PIN.
      return isActive(state) ? { status: CallStatus.Ended, reason: 'over', canRejoin: false } : state;
    case 'pin-submitted':
      return state.status === CallStatus.PinRequired ? { ...state, checking: true, pinRejected: false } : state;
    case 'connected':
      return isActive(state) ? { status: CallStatus.Connected, role: action.role } : state;
    case 'left':
      return isActive(state) ? { status: CallStatus.Ended, reason: 'left', canRejoin: true } : state;
    case 'hosts-gone':
      return isActive(state) ? { status: CallStatus.Ended, reason: 'host-left', canRejoin: false } : state;
    case 'ended-for-all':
      return isActive(state) ? { status: CallStatus.Ended, reason: 'ended-for-all', canRejoin: false } : state;
    case 'node-error':
      return onNodeError(state, action.reason);
    case 'disconnected':
      return onDisconnected(state, action.reason);
  }
};
