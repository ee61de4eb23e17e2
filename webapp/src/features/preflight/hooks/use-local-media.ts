import { useCallback, useEffect, useRef, useState } from 'react';

import {
  type Acquired,
  acquire,
  type DeviceChoice,
  preparedLocalMedia,
  stopStream,
  takeLocalMedia,
} from '../local-media';

/**
 * ready: camera and microphone; partial: only one of them;
 * none: neither (denied or missing), the user can still join to watch and listen.
 */
export type LocalMediaStatus = 'pending' | 'ready' | 'partial' | 'none';

export type DeviceKind = 'camera' | 'microphone' | 'speaker';

export interface Devices {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  /** Empty where the browser cannot choose where sound goes (no setSinkId). */
  speakers: MediaDeviceInfo[];
}

export interface LocalMedia {
  status: LocalMediaStatus;
  stream: MediaStream | null;
  /** The browser refused (as opposed to: no such device). */
  denied: boolean;
  /** Asking the browser again right now (after "Prøv igen" or a device choice). */
  asking: boolean;
  devices: Devices;
  /** The chosen device ids ('' = the browser's default). */
  chosen: Record<DeviceKind, string>;
  stop: () => void;
  /** Ask for camera and microphone again (after a refusal or a missing device). */
  retry: () => void;
  choose: (kind: DeviceKind, deviceId: string) => void;
}

const NO_DEVICES: Devices = { cameras: [], microphones: [], speakers: [] };

export const canChooseSpeaker = (): boolean =>
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

const statusOf = (stream: MediaStream | null): LocalMediaStatus => {
  if (!stream) return 'none';
  const both = stream.getAudioTracks().length > 0 && stream.getVideoTracks().length > 0;
  return both ? 'ready' : 'partial';
};

const listDevices = async (): Promise<Devices> => {
  if (!navigator.mediaDevices?.enumerateDevices) return NO_DEVICES;
  const all = await navigator.mediaDevices.enumerateDevices().catch(() => []);
  // Labels are empty until a permission was given: such a list is no choice.
  const named = all.filter((d) => d.label !== '' && d.deviceId !== '');
  return {
    cameras: named.filter((d) => d.kind === 'videoinput'),
    microphones: named.filter((d) => d.kind === 'audioinput'),
    speakers: canChooseSpeaker() ? named.filter((d) => d.kind === 'audiooutput') : [],
  };
};

const trackDevice = (track: MediaStreamTrack | undefined): string => track?.getSettings().deviceId ?? '';

/** Asks for camera and microphone, falling back to what is allowed; asks again on request. */
export const useLocalMedia = (): LocalMedia => {
  // A camera already answered (index.html asked early) is on the first render: no render and
  // no effect after the first paint stand between it and the self-view.
  const [acquired, setAcquired] = useState<Acquired | null>(preparedLocalMedia);
  const [asking, setAsking] = useState(false);
  const [devices, setDevices] = useState<Devices>(NO_DEVICES);
  const [speaker, setSpeaker] = useState('');
  const current = useRef<Acquired | null>(null);
  const live = useRef(true);

  const take = useCallback((value: Acquired) => {
    if (!live.current) {
      stopStream(value.stream);
      return;
    }
    const previous = current.current;
    current.current = value;
    setAcquired(value);
    if (previous && previous.stream !== value.stream) stopStream(previous.stream);
    void listDevices().then((list) => live.current && setDevices(list));
  }, []);

  useEffect(() => {
    live.current = true;
    let cancelled = false;
    void takeLocalMedia().then((value) => (cancelled ? stopStream(value.stream) : take(value)));
    const refresh = () => void listDevices().then((list) => live.current && setDevices(list));
    navigator.mediaDevices?.addEventListener?.('devicechange', refresh);
    return () => {
      cancelled = true;
      live.current = false;
      navigator.mediaDevices?.removeEventListener?.('devicechange', refresh);
      stopStream(current.current?.stream ?? null);
      current.current = null;
    };
  }, [take]);

  const askAgain = useCallback(
    (choice?: DeviceChoice) => {
      setAsking(true);
      // A camera in use cannot always be opened twice (phones): let go of it first.
      if (choice === undefined) stopStream(current.current?.stream ?? null);
      void acquire(choice).then((value) => {
        setAsking(false);
        take(value);
      });
    },
    [take],
  );

  const stream = acquired?.stream ?? null;
  const chosen: Record<DeviceKind, string> = {
    camera: trackDevice(stream?.getVideoTracks()[0]),
    microphone: trackDevice(stream?.getAudioTracks()[0]),
    speaker,
  };

  const choose = useCallback(
    (kind: DeviceKind, deviceId: string) => {
      if (kind === 'speaker') {
        setSpeaker(deviceId);
        return;
      }
      const now = current.current?.stream ?? null;
      const choice: DeviceChoice = {
        camera: kind === 'camera' ? deviceId : trackDevice(now?.getVideoTracks()[0]) || undefined,
        microphone: kind === 'microphone' ? deviceId : trackDevice(now?.getAudioTracks()[0]) || undefined,
      };
      stopStream(now);
      askAgain(choice);
    },
    [askAgain],
  );

  const stop = useCallback(() => stopStream(current.current?.stream ?? null), []);
  const retry = useCallback(() => askAgain(), [askAgain]);

  return {
    status: acquired ? statusOf(stream) : 'pending',
    stream,
    denied: acquired?.denied ?? false,
    asking,
    devices,
    chosen,
    stop,
    retry,
    choose,
  };
};
