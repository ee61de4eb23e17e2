import { useCallback, useEffect, useRef, useState } from 'react';

import type { Role } from '@/config/app-config';
import { useSignal } from '@/hooks/use-signal';
import { ApiError, apiResponse } from '@/lib/api-client';
import { onStreamHealth, reconnectStreamsNow, setStreamToken } from '@/lib/event-stream';
import { callParams, infinityHost, type InfinitySession } from '@/lib/infinity';

import { BEACON_MS, PRESENCE } from './use-presence';

export interface JoinTarget {
  conferenceAlias: string;
  displayName: string;
  stream: MediaStream | null;
}

export interface ReconnectOptions {
  session: InfinitySession;
  requestRef: { current: JoinTarget | null };
  abandonedRef: { current: boolean };
  /** In the meeting (joined, not over): only then is a lost connection ours to mend. */
  connected: boolean;
  /** Held by the node (lobby, waiting room): it refuses our messages, so no beacons. */
  held: boolean;
  /** Seconds of trouble after which "Prøv igen" is offered too. */
  longOutageSeconds: number;
  onRejoined: (role: Role) => void;
  /** The node or the BFF refused the fresh join (meeting over, session gone): final. */
  onRefused: (reason: string) => void;
}

export interface Reconnect {
  /** Shown over the running video: "Genopretter forbindelsen…". */
  reconnecting: boolean;
  /** Trouble for longer than `longOutageSeconds`: offer "Prøv igen" as well. */
  longOutage: boolean;
  /** "Prøv igen": try a fresh join now instead of at the next pause. */
  retryNow: () => void;
  /** True while a fresh join is under way: the client's own disconnects and errors are ours. */
  isRejoining: () => boolean;
  /** A disconnect the client reports; true when it is a lost connection we now mend. */
  takeDisconnect: (reason: string) => boolean;
}

/** Disconnects that mean "the connection broke", not "the meeting is over for you". */
const RECOVERABLE = new Set([
  'Could not reconnect to the meeting',
  'Could not execute critical network action',
  'Timer expired awaiting token refresh',
]);
/** Answers to a fresh request_token that say "not now" rather than "no". */
const TRANSIENT_STATUS = new Set([502, 503, 504, 529]);
const GRACE_MS = 1000;
const PROBE_MS = [1000, 2000, 4000, 8000, 10_000];

const sleep = (ms: number) => new Promise((resolve) => window.setTimeout(resolve, ms));

/**
 * Keeps a joined call alive through network trouble, as Pexip's own clients do, in steps:
 * the event stream reopens by itself (lib/event-stream); a probe (`conference_status` with
 * our token) tells whether the path to the node is back; once it is, one message through
 * the client makes it refresh its token at once; and when the node no longer knows our
 * token (it dropped us) or the client gave up, a fresh join on the same grant, which the
 * BFF lets replace our previous participant. ICE restarts are the client's own (it
 * reports them). Trouble is noticed within a second or two: a broken stream, a failed
 * request, the browser going offline, a failed probe or beacon.
 */
