import type { PreviewLinks } from '../branding-api';
import { Button } from '@/components/button';

export interface BrandingPreviewProps {
  version: number;
  links: PreviewLinks;
  active: boolean;
  busy: boolean;
  onActivate: () => void;
}

const TIME = new Intl.DateTimeFormat('da-DK', { timeStyle: 'short', timeZone: 'Europe/Copenhagen' });

/** One page as the citizen will see it, and a link to open it in a window of its own. */
const PreviewFrame = ({ url, title, caption, testId }: { url: string; title: string; caption: string; testId: string }) => (
  <figure className="branding-admin__frame">
    <iframe src={url} title={title} data-testid={testId} loading="lazy" />
    <figcaption>
      {caption} ·{' '}
      <a href={url} target="_blank" rel="noopener">
        åbn i et nyt vindue
      </a>
    </figcaption>
  </figure>
);

/**
 * The citizen's start page and an error page as they will look with `version`, in frames of
 * the app itself. Opening a preview link gives this browser (only) a preview cookie for the
 * party's pages; the admin pages keep showing what is live.
 */
export const BrandingPreview = ({ version, links, active, busy, onActivate }: BrandingPreviewProps) => {
  const name = version === 0 ? 'standardbrandingen' : `version ${version}`;
  return (
    <section className="panel stack" aria-labelledby="branding-preview-heading" data-testid="branding-preview">
      <h2 id="branding-preview-heading">Forhåndsvisning af {name}</h2>
      <p>
        Sådan ser borgeren {name}. Kun denne browser ser forhåndsvisningen (til kl. {TIME.format(new Date(links.expiresAt))}
        ), og kun indtil du gør den aktiv.
      </p>
      <div className="branding-admin__frames">
        <PreviewFrame
          url={links.url}
          title={`Forhåndsvisning af borgerens startside med ${name}`}
          caption="Borgerens startside"
          testId="branding-preview-frame"
        />
        <PreviewFrame
          url={links.errorUrl}
          title={`Forhåndsvisning af en fejlside med ${name}`}
          caption="En fejlside"
          testId="branding-preview-error-frame"
        />
      </div>
      {active ? (
        <p>Denne version er allerede aktiv.</p>
      ) : (
        <div>
          <Button testId="branding-activate-preview" disabled={busy} onClick={onActivate}>
            Gør {name} aktiv
          </Button>
        </div>
      )}
    </section>
  );
};
