import { describe, expect, it } from 'vitest';

import {
  type CallAction,
  type CallState,
  CallStatus,
  callReducer,
  errorKindOf,
  initialCallState,
  MAX_PREPARING_ATTEMPTS,
  ROOM_BEING_PREPARED,
} from './call-state';

const run = (...actions: CallAction[]): CallState => actions.reduce(callReducer, initialCallState);

describe('callReducer', () => {
  it('goes preflight → connecting → connected with the role the node gave', () => {
    expect(run({ type: 'join' }, { type: 'connected', role: 'host' })).toEqual({
      status: CallStatus.Connected,
      role: 'host',
    });
  });

  it('waits while the room is being prepared, counting the attempts, then connects', () => {
    const preparing = { type: 'node-error', reason: ROOM_BEING_PREPARED } as const;
    expect(run({ type: 'join' }, preparing)).toEqual({ status: CallStatus.Preparing, attempt: 1 });
    expect(run({ type: 'join' }, preparing, preparing)).toEqual({ status: CallStatus.Preparing, attempt: 2 });
    expect(run({ type: 'join' }, preparing, { type: 'connected', role: 'guest' })).toEqual({
      status: CallStatus.Connected,
      role: 'guest',
    });
    expect(run({ type: 'join' }, preparing, { type: 'left' })).toMatchObject({ status: CallStatus.Ended });
  });

  it('gives up on a room that never comes, as not found', () => {
    const preparing = { type: 'node-error', reason: ROOM_BEING_PREPARED } as const;
    const waited = run({ type: 'join' }, ...Array<CallAction>(MAX_PREPARING_ATTEMPTS).fill(preparing));
    expect(waited).toEqual({ status: CallStatus.Preparing, attempt: MAX_PREPARING_ATTEMPTS });
    expect(callReducer(waited, preparing)).toEqual({ status: CallStatus.Error, kind: 'not-found' });
  });

  it('ends a refused join on a grant as over, never with a PIN prompt', () => {
    expect(run({ type: 'join' }, { type: 'grant-refused' })).toEqual({
      status: CallStatus.Ended,
      reason: 'over',
      canRejoin: false,
    });
    const deprovisioned = run(
      { type: 'join' },
      { type: 'connected', role: 'guest' },
      { type: 'disconnected', reason: 'Conference ended at its end time' },
    );
    expect(deprovisioned).toEqual({
      status: CallStatus.Ended,
      reason: 'over',
      canRejoin: false,
    });
  });

  it('stays on the PIN screen and flags the error when the node says Invalid PIN', () => {
    const state = run(
      { type: 'join' },
      { type: 'pin-required', hasHostPin: true, hasGuestPin: true },
      { type: 'pin-submitted' },
      { type: 'node-error', reason: 'Invalid PIN' },
    );
    expect(state).toEqual({ status: CallStatus.PinRequired, hostPinOnly: false, pinRejected: true, checking: false });
  });

  it('treats a second PIN challenge after a submitted PIN as a rejection', () => {
    const state = run(
      { type: 'join' },
      { type: 'pin-required', hasHostPin: true, hasGuestPin: false },
      { type: 'pin-submitted' },
      { type: 'pin-required', hasHostPin: true, hasGuestPin: false },
    );
    expect(state).toMatchObject({ status: CallStatus.PinRequired, hostPinOnly: true, pinRejected: true });
  });

  it('clears the PIN error while the next PIN is being checked', () => {
    const state = run(
      { type: 'join' },
      { type: 'pin-required', hasHostPin: true, hasGuestPin: true },
      { type: 'pin-submitted' },
      { type: 'node-error', reason: 'Invalid PIN' },
      { type: 'pin-submitted' },
    );
    expect(state).toMatchObject({ pinRejected: false, checking: true });
  });

  it('ends without rejoin when the meeting is cancelled or the host ends it', () => {
    const connected: CallAction[] = [{ type: 'join' }, { type: 'connected', role: 'guest' }];
    for (const reason of ['API initiated conference termination', 'Conference terminated by another participant']) {
      expect(run(...connected, { type: 'disconnected', reason })).toEqual({
        status: CallStatus.Ended,
        reason: 'host-ended',
        canRejoin: false,
      });
    }
  });

  it('says the host left when the node drops guests after the last host left', () => {
    const connected: CallAction[] = [{ type: 'join' }, { type: 'connected', role: 'guest' }];
    expect(
      run(...connected, { type: 'disconnected', reason: 'All conference hosts departed hosted conference' }),
    ).toEqual({
      status: CallStatus.Ended,
      reason: 'host-left',
      canRejoin: true,
    });
    const waited = run(...connected, {
      type: 'disconnected',
      reason: 'Timeout waiting for conference host to join or permit access to locked conference',
    });
    expect(waited).toMatchObject({ status: CallStatus.Ended, reason: 'no-host', canRejoin: true });
  });

  it('lets the person rejoin after leaving themselves', () => {
    expect(run({ type: 'join' }, { type: 'connected', role: 'guest' }, { type: 'left' })).toEqual({
      status: CallStatus.Ended,
      reason: 'left',
      canRejoin: true,
    });
  });

  it('shows a connection error for failures, not "ended"', () => {
    const state = run(
      { type: 'join' },
      { type: 'connected', role: 'guest' },
      { type: 'node-error', reason: 'WebRTC connection failed' },
    );
    expect(state).toEqual({ status: CallStatus.Error, kind: 'media' });
  });

  it('ignores late errors once the meeting is over (our own hang-up closes the peer connection)', () => {
    const state = run(
      { type: 'join' },
      { type: 'connected', role: 'guest' },
      { type: 'left' },
      { type: 'node-error', reason: 'WebRTC connection closed' },
      { type: 'disconnected', reason: 'Could not execute critical network action' },
    );
    expect(state.status).toBe(CallStatus.Ended);
  });

  it('does not connect after the person cancelled while connecting', () => {
    expect(run({ type: 'join' }, { type: 'left' }, { type: 'connected', role: 'guest' }).status).toBe(CallStatus.Ended);
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
