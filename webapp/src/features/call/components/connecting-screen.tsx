import { Button } from '@/components/button';
import { useT } from '@/lib/i18n';

export const ConnectingScreen = ({ onCancel }: { onCancel: () => void }) => {
  const t = useT();
  return (
    <section className="panel panel--center" aria-busy="true" data-testid="connecting">
      <div className="spinner" aria-hidden="true" />
      <h1 role="status">{t('connecting.heading')}</h1>
      <Button variant="secondary" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
    </section>
  );
};
