import type { FormEvent, ReactNode } from 'react';

import { Button } from '@/components/button';
import { MediaVideo } from '@/components/media-video';
import type { MeetingInfo } from '@/config/app-config';

import type { LocalMedia } from '../hooks/use-local-media';
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
}

/** Self-view, what the meeting is, and one big "Deltag". */
export const PreflightScreen = ({ media, meeting, heading, children, onJoin }: PreflightScreenProps) => {
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onJoin();
  };
  const hasVideo = Boolean(media.stream?.getVideoTracks().length);
  return (
    <section className="preflight" aria-label="Klar til mødet">
      {meeting ? (
        <MeetingDetails meeting={meeting} />
      ) : (
        <h1 className="meeting__subject">{heading ?? 'Deltag i mødet'}</h1>
      )}
      <div className={hasVideo ? 'preflight__video' : 'preflight__video preflight__video--empty'}>
        <MediaVideo stream={media.stream} testId="self-view" self label="Dit eget kamera" />
        {media.status === 'pending' && <p className="preflight__waiting">Starter kameraet…</p>}
        {media.status !== 'pending' && !hasVideo && <p className="preflight__waiting">Intet kamera</p>}
      </div>
      <MicLevel stream={media.stream} />
      <MediaNotice media={media} />
      <form className="preflight__form" onSubmit={handleSubmit} noValidate>
        {children}
        <Button type="submit" size="large" testId="join-button" disabled={media.status === 'pending'}>
          Deltag
        </Button>
      </form>
    </section>
  );
};
