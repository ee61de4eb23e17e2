import type { FormEvent, ReactNode } from 'react';

import { Button } from '@/components/button';
import { MediaVideo } from '@/components/media-video';
import type { MeetingInfo } from '@/config/app-config';
import { useT } from '@/lib/i18n';

import type { LocalMedia } from '../hooks/use-local-media';
import { DeviceSettings } from './device-settings';
import { MediaNotice } from './media-notice';
import { MeetingDetails } from './meeting-details';
import { MicLevel } from './mic-level';

export interface PreflightScreenProps {
  media: LocalMedia;
  meeting?: MeetingInfo | null;
  heading?: string;
  /** Extra fields above the join button (e.g. the display name). */
  children?: ReactNode;
  onJoin: () => void;
  /** The self-view shows its first frame. */
  onPreviewShown?: () => void;
}

/** Self-view, what the meeting is, and one big "Deltag" that is always in view. */
export const PreflightScreen = ({
  media,
  meeting,
  heading,
  children,
  onJoin,
  onPreviewShown,
}: PreflightScreenProps) => {
  const t = useT();
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onJoin();
  };
  const hasVideo = Boolean(media.stream?.getVideoTracks().length);
  return (
    <section className="preflight" aria-label={t('preflight.region')}>
      <div className="preflight__details">
        {meeting ? (
          <MeetingDetails meeting={meeting} />
        ) : (
          <h1 className="meeting__subject">{heading ?? t('preflight.defaultHeading')}</h1>
        )}
      </div>
      <div className={hasVideo ? 'preflight__video' : 'preflight__video preflight__video--empty'}>
        <MediaVideo
          stream={media.stream}
          testId="self-view"
          self
          label={t('media.selfView')}
          onFirstFrame={onPreviewShown}
        />
        {media.status === 'pending' && <p className="preflight__waiting">{t('preflight.startingCamera')}</p>}
        {media.status !== 'pending' && !hasVideo && <p className="preflight__waiting">{t('preflight.noCamera')}</p>}
      </div>
      <div className="preflight__side">
        <MediaNotice media={media} />
        <form className="preflight__form" onSubmit={handleSubmit} noValidate>
          {children}
          <Button type="submit" size="large" testId="join-button" disabled={media.status === 'pending'}>
            {t('preflight.join')}
          </Button>
        </form>
        <MicLevel stream={media.stream} />
        <DeviceSettings media={media} />
      </div>
    </section>
  );
};
