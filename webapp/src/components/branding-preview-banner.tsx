import './branding.css';

import { useAppConfig } from '@/lib/app-config-context';
import { jumbotronUrl } from '@/lib/branding';
import { useT } from '@/lib/i18n';

/** Says that this browser previews a branding version nobody else sees yet, and ends it. */
export const BrandingPreviewBanner = () => {
  const { brandingPreview } = useAppConfig();
  const t = useT();
  if (!brandingPreview) return null;
  return (
    <div className="branding-preview-banner" role="note" data-testid="branding-preview-banner">
      <span>{t('shell.brandingPreview')}</span>{' '}
      <a href={brandingPreview.endUrl} target="_top">
        {t('shell.brandingPreviewEnd')}
      </a>
    </div>
  );
};

/** The party's banner image (`images.jumbotron`), decorative; not shown during a call. */
export const Jumbotron = () => {
  const src = jumbotronUrl(useAppConfig());
  return src ? (
    <div className="page__jumbotron" data-testid="branding-jumbotron">
      <img src={src} alt="" />
    </div>
  ) : null;
};
