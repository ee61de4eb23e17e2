import { Button } from '@/components/button';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { useT } from '@/lib/i18n';

import type { ErrorKind } from '../call-state';

export interface ConnectionErrorProps {
  kind: ErrorKind;
  onRetry: () => void;
}

export const ConnectionError = ({ kind, onRetry }: ConnectionErrorProps) => {
  const t = useT();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section className="panel panel--center" data-testid="connection-error" role="alert">
      <h1 tabIndex={-1} ref={headingRef}>
        {t('error.heading')}
      </h1>
      <p>{t(`error.${kind}`)}</p>
      <Button size="large" testId="retry-button" onClick={onRetry}>
        {t('common.retry')}
      </Button>
    </section>
  );
};
