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

/** Asks for camera and microphone, falling back to what is allowed. */
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

let prepared: Promise<Acquired> | null = null;

/** Starts the request now; the next `takeLocalMedia` gets its result. */
export const prepareLocalMedia = (): void => {
  prepared ??= acquire();
};

/** The prepared request (once), otherwise a new one. The caller owns the stream. */
export const takeLocalMedia = (): Promise<Acquired> => {
  const request = prepared ?? acquire();
  prepared = null;
  return request;
};

export const stopStream = (stream: MediaStream | null): void => {
  for (const track of stream?.getTracks() ?? []) track.stop();
};
