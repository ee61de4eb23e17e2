/**
 * The call's @pexip/infinity signals as plugin events. Payloads are what the plugin API's
 * `EventMessage` types say (participants as @pexip/infinity normalises them, with `startAt`
 * and message `at` as real Dates: postMessage clones them), never a token: the node token in
 * `onAuthenticatedWithConference` and `onTransfer` stays here.
 */
import type { Participant, RoomID } from '@pexip/infinity';
import type { EventMessage, EventPayload, RoomParticipantActivity } from '@pexip/plugin-api';

import type { InfinitySession } from '@/lib/infinity';

export type PluginEventName = keyof EventMessage;
export type SendEvent = <T extends PluginEventName>(event: T, payload: EventPayload<T>) => void;

/** What the host remembers of the call, to tell plugins and widgets that arrive late. */
export interface CallMemory {
  authenticated: EventPayload<'event:conference:authenticated'> | null;
}

type RoomEvent = { id: string; participant: Participant };

const JOIN = 0;
const LEAVE = 1;
const UPDATE = 2;

/**
 * 22.x names the kind `type`; 21.1 called it `activity`. Both are sent, so a plugin built
 * against either reads what it expects.
 */
const activities = (events: RoomEvent[], type: 0 | 1 | 2): RoomParticipantActivity[] =>
  events.map(
    ({ id, participant }) =>
      ({ roomId: id, activity: { type, activity: type, participant } }) as unknown as RoomParticipantActivity,
  );

const asEvents = (value: RoomEvent | RoomEvent[]): RoomEvent[] => (Array.isArray(value) ? value : [value]);

/** The rooms a batch of participant events touched, each once, in order. */
export const roomsOf = (events: RoomEvent[]): RoomID[] => [...new Set(events.map(({ id }) => id as RoomID))];

/** Subscribes to every signal plugins hear about; returns the detach. */
export const forwardCallEvents = (session: InfinitySession, send: SendEvent, memory: CallMemory): (() => void) => {
  const { signals, callSignals, client } = session;
  /**
   * The deprecated `participants` event is the room's whole list, re-sent on every change
   * (join, leave, update) as Webapp3 does: plugins that draw per-participant buttons from it
   * (plugin-api dist/index.js `events.participants`) stay right. @pexip/infinity itself emits
   * `onParticipants` only when a sync ends (dist/infinityClient.js handleParticipantsSyncEnded).
   */
  const resendParticipants = (events: RoomEvent[]): void => {
    for (const id of roomsOf(events)) {
      send('event:participants', {
        id,
        participants: client.getParticipants(id),
      } as EventPayload<'event:participants'>);
    }
  };
  // The participant signals are batched (lib/infinity: batchScheduleTimeoutMS): arrays arrive.
  const batched = (signal: unknown) =>
    signal as { add: (observer: (value: RoomEvent | RoomEvent[]) => void) => () => void };
  const detach = [
    signals.onAuthenticatedWithConference.add(({ conferenceAlias, conferenceName }) => {
      memory.authenticated = { conferenceAlias, ...(conferenceName === undefined ? {} : { conferenceName }) };
      send('event:conference:authenticated', memory.authenticated);
    }),
    signals.onConnected.add(() => send('event:connected', undefined)),
    signals.onDisconnected.add(({ error, errorCode }) => {
      memory.authenticated = null;
      send('event:disconnected', { error, errorCode } as EventPayload<'event:disconnected'>);
    }),
    signals.onConferenceStatus.add(({ id, status }) =>
      send('event:conferenceStatus', { id, status } as EventPayload<'event:conferenceStatus'>),
    ),
    signals.onMe.add(({ id, participant }) => send('event:me', { id, participant } as EventPayload<'event:me'>)),
    signals.onParticipants.add(({ id, participants }) =>
      send('event:participants', { id, participants } as EventPayload<'event:participants'>),
    ),
    batched(signals.onParticipantJoined).add((value) => {
      const events = asEvents(value);
      for (const { id, participant } of events) {
        send('event:participantJoined', { id, participant } as EventPayload<'event:participantJoined'>);
      }
      send('event:participantsActivities', activities(events, JOIN));
      resendParticipants(events);
    }),
    batched(signals.onParticipantLeft).add((value) => {
      const events = asEvents(value);
      for (const { id, participant } of events) {
        send('event:participantLeft', { id, participant } as EventPayload<'event:participantLeft'>);
        send('participant:disconnected', {
          participantUuid: participant.uuid,
        } as EventPayload<'participant:disconnected'>);
      }
      send('event:participantsActivities', activities(events, LEAVE));
      resendParticipants(events);
    }),
    batched(signals.onParticipantUpdated).add((value) => {
      const events = asEvents(value);
      send('event:participantsActivities', activities(events, UPDATE));
      resendParticipants(events);
    }),
    signals.onRaiseHand.add(({ id, participant }) =>
      send('event:raiseHand', { id, participant } as EventPayload<'event:raiseHand'>),
    ),
    signals.onMessage.add(({ at, id, message, displayName, userId, direct }) =>
      send(direct ? 'event:directMessage' : 'event:message', { at, id, message, displayName, userId }),
    ),
    signals.onApplicationMessage.add(({ at, id, message, displayName, userId }) =>
      // Borgervideo's own "still here" beacons (features/call/hooks/use-presence) are not news.
      message.bv === 'presence'
        ? undefined
        : send('event:applicationMessage', { at, id, message, displayName, userId }),
    ),
    signals.onTransfer.add(({ alias }) => send('event:transfer', { alias })),
    signals.onCancelTransfer.add((details) => send('event:cancelTransfer', { ...details })),
    signals.onStage.add((stages) => send('event:stage', stages)),
    signals.onLayoutUpdate.add((layout) => send('event:layoutUpdate', layout as EventPayload<'event:layoutUpdate'>)),
    signals.onBreakoutBegin.add((room) => send('event:breakoutBegin', room)),
    signals.onBreakoutEnd.add((room) => send('event:breakoutEnd', room)),
    signals.onBreakoutRefer.add((refer) => send('event:breakoutRefer', refer)),
    callSignals.onPresentationConnectionChange.add(({ send: sending, recv }) =>
      send('event:presentationConnectionStateChange', { send: sending, recv }),
    ),
  ];
  return () => {
    for (const off of detach) off();
  };
};

/** What a widget (or a late plugin) is told on its handshake: the call as it stands. */
export const replayCall = (session: InfinitySession, memory: CallMemory, send: SendEvent): void => {
  const { client } = session;
  for (const [id, status] of client.conferenceStatus) {
    send('event:conferenceStatus', { id, status } as EventPayload<'event:conferenceStatus'>);
  }
  if (memory.authenticated) send('event:conference:authenticated', memory.authenticated);
  const rooms = client.rooms.length > 0 ? client.rooms : ['main' as const];
  for (const id of rooms) {
    const participants = client.getParticipants(id);
    send('event:participants', { id, participants } as EventPayload<'event:participants'>);
    const me = client.getMe(id);
    if (me) send('event:me', { id, participant: me } as EventPayload<'event:me'>);
  }
};
