/** Camera and microphone, without React: the request may start before React has loaded. */

export interface Acquired {
  stream: MediaStream | null;
  /** The browser refused (as opposed to: no such device). */
  denied: boolean;
}

const CONSTRAINTS: MediaStreamConstraints[] = [
  { audio: true, video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } } },
  { audio: true, video: false },
  { audio: false, video: { facingMode: 'user' } },
];

/** The devices the person picked (device ids), or the browser's choice. */
export interface DeviceChoice {
  camera?: string;
  microphone?: string;
}

const constraintsFor = (choice: DeviceChoice): MediaStreamConstraints[] => {
  const video: MediaTrackConstraints = choice.camera
    ? { deviceId: { exact: choice.camera }, width: { ideal: 1280 }, height: { ideal: 720 } }
    : { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } };
  const audio: MediaTrackConstraints | true = choice.microphone ? { deviceId: { exact: choice.microphone } } : true;
  return [
    { audio, video },
    { audio, video: false },
    { audio: false, video },
  ];
};

/** Asks for camera and microphone, falling back to what is allowed. */
export const acquire = async (choice?: DeviceChoice): Promise<Acquired> => {
  if (!navigator.mediaDevices?.getUserMedia) return { stream: null, denied: false };
  let denied = false;
  for (const constraints of choice ? constraintsFor(choice) : CONSTRAINTS) {
    try {
      return { stream: await navigator.mediaDevices.getUserMedia(constraints), denied };
    } catch (error) {
      if (error instanceof DOMException && error.name === 'NotAllowedError') denied = true;
    }
  }
  return { stream: null, denied };
};

let prepared: Promise<Acquired> | null = null;
/** `prepared`'s answer once it is in: the first screen starts on it without a wait. */
let answered: Acquired | null = null;

declare global {
  interface Window {
    /** The camera request index.html's inline script made before this code arrived. */
    __bvEarlyMedia?: Promise<MediaStream> | undefined;
  }
}

/** index.html's early request (once): its stream, or on failure the fallbacks of `acquire`. */
const fromEarlyRequest = (): Promise<Acquired> | null => {
  const early = window.__bvEarlyMedia;
  if (!early) return null;
  window.__bvEarlyMedia = undefined;
  return early.then(
    (stream) => ({ stream, denied: false }),
    () => acquire(),
  );
};

/** Starts the request now; the next `takeLocalMedia` gets its result. */
export const prepareLocalMedia = (): void => {
  if (prepared) return;
  const request = fromEarlyRequest() ?? acquire();
  prepared = request;
  void request.then((value) => {
    if (prepared === request) answered = value;
  });
};

/**
 * The prepared request's answer if it is already in (else null), without taking it: a first
 * render can show the camera at once, and `takeLocalMedia` then hands over the same answer.
 */
export const preparedLocalMedia = (): Acquired | null => answered;

/** The prepared request (once), otherwise a new one. The caller owns the stream. */
export const takeLocalMedia = (): Promise<Acquired> => {
  const request = prepared ?? fromEarlyRequest() ?? acquire();
  prepared = null;
  answered = null;
  return request;
};

export const stopStream = (stream: MediaStream | null): void => {
  for (const track of stream?.getTracks() ?? []) track.stop();
};
