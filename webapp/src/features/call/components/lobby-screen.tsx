import { Button } from '@/components/button';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { useWakeLock } from '@/hooks/use-wake-lock';

import type { WaitReason } from '../room-state';

const DETAILS: Record<WaitReason, string> = {
  host: 'Du kommer ind, så snart mødets vært er klar.',
  admission: 'Mødets vært lukker dig ind om lidt.',
};

export interface LobbyScreenProps {
  reason: WaitReason;
  onLeave: () => void;
}

/** A guest connected to the node but held: no host yet, or a locked meeting. */
export const LobbyScreen = ({ reason, onLeave }: LobbyScreenProps) => {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  useWakeLock();
  return (
    <section className="panel panel--center" data-testid="lobby" data-reason={reason} aria-labelledby="lobby-heading">
      <div className="spinner" aria-hidden="true" />
      <h1 id="lobby-heading" tabIndex={-1} ref={headingRef}>
        Venter på, at mødet bliver startet
      </h1>
      <p role="status">{DETAILS[reason]}</p>
      <Button variant="secondary" testId="leave-button" onClick={onLeave}>
        Forlad mødet
      </Button>
    </section>
  );
};
