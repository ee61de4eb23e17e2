import {
  type CallSignals,
  ClientCallType,
  createCallSignals,
  createInfinityClient,
  createInfinityClientSignals,
  type InfinityClient,
  type InfinitySignals,
} from '@pexip/infinity';

import { installResilientEventStream } from './event-stream';
import { quietPexipLogs } from './quiet-logger';

quietPexipLogs();
installResilientEventStream();

export interface InfinitySession {
  client: InfinityClient;
  signals: InfinitySignals;
  callSignals: CallSignals;
}

/**
 * One client with its own signals. `host` is always our own origin: the BFF
 * proxies `/api/client/v2/...` to the conference node and adds the PIN.
 */
export const createInfinitySession = (): InfinitySession => {
  const signals = createInfinityClientSignals([], {
    batchScheduleTimeoutMS: 100,
    batchBufferSize: 50,
  }) as InfinitySignals;
  const callSignals = createCallSignals([]) as CallSignals;
  const client = createInfinityClient(signals, callSignals);
  return { client, signals, callSignals };
};

export const infinityHost = (): string => window.location.origin;

/** Kbps offered to the node; the node may lower it. */
export const CALL_BANDWIDTH = 1280;

/** Send what we have, always receive audio and video (we must see the staff). */
export const callTypeFor = (stream: MediaStream | null): ClientCallType => {
  const hasAudio = Boolean(stream?.getAudioTracks().length);
  const hasVideo = Boolean(stream?.getVideoTracks().length);
  if (hasAudio && hasVideo) return ClientCallType.AudioVideo;
  const audio = hasAudio ? ClientCallType.Audio : ClientCallType.AudioRecvOnly;
  const video = hasVideo ? ClientCallType.Video : ClientCallType.VideoRecvOnly;
  return (audio | video) as ClientCallType;
};

/** What `client.call` is given to join (and to join again): the node, the bandwidth, what we send. */
export const callParams = (request: { conferenceAlias: string; displayName: string; stream: MediaStream | null }) => ({
  conferenceAlias: request.conferenceAlias,
  displayName: request.displayName,
  host: infinityHost(),
  bandwidth: CALL_BANDWIDTH,
  mediaStream: request.stream ?? undefined,
  callType: callTypeFor(request.stream),
});

/**
 * A fresh call on the same participant token: @pexip/infinity's `restartCall`
 * (dist/infinityClient.js) hangs up the call, keeps the token and places a new one.
 */
export const restartCallOf = (session: InfinitySession, stream: MediaStream | null) =>
  session.client.restartCall({
    bandwidth: CALL_BANDWIDTH,
    mediaStream: stream ?? undefined,
    callType: callTypeFor(stream),
  });
