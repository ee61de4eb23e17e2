import { Button } from '@/components/button';
import { useT } from '@/lib/i18n';

import type { LocalMedia } from '../hooks/use-local-media';

const HELP = ['iphone', 'android', 'computer', 'firefox'] as const;

const problem = (media: LocalMedia): string | null => {
  const hasVideo = Boolean(media.stream?.getVideoTracks().length);
  const hasAudio = Boolean(media.stream?.getAudioTracks().length);
  if (media.status === 'none') return 'both';
  if (media.status === 'partial' && !hasVideo) return 'camera';
  if (media.status === 'partial' && !hasAudio) return 'microphone';
  return null;
};

/**
 * Camera or microphone missing: one short line, "Prøv igen" (asks the browser again), and
 * the how-to per browser and phone folded away below, so "Deltag" stays in view.
 */
export const MediaNotice = ({ media }: { media: LocalMedia }) => {
  const t = useT();
  const missing = problem(media);
  if (!missing) return null;
  const why = media.denied ? 'denied' : 'missing';
  return (
    <div className="notice" role="status" data-testid="media-notice" data-reason={why}>
      <p className="notice__text">
        {t(`preflight.notice.${why}.${missing}`)} {t(`preflight.notice.consequence.${missing}`)}
      </p>
      <Button variant="secondary" testId="media-retry" disabled={media.asking} onClick={media.retry}>
        {media.asking ? t('preflight.notice.asking') : t('preflight.notice.retry')}
      </Button>
      <details className="notice__help" data-testid="media-help">
        <summary>{t('preflight.help.summary')}</summary>
        <dl>
          {HELP.map((where) => (
            <div key={where}>
              <dt>{t(`preflight.help.${where}.title`)}</dt>
              <dd>{t(`preflight.help.${where}.steps`)}</dd>
            </div>
          ))}
        </dl>
        <p>{t('preflight.help.then')}</p>
      </details>
    </div>
  );
};
