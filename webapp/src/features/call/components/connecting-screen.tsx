import { Button } from '@/components/button';
import { useT } from '@/lib/i18n';

export const ConnectingScreen = ({ onCancel, preparing = false }: { onCancel: () => void; preparing?: boolean }) => {
  const t = useT();
  return (
    <section className="panel panel--center" aria-busy="true" data-testid={preparing ? 'preparing' : 'connecting'}>
      <div className="spinner" aria-hidden="true" />
      {/* A live region around the heading (a role on the h1 would hide that it is one). */}
      <div role="status">
        <h1>{t(preparing ? 'connecting.preparing' : 'connecting.heading')}</h1>
        {preparing && <p>{t('connecting.preparingHint')}</p>}
      </div>
      <Button variant="secondary" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
    </section>
  );
};
