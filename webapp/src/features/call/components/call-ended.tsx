import { Button } from '@/components/button';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { useT } from '@/lib/i18n';

import type { EndReason } from '../call-state';

export interface CallEndedProps {
  reason: EndReason;
  canRejoin: boolean;
  onRejoin: () => void;
}

/** "Du har forladt mødet" is not "Mødet er slut": the heading says which it was. */
export const CallEnded = ({ reason, canRejoin, onRejoin }: CallEndedProps) => {
  const t = useT();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section
      className="panel panel--center"
      data-testid="call-ended"
      data-reason={reason}
      aria-labelledby="ended-heading"
    >
      <h1 id="ended-heading" tabIndex={-1} ref={headingRef}>
        {t(`ended.heading.${reason}`)}
      </h1>
      <p>{t(`ended.detail.${reason}`)}</p>
      {canRejoin ? (
        <Button size="large" testId="rejoin-button" onClick={onRejoin}>
          {t('ended.rejoin')}
        </Button>
      ) : (
        <p>{t('ended.closePage')}</p>
      )}
    </section>
  );
};
