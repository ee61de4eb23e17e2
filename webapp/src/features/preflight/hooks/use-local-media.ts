import { useCallback, useEffect, useState } from 'react';

import { type Acquired, stopStream, takeLocalMedia } from '../local-media';

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

const statusOf = (stream: MediaStream | null): LocalMediaStatus => {
  if (!stream) return 'none';
  const both = stream.getAudioTracks().length > 0 && stream.getVideoTracks().length > 0;
  return both ? 'ready' : 'partial';
};

/** Asks once for camera and microphone, falling back to what is allowed. */
export const useLocalMedia = (): LocalMedia => {
  const [acquired, setAcquired] = useState<Acquired | null>(null);

  useEffect(() => {
    let cancelled = false;
    let result: Acquired | null = null;
    void takeLocalMedia().then((value) => {
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
