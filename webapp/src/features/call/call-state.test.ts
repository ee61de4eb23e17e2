import { describe, expect, it } from 'vitest';

import {
  type CallAction,
  type CallState,
  CallStatus,
  callReducer,
  type EndReason,
  errorKindOf,
  initialCallState,
  MAX_PREPARING_ATTEMPTS,
  ROOM_BEING_PREPARED,
} from './call-state';

const run = (...actions: CallAction[]): CallState => actions.reduce(callReducer, initialCallState);

const JOIN: CallAction = { type: 'join' };
/** Joined and in the call as a guest. */
const AS_GUEST: CallAction[] = [JOIN, { type: 'connected', role: 'guest' }];
const PREPARING = { type: 'node-error', reason: ROOM_BEING_PREPARED } as const;
const pinAsked = (hasGuestPin: boolean): CallAction => ({ type: 'pin-required', hasHostPin: true, hasGuestPin });
const PIN_SUBMITTED: CallAction = { type: 'pin-submitted' };
const disconnected = (reason: string): CallAction => ({ type: 'disconnected', reason });
const ended = (reason: EndReason, canRejoin: boolean): CallState => ({ status: CallStatus.Ended, reason, canRejoin });

describe('callReducer', () => {
  it('goes preflight → connecting → connected with the role the node gave', () => {
    expect(run(JOIN, { type: 'connected', role: 'host' })).toEqual({ status: CallStatus.Connected, role: 'host' });
  });

  it('waits while the room is being prepared, counting the attempts, then connects', () => {
    expect(run(JOIN, PREPARING)).toEqual({ status: CallStatus.Preparing, attempt: 1 });
    expect(run(JOIN, PREPARING, PREPARING)).toEqual({ status: CallStatus.Preparing, attempt: 2 });
    expect(run(JOIN, PREPARING, { type: 'connected', role: 'guest' })).toEqual({
      status: CallStatus.Connected,
      role: 'guest',
    });
    expect(run(JOIN, PREPARING, { type: 'left' })).toMatchObject({ status: CallStatus.Ended });
  });

  it('gives up on a room that never comes, as not found', () => {
    const waited = run(JOIN, ...Array<CallAction>(MAX_PREPARING_ATTEMPTS).fill(PREPARING));
    expect(waited).toEqual({ status: CallStatus.Preparing, attempt: MAX_PREPARING_ATTEMPTS });
    expect(callReducer(waited, PREPARING)).toEqual({ status: CallStatus.Error, kind: 'not-found' });
  });

  it('ends a refused join on a grant as over, never with a PIN prompt', () => {
    expect(run(JOIN, { type: 'grant-refused' })).toEqual(ended('over', false));
    expect(run(...AS_GUEST, disconnected('Conference ended at its end time'))).toEqual(ended('over', false));
  });

  it('stays on the PIN screen and flags the error when the node says Invalid PIN', () => {
    const state = run(JOIN, pinAsked(true), PIN_SUBMITTED, { type: 'node-error', reason: 'Invalid PIN' });
    expect(state).toEqual({ status: CallStatus.PinRequired, hostPinOnly: false, pinRejected: true, checking: false });
  });

  it('treats a second PIN challenge after a submitted PIN as a rejection', () => {
    const state = run(JOIN, pinAsked(false), PIN_SUBMITTED, pinAsked(false));
    expect(state).toMatchObject({ status: CallStatus.PinRequired, hostPinOnly: true, pinRejected: true });
  });

  it('clears the PIN error while the next PIN is being checked', () => {
    const rejected = run(JOIN, pinAsked(true), PIN_SUBMITTED, { type: 'node-error', reason: 'Invalid PIN' });
    expect(callReducer(rejected, PIN_SUBMITTED)).toMatchObject({ pinRejected: false, checking: true });
  });

  it('ends without rejoin when the meeting is cancelled or the host ends it', () => {
    for (const reason of ['API initiated conference termination', 'Conference terminated by another participant']) {
      expect(run(...AS_GUEST, disconnected(reason))).toEqual(ended('host-ended', false));
    }
  });

  it('says the host left when the node drops guests after the last host left', () => {
    expect(run(...AS_GUEST, disconnected('All conference hosts departed hosted conference'))).toEqual(
      ended('host-left', true),
    );
    const waited = run(
      ...AS_GUEST,
      disconnected('Timeout waiting for conference host to join or permit access to locked conference'),
    );
    expect(waited).toEqual(ended('no-host', true));
  });

  it('lets the person rejoin after leaving themselves', () => {
    expect(run(...AS_GUEST, { type: 'left' })).toEqual(ended('left', true));
  });

  it('shows a connection error for failures, not "ended"', () => {
    const state = run(...AS_GUEST, { type: 'node-error', reason: 'WebRTC connection failed' });
    expect(state).toEqual({ status: CallStatus.Error, kind: 'media' });
  });

  it('ignores late errors once the meeting is over (our own hang-up closes the peer connection)', () => {
    const state = run(
      ...AS_GUEST,
      { type: 'left' },
      { type: 'node-error', reason: 'WebRTC connection closed' },
      disconnected('Could not execute critical network action'),
    );
    expect(state.status).toBe(CallStatus.Ended);
  });

  it('does not connect after the person cancelled while connecting', () => {
    expect(run(JOIN, { type: 'left' }, { type: 'connected', role: 'guest' }).status).toBe(CallStatus.Ended);
  });
});

describe('errorKindOf', () => {
  it.each([
    ['Neither conference nor gateway found', 'not-found'],
    ['Participant exceeded PIN entry retries', 'pin-retries'],
    ['Participant limit reached', 'busy'],
    ['Could not execute critical network action', 'network'],
    ['Unexpected status 500', 'unknown'],
  ])('%s → %s', (reason, kind) => {
    expect(errorKindOf(reason)).toBe(kind);
  });
});
