import { MAIN_ROOM_ID, type Participant } from '@pexip/infinity';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';

import type { Role } from '@/config/app-config';
import { useSignal } from '@/hooks/use-signal';
import { apiSend } from '@/lib/api-client';
import { useAppConfig } from '@/lib/app-config-context';
import { callParams, createInfinitySession, type InfinitySession, restartCallOf } from '@/lib/infinity';

import { type CallState, CallStatus, callReducer, initialCallState, type JoinRequest } from '../call-state';
import { initialRoomState, type RoomState, roomReducer, waitReasonOf } from '../room-state';
import { useDirectMedia } from './use-direct-media';
import { useMediaInterrupted } from './use-media-health';
import { useSilentParticipants } from './use-presence';
import { type Reconnect, useReconnect } from './use-reconnect';

export interface UseCall {
  state: CallState;
  /** The node's word on the conference (started, locked) and where it holds me. */
  room: RoomState;
  session: InfinitySession;
  remoteStream: MediaStream | null;
  /** Someone besides me is in the meeting (else: "waiting for the others"). */
  othersPresent: boolean;
  /** The others in the main room (not me), as the node lists them. */
  others: Participant[];
  /** Others whose "still here" beacons stopped: their connection is likely gone. */
  silent: ReadonlySet<string>;
  /** Our own connection's trouble and mending. */
  reconnect: Pick<Reconnect, 'reconnecting' | 'longOutage' | 'retryNow'>;
  /** Picture and sound stopped reaching us (the media path broke; the client restarts ICE). */
  mediaInterrupted: boolean;
  join: (request: JoinRequest) => void;
  submitPin: (pin: string) => void;
  leave: () => void;
  /** The host ends the meeting for everyone: at the node, then (a grant) at VDX. */
  endForAll: () => void;
  /** A called device whose hosts have left: the call is over for it. */
  endAsHostsLeft: () => void;
}

/** PIN header value for a guest in a room whose guests need no PIN. */
const NO_PIN = 'none';

const roleOf = (nodeRole: 'HOST' | 'GUEST'): Role => (nodeRole === 'HOST' ? 'host' : 'guest');

/**
 * @pexip/infinity's error when the peer connection stays `failed` for 5 s although it
 * restarted ICE (dist/call.js `onConnectionStateChange`, "WebRTC connection failed").
 */
const WEBRTC_FAILED = '#pex128';

/** How long picture and sound may stay away before a full rejoin (see useRejoinWhenMediaStaysDown). */
const MEDIA_REJOIN_MS = 60_000;

/** How long to wait before asking again while the room is being prepared. */
const PREPARING_RETRY_MS = 2000;

const isLive = (state: CallState): boolean =>
  state.status === CallStatus.Connecting ||
  state.status === CallStatus.Preparing ||
  state.status === CallStatus.PinRequired ||
  state.status === CallStatus.Connected;

/**
 * One attempt at being in a meeting: an Infinity client, its signals and the
 * call state reducer. Mount a fresh one (React key) to rejoin.
 */