export const useReconnect = ({
  session,
  requestRef,
  abandonedRef,
  connected,
  held,
  longOutageSeconds,
  onRejoined,
  onRefused,
}: ReconnectOptions): Reconnect => {
  const { client, signals, callSignals } = session;
  const tokenRef = useRef<string | null>(null);
  const streamDown = useRef(false);
  const iceDown = useRef(false);
  const requestFailed = useRef(false);
  const offline = useRef(!navigator.onLine);
  const rejoining = useRef(false);
  const troubleSince = useRef<number | null>(null);
  const probeAttempt = useRef(0);
  const nextProbe = useRef(0);
  const [view, setView] = useState({ reconnecting: false, longOutage: false });
  const connectedRef = useRef(connected);
  const callbacks = useRef({ onRejoined, onRefused });
  useEffect(() => {
    connectedRef.current = connected;
    callbacks.current = { onRejoined, onRefused };
  });
  // Not connected: nothing to reconnect (adjusted while rendering).
  if (!connected && (view.reconnecting || view.longOutage)) setView({ reconnecting: false, longOutage: false });

  const rememberToken = (token: string) => {
    tokenRef.current = token;
    setStreamToken(token);
  };
  useSignal(signals.onAuthenticatedWithConference, ({ token }) => rememberToken(token));
  useSignal(signals.onTokenRefreshed, ({ token }) => rememberToken(token));
  useSignal(signals.onFailedRequest, () => {
    requestFailed.current = true;
  });
  useSignal(callSignals.onReconnecting, () => {
    iceDown.current = true;
  });
  useSignal(callSignals.onReconnected, () => {
    iceDown.current = false;
  });
  // @pexip/infinity (dist/call.js) emits onReconnected only on the next new_candidate after its
  // ICE restart; a call replaced first (a fresh join, restartCall) never sends it. A peer
  // connection that reaches 'connected' (onCallConnected, the same file) has no ICE trouble.
  useSignal(callSignals.onCallConnected, () => {
    iceDown.current = false;
  });

  useEffect(
    () =>
      onStreamHealth((health) => {
        streamDown.current = health === 'down';
      }),
    [],
  );

  useEffect(() => {
    const goOffline = () => {
      offline.current = true;
    };
    const goOnline = () => {
      offline.current = false;
      nextProbe.current = 0; // look now
    };
    window.addEventListener('offline', goOffline);
    window.addEventListener('online', goOnline);
    return () => {
      window.removeEventListener('offline', goOffline);
      window.removeEventListener('online', goOnline);
    };
  }, []);

  const rejoin = useCallback(async () => {
    const request = requestRef.current;
    if (!request || rejoining.current || abandonedRef.current) return;
    rejoining.current = true;
    // Lets go of the old participant's client state (its requests may fail: ignored).
    await client.disconnect({ reason: 'Could not reconnect to the meeting' }).catch(() => undefined);
    for (let attempt = 0; !abandonedRef.current; attempt += 1) {
      const response = await client.call(callParams(request)).catch(() => undefined);
      if (response?.status === 200) {
        rejoining.current = false;
        if (abandonedRef.current) {
          void client.disconnect({ reason: 'User initiated disconnect' }).catch(() => undefined);
          return;
        }
        streamDown.current = false;
        requestFailed.current = false;
        iceDown.current = false; // the old call's ICE restart, if any, ended with it
        callbacks.current.onRejoined(response.data.result.role === 'HOST' ? 'host' : 'guest');
        return;
      }
      if (response && !TRANSIENT_STATUS.has(response.status)) {
        rejoining.current = false;
        const result: unknown = (response.data as { result?: unknown } | undefined)?.result;
        callbacks.current.onRefused(typeof result === 'string' ? result : `status ${response.status}`);
        return;
      }
      await sleep(PROBE_MS[Math.min(attempt, PROBE_MS.length - 1)] ?? 10_000);
    }
    rejoining.current = false;
  }, [client, requestRef, abandonedRef]);

  /** Is the path to the node back, and does it still know our token? */
  const probe = useCallback(async (): Promise<'ok' | 'gone' | 'down'> => {
    const request = requestRef.current;
    const token = tokenRef.current;
    if (!request || !token) return 'down';
    try {
      const alias = encodeURIComponent(request.conferenceAlias);
      // Pexip's client API (conference_status), through the BFF's proxy where it is the host.
      await apiResponse(`${infinityHost()}/api/client/v2/conferences/${alias}/conference_status`, {
        headers: { token },
      });
      return 'ok';
    } catch (error) {
      return error instanceof ApiError && error.status === 403 ? 'gone' : 'down';
    }
  }, [requestRef]);

  // The beacon that tells the others we are here; when it fails, we are in trouble.
  const beacon = useCallback(() => {
    client.sendApplicationMessage({ payload: PRESENCE }).then(
      (response) => {
        if (response && response.status === 200) requestFailed.current = false;
      },
      () => {
        requestFailed.current = true;
      },
    );
  }, [client]);

  useEffect(() => {
    if (!connected) {
      troubleSince.current = null;
      return undefined;
    }
    let lastBeacon = 0;
    let probing = false;
    const tick = () => {
      const now = Date.now();
      const trouble =
        streamDown.current || iceDown.current || requestFailed.current || offline.current || rejoining.current;
      if (!trouble) {
        troubleSince.current = null;
        probeAttempt.current = 0;
        if (!held && now - lastBeacon >= BEACON_MS) {
          lastBeacon = now;
          beacon();
        }
      } else {
        if (troubleSince.current === null) {
          troubleSince.current = now;
          // Fails (and waits in the client's retry queue) while the way is down: the first
          // request after it then makes the client refresh its token before anything else.
          beacon();
        }
        if (!probing && !rejoining.current && now >= nextProbe.current) {
          probing = true;
          void probe().then((result) => {
            probing = false;
            const pause = PROBE_MS[Math.min(probeAttempt.current, PROBE_MS.length - 1)] ?? 10_000;
            probeAttempt.current += 1;
            nextProbe.current = Date.now() + pause;
            if (result === 'ok') {
              // The way is back: reopen the stream now, and one message through the client
              // flushes its queue of failed requests, which refreshes its token first.
              reconnectStreamsNow();
              lastBeacon = Date.now();
              beacon();
            } else if (result === 'gone' && connectedRef.current) {
              void rejoin();
            }
          });
        }
      }
      const since = troubleSince.current;
      const reconnecting = since !== null && now - since >= GRACE_MS;
      const longOutage = since !== null && now - since >= longOutageSeconds * 1000;
      setView((current) =>
        current.reconnecting === reconnecting && current.longOutage === longOutage
          ? current
          : { reconnecting, longOutage },
      );
    };
    const timer = window.setInterval(tick, 500);
    return () => window.clearInterval(timer);
  }, [connected, held, beacon, probe, rejoin, longOutageSeconds]);

  const retryNow = useCallback(() => {
    nextProbe.current = 0;
    probeAttempt.current = 0;
    reconnectStreamsNow();
    void rejoin();
  }, [rejoin]);

  const takeDisconnect = useCallback(
    (reason: string): boolean => {
      if (rejoining.current) return true;
      if (!connectedRef.current || abandonedRef.current || !RECOVERABLE.has(reason)) return false;
      void rejoin();
      return true;
    },
    [rejoin, abandonedRef],
  );

  const isRejoining = useCallback(() => rejoining.current, []);

  return { ...view, retryNow, isRejoining, takeDisconnect };
};
