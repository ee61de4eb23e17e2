import type { InfinityClient } from '@pexip/infinity';
import { describe, expect, it } from 'vitest';

import { runConferenceRpc } from './conference-rpc';

/** A stand-in for @pexip/infinity's client that notes what each method was given. */
const recordingClient = (answer: unknown = { status: 200, data: { status: 'success', result: true } }) => {
  const calls: [string, unknown][] = [];
  const client = new Proxy(
    { roomId: 'main' },
    {
      get: (target, name: string) =>
        name in target
          ? target[name as keyof typeof target]
          : (arg: unknown) => {
              calls.push([name, arg]);
              if (name === 'kick') throw new Error('Unexpected status 403');
              return Promise.resolve(answer);
            },
    },
  ) as unknown as InfinityClient;
  return { client, calls };
};

describe('runConferenceRpc', () => {
  it('passes only the method’s own fields: never another conference or host', async () => {
    const { client, calls } = recordingClient();
    const reply = await runConferenceRpc(
      'conference:lock',
      { lock: true, conferenceAlias: 'other@vdx', host: 'https://evil.example' },
      client,
    );
    expect(reply).toEqual({ status: 200, data: { status: 'success', result: true } });
    await runConferenceRpc(
      'conference:dialOut',
      { destination: 'sip:tolk@x', role: 'GUEST', protocol: 'sip', host: 'https://evil.example' },
      client,
    );
    expect(calls).toEqual([
      ['lock', { lock: true }],
      ['dial', { destination: 'sip:tolk@x', role: 'GUEST', protocol: 'sip' }],
    ]);
  });

  it('answers undefined for a failed request, a bad payload or no call', async () => {
    const { client, calls } = recordingClient();
    expect(await runConferenceRpc('participant:disconnect', { participantUuid: 'u1' }, client)).toBeUndefined();
    expect(await runConferenceRpc('conference:lock', { lock: 'yes' }, client)).toBeUndefined();
    expect(await runConferenceRpc('conference:lock', { lock: true }, null)).toBeUndefined();
    expect(await runConferenceRpc('conference:currentRoomId', undefined, null)).toBe('main');
    expect(calls).toEqual([['kick', { participantUuid: 'u1' }]]);
  });

  it('keeps requests under the conference path', async () => {
    const { client, calls } = recordingClient();
    for (const path of ['../other/lock', 'participants/../../x', '/absolute', 'a?b=1', 'a%2e%2e/x']) {
      expect(await runConferenceRpc('conference:sendRequest', { path, method: 'POST' }, client)).toBeUndefined();
    }
    await runConferenceRpc('conference:sendRequest', { path: 'conference_status', method: 'GET' }, client);
    expect(calls).toEqual([['sendConferenceRequest', { path: 'conference_status', method: 'GET' }]]);
  });
});