export const useCall = (): UseCall => {
  const [session] = useState(createInfinitySession);
  const [state, dispatch] = useReducer(callReducer, initialCallState);
  const [room, dispatchRoom] = useReducer(roomReducer, initialRoomState);
  const [remoteStream, setRemoteStream] = useState<MediaStream | null>(null);
  const requestRef = useRef<JoinRequest | null>(null);
  const abandonedRef = useRef(false);
  const liveRef = useRef(false);
  const live = isLive(state);
  useEffect(() => {
    liveRef.current = live;
  });

  useSignal(session.signals.onPinRequired, ({ hasHostPin, hasGuestPin }) =>
    dispatch(
      requestRef.current?.granted ? { type: 'grant-refused' } : { type: 'pin-required', hasHostPin, hasGuestPin },
    ),
  );
  const { reconnect: reconnectConfig } = useAppConfig();
  const reconnect = useReconnect({
    session,
    requestRef,
    abandonedRef,
    connected: state.status === CallStatus.Connected,
    held: state.status === CallStatus.Connected && waitReasonOf(state.role, room) !== null,
    longOutageSeconds: reconnectConfig?.longOutageSeconds ?? 30,
    onRejoined: (role) => dispatch({ type: 'connected', role }),
    onRefused: (reason) => dispatch({ type: 'node-error', reason }),
  });
  useSignal(session.signals.onError, ({ error, errorCode }) => {
    if (reconnect.isRejoining()) return;
    const request = requestRef.current;
    if (errorCode === WEBRTC_FAILED && state.status === CallStatus.Connected && request && !abandonedRef.current) {
      // The media path stayed dead through the client's ICE restarts: a fresh call on the
      // same token, and again each time it fails, until the path is back or we leave.
      void restartCallOf(session, request.stream).catch(() => reconnect.retryNow());
      return;
    }
    dispatch({ type: 'node-error', reason: error });
  });
  useSignal(session.signals.onDisconnected, ({ error }) => {
    if (!reconnect.takeDisconnect(error)) dispatch({ type: 'disconnected', reason: error });
  });
  useSignal(session.callSignals.onRemoteStream, (stream) => setRemoteStream(stream));
  useSignal(session.signals.onServiceType, (serviceType) => {
    if (serviceType) dispatchRoom({ type: 'service-type', serviceType });
  });
  useSignal(session.signals.onConferenceStatus, ({ id, status }) => {
    if (id === MAIN_ROOM_ID)
      dispatchRoom({ type: 'conference-status', started: status.started, locked: status.locked });
  });
  const others = useOthers(session);
  const silent = useSilentParticipants(session);
  // Only with someone's media to receive (in direct media none while waiting for the peer).
  const mediaInterrupted = useMediaInterrupted(session, state.status === CallStatus.Connected && remoteStream !== null);
  useRejoinWhenMediaStaysDown(mediaInterrupted, reconnect.retryNow);
  useDirectMedia({ session, requestRef, abandonedRef, onRemoteGone: () => setRemoteStream(null) });

  const placeCall = useCallback(
    async (pin?: string) => {
      const request = requestRef.current;
      if (!request) return;
      try {
        const response = await session.client.call({ ...callParams(request), ...(pin === undefined ? {} : { pin }) });
        if (response?.status === 200 && abandonedRef.current) {
          // Left while the node was still answering.
          void session.client.disconnect({ reason: 'User initiated disconnect' }).catch(() => undefined);
        } else if (response?.status === 200) {
          dispatch({ type: 'connected', role: roleOf(response.data.result.role) });
        }
      } catch (error) {
        // Network failures and malformed answers; the node's own refusals arrive as signals.
        dispatch({ type: 'node-error', reason: error instanceof Error ? error.message : 'unknown' });
      }
    },
    [session],
  );

  const join = useCallback(
    (request: JoinRequest) => {
      requestRef.current = request;
      dispatch({ type: 'join' });
      void placeCall();
    },
    [placeCall],
  );

  const submitPin = useCallback(
    (pin: string) => {
      dispatch({ type: 'pin-submitted' });
      void placeCall(pin === '' ? NO_PIN : pin);
    },
    [placeCall],
  );

  // The room is being made: ask again by ourselves, the person needs to do nothing.
  const preparingAttempt = state.status === CallStatus.Preparing ? state.attempt : 0;
  useEffect(() => {
    if (preparingAttempt === 0) return undefined;
    const timer = window.setTimeout(() => {
      if (!abandonedRef.current) void placeCall();
    }, PREPARING_RETRY_MS);
    return () => window.clearTimeout(timer);
  }, [preparingAttempt, placeCall]);

  // While a hang-up is on its way the page may close (she leaves and closes the tab at once):
  // then the page's exit still releases the seat, by beacon.
  const leavingRef = useRef(false);
  const hangUp = useCallback(async () => {
    leavingRef.current = true;
    await session.client.disconnect({ reason: 'User initiated disconnect' }).catch(() => undefined);
    leavingRef.current = false;
  }, [session]);

  const leave = useCallback(() => {
    abandonedRef.current = true;
    dispatch({ type: 'left' });
    void hangUp();
  }, [hangUp]);

  const endForAll = useCallback(() => {
    abandonedRef.current = true;
    dispatch({ type: 'ended-for-all' });
    const granted = requestRef.current?.granted === true;
    leavingRef.current = true;
    void (async () => {
      // Pexip's conference `disconnect`: everyone out now (they read "the host ended it").
      await session.client.disconnectAll({}).catch(() => undefined);
      // The BFF ends it at VDX too, so no link opens it again.
      if (granted) await apiSend('/api/session/end-meeting', { method: 'POST' });
      await hangUp();
    })();
  }, [session, hangUp]);

  const endAsHostsLeft = useCallback(() => {
    abandonedRef.current = true;
    dispatch({ type: 'hosts-gone' });
    void hangUp();
  }, [hangUp]);

  useReleaseOnExit(session, liveRef, leavingRef);
  useDropFailedCall(session, state);

  const { reconnecting, longOutage, retryNow } = reconnect;
  return {
    state,
    room,
    session,
    remoteStream,
    othersPresent: others.length > 0,
    others,
    silent,
    reconnect: { reconnecting, longOutage, retryNow },
    mediaInterrupted,
    join,
    submitPin,
    leave,
    endForAll,
    endAsHostsLeft,
  };
};

