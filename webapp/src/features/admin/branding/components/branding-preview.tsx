import type { PreviewLinks } from '../branding-api';
import { Button } from '@/components/button';
import { useI18n } from '@/lib/i18n';

export interface BrandingPreviewProps {
  version: number;
  links: PreviewLinks;
  active: boolean;
  busy: boolean;
  onActivate: () => void;
}

/**
 * The citizen's start page and an error page as they will look with `version`, in frames of
 * the app itself. Opening a preview link gives this browser (only) a preview cookie for the
 * party's pages; the admin pages keep showing what is live.
 */
export const BrandingPreview = ({ version, links, active, busy, onActivate }: BrandingPreviewProps) => {
  const { t, language } = useI18n();
  const name = version === 0 ? t('admin.branding.theDefault') : t('admin.branding.versionLower', { version });
  const until = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', {
    timeStyle: 'short',
    timeZone: 'Europe/Copenhagen',
  }).format(new Date(links.expiresAt));
  return (
    <section className="panel stack" aria-labelledby="branding-preview-heading" data-testid="branding-preview">
      <h2 id="branding-preview-heading">{t('admin.branding.previewHeading', { name })}</h2>
      <p>{t('admin.branding.previewIntro', { name, until })}</p>
      <div className="branding-admin__frames">
        <figure className="branding-admin__frame">
          <iframe
            src={links.url}
            title={t('admin.branding.previewStart', { name })}
            data-testid="branding-preview-frame"
            loading="lazy"
          />
          <figcaption>
            {t('admin.branding.startPage')} ·{' '}
            <a href={links.url} target="_blank" rel="noopener">
              {t('admin.branding.newWindow')}
            </a>
          </figcaption>
        </figure>
        <figure className="branding-admin__frame">
          <iframe
            src={links.errorUrl}
            title={t('admin.branding.previewError', { name })}
            data-testid="branding-preview-error-frame"
            loading="lazy"
          />
          <figcaption>
            {t('admin.branding.errorPage')} ·{' '}
            <a href={links.errorUrl} target="_blank" rel="noopener">
              {t('admin.branding.newWindow')}
            </a>
          </figcaption>
        </figure>
      </div>
      {active ? (
        <p>{t('admin.branding.alreadyActive')}</p>
      ) : (
        <div>
          <Button testId="branding-activate-preview" disabled={busy} onClick={onActivate}>
            {t('admin.branding.makeNameActive', { name })}
          </Button>
        </div>
      )}
    </section>
  );
};
