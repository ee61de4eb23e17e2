import type { PreviewLinks } from '../branding-api';
import { Button } from '@/components/button';
import { useI18n, useT } from '@/lib/i18n';
import { danishDateTime } from '@/lib/meeting-time';
import { AdminSection } from '@/features/admin/admin-page';

export interface BrandingPreviewProps {
  version: number;
  links: PreviewLinks;
  active: boolean;
  busy: boolean;
  onActivate: () => void;
}

/** One page in a frame, named below, with a link to open it in a window of its own. */
const PreviewFrame = ({ url, title, page, testId }: { url: string; title: string; page: string; testId: string }) => {
  const t = useT();
  return (
    <figure className="branding-admin__frame">
      <iframe src={url} title={title} data-testid={testId} loading="lazy" />
      <figcaption>
        {page} ·{' '}
        <a href={url} target="_blank" rel="noopener">
          {t('admin.branding.newWindow')}
        </a>
      </figcaption>
    </figure>
  );
};

/**
 * The citizen's start page and an error page as they will look with `version`, in frames of
 * the app itself. Opening a preview link gives this browser (only) a preview cookie for the
 * party's pages; the admin pages keep showing what is live.
 */
export const BrandingPreview = ({ version, links, active, busy, onActivate }: BrandingPreviewProps) => {
  const { t, language } = useI18n();
  const name = version === 0 ? t('admin.branding.theDefault') : t('admin.branding.versionLower', { version });
  const until = danishDateTime(links.expiresAt, language, { timeStyle: 'short' });
  return (
    <AdminSection
      id="branding-preview-heading"
      title={t('admin.branding.previewHeading', { name })}
      testId="branding-preview"
    >
      <p>{t('admin.branding.previewIntro', { name, until })}</p>
      <div className="branding-admin__frames">
        <PreviewFrame
          url={links.url}
          title={t('admin.branding.previewStart', { name })}
          page={t('admin.branding.startPage')}
          testId="branding-preview-frame"
        />
        <PreviewFrame
          url={links.errorUrl}
          title={t('admin.branding.previewError', { name })}
          page={t('admin.branding.errorPage')}
          testId="branding-preview-error-frame"
        />
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
    </AdminSection>
  );
};
