import { useCallback, useEffect, useState } from 'react';

/**
 * ready: camera and microphone; partial: only one of them;
 * none: neither (denied or missing), the user can still join to watch and listen.
 */
export type LocalMediaStatus = 'pending' | 'ready' | 'partial' | 'none';

export interface LocalMedia {
  status: LocalMediaStatus;
  stream: MediaStream | null;
  /** The browser refused (as opposed to: no such device). */
  denied: boolean;
  stop: () => void;
}

const CONSTRAINTS: MediaStreamConstraints[] = [
  { audio: true, video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } } },
  { audio: true, video: false },
  { audio: false, video: { facingMode: 'user' } },
];

interface Acquired {
  stream: MediaStream | null;
  denied: boolean;
}

const acquire = async (): Promise<Acquired> => {
  if (!navigator.mediaDevices?.getUserMedia) return { stream: null, denied: false };
  let denied = false;
  for (const constraints of CONSTRAINTS) {
    try {
      return { stream: await navigator.mediaDevices.getUserMedia(constraints), denied };
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotAllowedError') denied = true;
    }
  }
  return { stream: null, denied };
};

const statusOf = (stream: MediaStream | null): LocalMediaStatus => {
  if (!stream) return 'none';
  const both = stream.getAudioTracks().length > 0 && stream.getVideoTracks().length > 0;
  return both ? 'ready' : 'partial';
};

const stopStream = (stream: MediaStream | null): void => {
  for (const track of stream?.getTracks() ?? []) track.stop();
};

/** Asks once for camera and microphone, falling back to what is allowed. */
export const useLocalMedia = (): LocalMedia => {
  const [acquired, setAcquired] = useState<Acquired | null>(null);

  useEffect(() => {
    let cancelled = false;
    let result: Acquired | null = null;
    void acquire().then((value) => {
      result = value;
      if (cancelled) stopStream(value.stream);
      else setAcquired(value);
    });
    return () => {
      cancelled = true;
      stopStream(result?.stream ?? null);
    };
  }, []);

  const stop = useCallback(() => stopStream(acquired?.stream ?? null), [acquired]);

  return {
    status: acquired ? statusOf(acquired.stream) : 'pending',
    stream: acquired?.stream ?? null,
    denied: acquired?.denied ?? false,
    stop,
  };
};
