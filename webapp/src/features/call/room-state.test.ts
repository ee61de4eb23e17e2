import { describe, expect, it } from 'vitest';

import { initialRoomState, type RoomAction, roomReducer, waitReasonOf } from './room-state';

const run = (...actions: RoomAction[]) => actions.reduce(roomReducer, initialRoomState);

describe('waitReasonOf', () => {
  it('holds a guest until the node says the meeting started (no host yet)', () => {
    expect(waitReasonOf('guest', initialRoomState)).toBe('host');
    expect(waitReasonOf('guest', run({ type: 'service-type', serviceType: 'conference' }))).toBe('host');
    const notStarted = run({ type: 'conference-status', started: false, locked: false });
    expect(waitReasonOf('guest', notStarted)).toBe('host');
  });

  it('lets the guest in once a host has started the meeting', () => {
    const started = run(
      { type: 'service-type', serviceType: 'conference' },
      { type: 'conference-status', started: false, locked: false },
      { type: 'conference-status', started: true, locked: false },
    );
    expect(waitReasonOf('guest', started)).toBeNull();
  });

  it('holds a guest in the waiting room of a locked meeting until admitted', () => {
    const held = run(
      { type: 'service-type', serviceType: 'waiting_room' },
      { type: 'conference-status', started: true, locked: true },
    );
    expect(waitReasonOf('guest', held)).toBe('admission');
    expect(waitReasonOf('guest', roomReducer(held, { type: 'service-type', serviceType: 'conference' }))).toBeNull();
  });

  it('never holds a host', () => {
    expect(waitReasonOf('host', initialRoomState)).toBeNull();
    expect(waitReasonOf('host', run({ type: 'service-type', serviceType: 'waiting_room' }))).toBeNull();
  });
});
