import { useCallback, useEffect, useReducer, useRef, useState } from 'react';

import { useSignal } from '@/hooks/use-signal';
import type { InfinitySession } from '@/lib/infinity';

import { initialMicState, isMicMuted, micReducer } from '../mic-state';

/** One device's button: muted (or there is none), whether there is one, and pressing it. */
export interface DeviceToggle {
  muted: boolean;
  present: boolean;
  toggle: () => void;
}

export interface MediaToggles {
  mic: DeviceToggle;
  camera: DeviceToggle;
  /** The node holds my sound back (a host muted me, or guests start muted). */
  mutedByHost: boolean;
  /** I asked to be heard and only a host may unmute me. */
  unmuteRefused: boolean;
  /** A host let me be heard again (I did not ask). */
  unmutedByHost: boolean;
  /** A host turned my camera off (`video_muted`); I may turn it on again. */
  cameraStoppedByHost: boolean;
}

/** A node's word on my camera this soon after my own press is the echo of that press. */
const OWN_ECHO_MS = 3000;

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
  const [cameraStoppedByHost, setCameraStoppedByHost] = useState(false);
  const cameraRef = useRef({ muted: false, changedAt: 0 });

  const readNode = useCallback(() => {
    const me = session.client.getMe();
    if (!me) return;
    dispatchMic({ type: 'node', muted: me.isMuted });
    // The node says my picture is off while my camera is on, and not as an echo of my own
    // recent press: a host stopped it. Off here too, and she is told.
    const camera = cameraRef.current;
    if (me.isCameraMuted && !camera.muted && Date.now() - camera.changedAt > OWN_ECHO_MS && stream) {
      setEnabled(stream.getVideoTracks(), false);
      cameraRef.current = { muted: true, changedAt: Date.now() };
      setCameraMuted(true);
      setCameraStoppedByHost(true);
    }
  }, [session, stream]);
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
    cameraRef.current = { muted: mute, changedAt: Date.now() };
    setCameraMuted(mute);
    setCameraStoppedByHost(false);
    void session.client.muteVideo({ muteVideo: mute }).catch(() => undefined);
  }, [stream, cameraMuted, session]);

  return {
    mic: { muted: isMicMuted(mic) || !hasMic, present: hasMic, toggle: toggleMic },
    camera: { muted: cameraMuted || !hasCamera, present: hasCamera, toggle: toggleCamera },
    mutedByHost: hasMic && mic.nodeMuted,
    unmuteRefused: mic.refused,
    unmutedByHost: hasMic && mic.unmutedByHost,
    cameraStoppedByHost,
  };
};
