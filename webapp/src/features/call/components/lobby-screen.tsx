import { Button } from '@/components/button';
import type { MeetingInfo } from '@/config/app-config';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { useWakeLock } from '@/hooks/use-wake-lock';
import { useI18n } from '@/lib/i18n';
import { meetingTime } from '@/lib/meeting-time';

import type { WaitReason } from '../room-state';

export interface LobbyScreenProps {
  reason: WaitReason;
  meeting?: MeetingInfo | null;
  onLeave: () => void;
}

/** A guest connected to the node but held: no host yet, or a locked meeting. Says for whom she waits. */
export const LobbyScreen = ({ reason, meeting, onLeave }: LobbyScreenProps) => {
  const { language, t } = useI18n();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  useWakeLock();
  const host = meeting?.host ?? null;
  const time = meeting ? meetingTime(meeting, language) : null;
  return (
    <section className="panel panel--center" data-testid="lobby" data-reason={reason} aria-labelledby="lobby-heading">
      <div className="spinner" aria-hidden="true" />
      <h1 id="lobby-heading" tabIndex={-1} ref={headingRef}>
        {host ? t('lobby.waitingFor', { host }) : t('lobby.waitingForHost')}
      </h1>
      {meeting && (
        <div className="lobby__meeting" data-testid="lobby-meeting">
          <p className="lobby__subject">{meeting.subject || t('meeting.defaultSubject')}</p>
          {time && <p className="meeting__time">{t('meeting.when', { day: time.day, span: time.span })}</p>}
        </div>
      )}
      <p role="status">{host ? t(`lobby.${reason}`, { host }) : t(`lobby.${reason}Unnamed`)}</p>
      <Button variant="secondary" testId="leave-button" onClick={onLeave}>
        {t('call.controls.leave')}
      </Button>
    </section>
  );
};
