import { useT } from '@/lib/i18n';

/** Shown while a screen's code loads. */
export const RouteFallback = () => {
  const t = useT();
  return (
    <div className="page page--loading" role="status" aria-live="polite">
      <div className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{t('common.loading')}</span>
    </div>
  );
};
