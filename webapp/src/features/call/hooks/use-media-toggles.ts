import { useCallback, useEffect, useReducer, useState } from 'react';

import { useSignal } from '@/hooks/use-signal';
import type { InfinitySession } from '@/lib/infinity';

import { initialMicState, isMicMuted, micReducer } from '../mic-state';

export interface MediaToggles {
  micMuted: boolean;
  /** The node holds my sound back (a host muted me, or guests start muted). */
  mutedByHost: boolean;
  /** I asked to be heard and only a host may unmute me. */
  unmuteRefused: boolean;
  cameraMuted: boolean;
  hasMic: boolean;
  hasCamera: boolean;
  toggleMic: () => void;
  toggleCamera: () => void;
}

const setEnabled = (tracks: MediaStreamTrack[], enabled: boolean): void => {
  for (const track of tracks) track.enabled = enabled;
};

/**
 * Muting myself works locally (the track stops carrying sound/picture at once) and is
 * told to the node (`client_mute`). The node's own mute (`is_muted`: a host muted me,
 * or the room mutes guests on joining) is read from the node and shown: pressing the
 * button then asks the node to unmute me, which only succeeds where guests may.
 */
export const useMediaToggles = (stream: MediaStream | null, session: InfinitySession): MediaToggles => {
  const hasMic = Boolean(stream?.getAudioTracks().length);
  const hasCamera = Boolean(stream?.getVideoTracks().length);
  const [mic, dispatchMic] = useReducer(micReducer, initialMicState);
  const [cameraMuted, setCameraMuted] = useState(false);

  const readNode = useCallback(() => {
    const me = session.client.getMe();
    if (me) dispatchMic({ type: 'node', muted: me.isMuted });
  }, [session]);
  useEffect(readNode, [readNode]);
  useSignal(session.signals.onMe, readNode);
  useSignal(session.signals.onParticipants, readNode);

  const toggleMic = useCallback(() => {
    if (!stream) return;
    dispatchMic({ type: 'toggle' });
    if (mic.nodeMuted) {
      setEnabled(stream.getAudioTracks(), true);
      if (mic.selfMuted) void session.client.clientMute({ mute: false }).catch(() => undefined);
      session.client.mute({ mute: false }).then(
        (response) => response?.status !== 200 && dispatchMic({ type: 'refused' }),
        () => dispatchMic({ type: 'refused' }),
      );
      return;
    }
    const mute = !mic.selfMuted;
    setEnabled(stream.getAudioTracks(), !mute);
    void session.client.clientMute({ mute }).catch(() => undefined);
  }, [stream, mic, session]);

  const toggleCamera = useCallback(() => {
    if (!stream) return;
    const mute = !cameraMuted;
    setEnabled(stream.getVideoTracks(), !mute);
    setCameraMuted(mute);
    void session.client.muteVideo({ muteVideo: mute }).catch(() => undefined);
  }, [stream, cameraMuted, session]);

  return {
    micMuted: isMicMuted(mic) || !hasMic,
    mutedByHost: hasMic && mic.nodeMuted,
    unmuteRefused: mic.refused,
    cameraMuted: cameraMuted || !hasCamera,
    hasMic,
    hasCamera,
    toggleMic,
    toggleCamera,
  };
};
