import type { InfinityClient, Participant } from '@pexip/infinity';
import { describe, expect, it } from 'vitest';

import type { InfinitySession } from '@/lib/infinity';

import { forwardCallEvents } from './call-events';

const person = (uuid: string, displayName: string) => ({ uuid, displayName }) as unknown as Participant;

/** @pexip/signal's add/emit (unbatched), enough to drive the forwarding. */
const signal = () => {
  const observers = new Set<(value: unknown) => void>();
  return {
    add: (observer: (value: unknown) => void) => {
      observers.add(observer);
      return () => observers.delete(observer);
    },
    emit: (value: unknown) => observers.forEach((observer) => observer(value)),
  };
};

/** Every signal of a session, and a client whose list is what the node said last. */
const session = (list: Participant[]) => {
  const anySignal = new Proxy({} as Record<string, ReturnType<typeof signal>>, {
    get: (target, name: string) => (target[name] ??= signal()),
  });
  const client = { getParticipants: () => list } as unknown as InfinityClient;
  return { client, signals: anySignal, callSignals: anySignal } as unknown as InfinitySession;
};

describe('forwardCallEvents', () => {
  it('re-sends the whole `participants` list on every join, leave and update', () => {
    const list = [person('a', 'Hanne')];
    const call = session(list);
    const sent: [string, unknown][] = [];
    const detach = forwardCallEvents(call, (event, payload) => sent.push([event, payload]), { authenticated: null });
    const lists = () => sent.filter(([event]) => event === 'event:participants').map(([, p]) => p);

    list.push(person('b', 'Karen'));
    call.signals.onParticipantJoined.emit({ id: 'main', participant: list[1]! });
    expect(lists()).toEqual([{ id: 'main', participants: [list[0], list[1]] }]);

    call.signals.onParticipantUpdated.emit({ id: 'main', participant: list[1]! });
    expect(lists()).toHaveLength(2);

    const [gone] = list.splice(1, 1);
    call.signals.onParticipantLeft.emit({ id: 'main', participant: gone! });
    expect(lists().at(-1)).toEqual({ id: 'main', participants: [list[0]] });

    detach();
    call.signals.onParticipantJoined.emit({ id: 'main', participant: person('c', 'Tolk') });
    expect(lists()).toHaveLength(3);
  });
});
