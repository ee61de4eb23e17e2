import { Button } from '@/components/button';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';

import type { ErrorKind } from '../call-state';

const MESSAGES: Record<ErrorKind, string> = {
  'not-found': 'Vi kunne ikke finde mødet. Tjek adressen i din invitation.',
  busy: 'Der er travlt lige nu, så vi kunne ikke forbinde dig. Prøv igen om lidt.',
  network: 'Forbindelsen til mødet blev afbrudt. Tjek din internetforbindelse og prøv igen.',
  media: 'Vi kunne ikke få lyd og billede igennem. Prøv igen, evt. på et andet netværk.',
  'pin-retries': 'PIN-koden blev tastet forkert for mange gange.',
  unknown: 'Noget gik galt, så du kom ikke med i mødet.',
};

export interface ConnectionErrorProps {
  kind: ErrorKind;
  onRetry: () => void;
}

export const ConnectionError = ({ kind, onRetry }: ConnectionErrorProps) => {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
  <section className="panel panel--center" data-testid="connection-error" role="alert">
    <h1 tabIndex={-1} ref={headingRef}>
      Vi kunne ikke forbinde dig
    </h1>
    <p>{MESSAGES[kind]}</p>
    <Button size="large" testId="retry-button" onClick={onRetry}>
      Prøv igen
    </Button>
  </section>
  );
};
