import { useCallback, useState } from 'react';

import type { InfinitySession } from '@/lib/infinity';

export interface MediaToggles {
  micMuted: boolean;
  cameraMuted: boolean;
  hasMic: boolean;
  hasCamera: boolean;
  toggleMic: () => void;
  toggleCamera: () => void;
}

const setEnabled = (tracks: MediaStreamTrack[], enabled: boolean): void => {
  for (const track of tracks) track.enabled = enabled;
}

/**
 * Mute works locally (the track stops carrying sound/picture at once) and is
 * told to the node so others see the state; the node's answer is not awaited.
 */
export const useMediaToggles = (stream: MediaStream | null, session: InfinitySession): MediaToggles => {
  const hasMic = Boolean(stream?.getAudioTracks().length);
  const hasCamera = Boolean(stream?.getVideoTracks().length);
  const [micMuted, setMicMuted] = useState(false);
  const [cameraMuted, setCameraMuted] = useState(false);

  const toggleMic = useCallback(() => {
    if (!stream) return;
    const mute = !micMuted;
    setEnabled(stream.getAudioTracks(), !mute);
    setMicMuted(mute);
    void session.client.mute({ mute }).catch(() => undefined);
  }, [stream, micMuted, session]);

  const toggleCamera = useCallback(() => {
    if (!stream) return;
    const mute = !cameraMuted;
    setEnabled(stream.getVideoTracks(), !mute);
    setCameraMuted(mute);
    void session.client.muteVideo({ muteVideo: mute }).catch(() => undefined);
  }, [stream, cameraMuted, session]);

  return {
    micMuted: micMuted || !hasMic,
    cameraMuted: cameraMuted || !hasCamera,
    hasMic,
    hasCamera,
    toggleMic,
    toggleCamera,
  };
};
