import { prepareLocalMedia } from '@/features/preflight/local-media';
import { readConfig } from '@/lib/config';

/**
 * With a grant the first screen is the meeting: ask for the camera now, while
 * React is still being evaluated, instead of once the preflight has rendered.
 * The call code (Infinity) is fetched when the preflight is on screen
 * (useCallCode): fetched any earlier it competes with the first render.
 */
export const startEarly = (): void => {
  if (readConfig().grant) prepareLocalMedia();
};
