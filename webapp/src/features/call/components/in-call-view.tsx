import type { ReactNode } from 'react';

import { MediaVideo } from '@/components/media-video';
import type { Role } from '@/config/app-config';
import { useWakeLock } from '@/hooks/use-wake-lock';
import type { InfinitySession } from '@/lib/infinity';

import { useMediaToggles } from '../hooks/use-media-toggles';
import { CallControls } from './call-controls';

export interface InCallViewProps {
  role: Role;
  session: InfinitySession;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  othersPresent: boolean;
  /** Staff-only panel (participants, chat); absent for citizens. */
  aside?: ReactNode;
  onLeave: () => void;
}

export const InCallView = ({ role, session, localStream, remoteStream, othersPresent, aside, onLeave }: InCallViewProps) => {
  const toggles = useMediaToggles(localStream, session);
  useWakeLock();
  const showSelf = Boolean(localStream?.getVideoTracks().length) && !toggles.cameraMuted;
  return (
    <div className={`call call--${role}`} data-testid="in-call" data-role={role}>
      <section className="call__stage" aria-label="Video">
        <MediaVideo stream={remoteStream} testId="remote-video" label="De andre i mødet" className="call__remote" />
        <p className="call__waiting" role="status">
          {!othersPresent ? 'Venter på, at de andre kommer ind i mødet…' : !remoteStream ? 'Forbinder video…' : ''}
        </p>
        <div className={showSelf ? 'call__self' : 'call__self call__self--hidden'}>
          <MediaVideo stream={localStream} testId="self-view" self label="Dit eget kamera" />
        </div>
        <CallControls toggles={toggles} onLeave={onLeave} />
      </section>
      {aside}
    </div>
  );
};
