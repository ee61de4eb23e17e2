import { Button } from '@/components/button';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';

import type { EndReason } from '../call-state';

const DETAILS: Record<EndReason, string> = {
  left: 'Du har forladt mødet.',
  'host-ended': 'Mødet er afsluttet.',
  'host-left': 'Mødets vært har forladt mødet, så mødet er slut.',
  'no-host': 'Mødets vært kom ikke ind i mødet. Du kan prøve igen.',
  removed: 'Du er ikke længere med i mødet.',
  alone: 'Der var ingen andre i mødet.',
};

export interface CallEndedProps {
  reason: EndReason;
  canRejoin: boolean;
  onRejoin: () => void;
}

export const CallEnded = ({ reason, canRejoin, onRejoin }: CallEndedProps) => {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
  <section className="panel panel--center" data-testid="call-ended" aria-labelledby="ended-heading">
    <h1 id="ended-heading" tabIndex={-1} ref={headingRef}>
      Mødet er slut
    </h1>
    <p>{DETAILS[reason]}</p>
    {canRejoin ? (
      <Button size="large" testId="rejoin-button" onClick={onRejoin}>
        Deltag igen
      </Button>
    ) : (
      <p>Du kan lukke denne side.</p>
    )}
  </section>
  );
};
