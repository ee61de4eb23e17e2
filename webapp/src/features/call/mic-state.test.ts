import { describe, expect, it } from 'vitest';

import { initialMicState, isMicMuted, type MicAction, micReducer } from './mic-state';

const run = (...actions: MicAction[]) => actions.reduce(micReducer, initialMicState);

describe('micReducer', () => {
  it('mutes and unmutes myself', () => {
    expect(isMicMuted(run({ type: 'toggle' }))).toBe(true);
    expect(isMicMuted(run({ type: 'toggle' }, { type: 'toggle' }))).toBe(false);
  });

  it('shows muted when the node mutes me (guest muted on joining, or by a host)', () => {
    const state = run({ type: 'node', muted: true });
    expect(isMicMuted(state)).toBe(true);
    expect(state).toEqual({ selfMuted: false, nodeMuted: true, refused: false, asked: false, unmutedByHost: false });
  });

  it('stays muted when pressing while the node holds me, until the node unmutes me', () => {
    const asked = run({ type: 'node', muted: true }, { type: 'toggle' });
    expect(isMicMuted(asked)).toBe(true);
    const refused = micReducer(asked, { type: 'refused' });
    expect(refused.refused).toBe(true);
    const unmuted = micReducer(refused, { type: 'node', muted: false });
    expect(unmuted).toEqual({ selfMuted: false, nodeMuted: false, refused: false, asked: false, unmutedByHost: false });
    expect(isMicMuted(unmuted)).toBe(false);
  });

  it('knows a host unmuted me when I did not ask, until I press myself', () => {
    const byHost = run({ type: 'node', muted: true }, { type: 'node', muted: false });
    expect(byHost.unmutedByHost).toBe(true);
    expect(micReducer(byHost, { type: 'node', muted: false }).unmutedByHost).toBe(true);
    expect(micReducer(byHost, { type: 'toggle' }).unmutedByHost).toBe(false);
    expect(micReducer(byHost, { type: 'node', muted: true }).unmutedByHost).toBe(false);
    const asked = run({ type: 'node', muted: true }, { type: 'toggle' }, { type: 'node', muted: false });
    expect(asked.unmutedByHost).toBe(false);
  });

  it('keeps my own mute when a host unmutes me', () => {
    const state = run({ type: 'toggle' }, { type: 'node', muted: true }, { type: 'node', muted: false });
    expect(isMicMuted(state)).toBe(true);
  });

  it('ignores a late refusal once the node has unmuted me', () => {
    expect(run({ type: 'refused' }).refused).toBe(false);
  });
});