/** Everyone in the main room but me, kept in step with the node's events. */
const useOthers = (session: InfinitySession): Participant[] => {
  const [others, setOthers] = useState<Participant[]>([]);
  const refresh = () => {
    const me = session.client.getMe()?.uuid;
    setOthers(session.client.getParticipants(MAIN_ROOM_ID).filter((p) => p.uuid !== me));
  };
  useSignal(session.signals.onParticipants, refresh);
  useSignal(session.signals.onParticipantJoined, refresh);
  useSignal(session.signals.onParticipantLeft, refresh);
  useSignal(session.signals.onParticipantUpdated, refresh);
  useSignal(session.signals.onMe, refresh);
  return others;
};

/**
 * The last resort when picture and sound stay away although the client restarted ICE and
 * made fresh calls (a call that could not even be placed again): a full rejoin, as after
 * a lost connection.
 */
const useRejoinWhenMediaStaysDown = (mediaInterrupted: boolean, rejoin: () => void): void => {
  useEffect(() => {
    if (!mediaInterrupted) return undefined;
    const timer = window.setTimeout(rejoin, MEDIA_REJOIN_MS);
    return () => window.clearTimeout(timer);
  }, [mediaInterrupted, rejoin]);
};

/**
 * Closing the tab or leaving the page releases the token by beacon, also while a hang-up is
 * still on its way (a fetch would die with the page). @pexip/infinity's requestClient.js sends
 * `release_token` by `navigator.sendBeacon` for the reason 'Browser closed'.
 */
const useReleaseOnExit = (
  session: InfinitySession,
  liveRef: { current: boolean },
  leavingRef: { current: boolean },
): void => {
  useEffect(() => {
    const release = () => {
      if (!liveRef.current && !leavingRef.current) return;
      liveRef.current = false;
      leavingRef.current = false;
      void session.client.disconnect({ reason: 'Browser closed' }).catch(() => undefined);
    };
    window.addEventListener('pagehide', release);
    return () => {
      window.removeEventListener('pagehide', release);
      release();
    };
  }, [session, liveRef, leavingRef]);
};

/** A broken call may still hold a token and a peer connection: let go of both. */
const useDropFailedCall = (session: InfinitySession, state: CallState): void => {
  const failed = state.status === CallStatus.Error;
  useEffect(() => {
    if (failed) void session.client.disconnect({ reason: 'User initiated disconnect' }).catch(() => undefined);
  }, [failed, session]);
};
