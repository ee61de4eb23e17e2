import { prepareLocalMedia } from '@/features/preflight/local-media';
import { readConfig } from '@/lib/config';
import { matchRoute } from '@/lib/location';

/**
 * With a grant the first screen is the meeting: ask for the camera now, while
 * React is still being evaluated, instead of once the preflight has rendered.
 * The call code (Infinity) is fetched once the self-view shows (useCallCode):
 * fetched any earlier it competes with the first render and the first frame.
 */
export const startEarly = (): void => {
  const config = readConfig();
  // Only the meeting itself: an admin page in a tab that holds a grant asks for no camera.
  if (config.grant && matchRoute(window.location.pathname, config.basePath).name === 'home') prepareLocalMedia();
};
