import { useState } from 'react';

import type { MeetingInfo, Role } from '@/config/app-config';

import type { CallEnding } from './call-session';
import { MeetingSession } from './meeting-session';

export interface MeetingRouteProps extends CallEnding {
  conferenceAlias: string;
  /** From the grant; when absent the person types their name. */
  fixedDisplayName?: string;
  meeting?: MeetingInfo;
  expectedRole?: Role;
  /** Preflight heading when there is no meeting info (join by address). */
  heading?: string;
  /** Join as soon as the camera is ready, without the preflight's "Deltag" (a called device). */
  autoJoin?: boolean;
}

/**
 * Each attempt is a fresh session (client, media, state). "Deltag igen" and
 * "Prøv igen" start the next one and join straight away, without the preflight.
 */
export const MeetingRoute = ({
  conferenceAlias,
  fixedDisplayName,
  meeting,
  expectedRole,
  heading,
  autoJoin = false,
  onEnded,
  endsWithCaller,
}: MeetingRouteProps) => {
  const [attempt, setAttempt] = useState(0);
  const [typedName, setTypedName] = useState('');
  return (
    <MeetingSession
      key={attempt}
      conferenceAlias={conferenceAlias}
      fixedDisplayName={fixedDisplayName}
      rememberedName={typedName}
      onNameChosen={setTypedName}
      meeting={meeting}
      heading={heading}
      expectedRole={expectedRole}
      autoJoin={autoJoin || attempt > 0}
      onRetry={() => setAttempt((n) => n + 1)}
      onEnded={onEnded}
      endsWithCaller={endsWithCaller}
    />
  );
};
