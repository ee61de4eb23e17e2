import { useState } from 'react';

import { MeetingSession, type MeetingTarget } from './meeting-session';

export interface MeetingRouteProps extends MeetingTarget {
  /** Join as soon as the camera is ready, without the preflight's "Deltag" (a called device). */
  autoJoin?: boolean;
}

/**
 * Each attempt is a fresh session (client, media, state). "Deltag igen" and
 * "Prøv igen" start the next one and join straight away, without the preflight.
 */
export const MeetingRoute = ({ autoJoin = false, ...target }: MeetingRouteProps) => {
  const [attempt, setAttempt] = useState(0);
  const [typedName, setTypedName] = useState('');
  return (
    <MeetingSession
      key={attempt}
      {...target}
      rememberedName={typedName}
      onNameChosen={setTypedName}
      autoJoin={autoJoin || attempt > 0}
      onRetry={() => setAttempt((n) => n + 1)}
    />
  );
};
