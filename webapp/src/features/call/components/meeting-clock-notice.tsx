import { useEffect, useState } from 'react';

import { useI18n } from '@/lib/i18n';
import { meetingClockTime } from '@/lib/meeting-time';

import { clockNotice, type MeetingClock } from '../meeting-clock';

const TICK_MS = 15_000;

/** The host's word on the meeting's time: it ran over until …, or it ends at … for good. */
export const MeetingClockNotice = ({ clock }: { clock: MeetingClock | null }) => {
  const { t, language } = useI18n();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), TICK_MS);
    return () => window.clearInterval(timer);
  }, []);
  const notice = clockNotice(clock, now);
  if (!notice) return null;
  const time = meetingClockTime(notice.until, language);
  return (
    <div className="call__banner call__banner--info" role="status" data-testid="meeting-clock" data-kind={notice.kind}>
      <span>
        <strong>{t(notice.kind === 'final' ? 'call.clock.final' : 'call.clock.extended', { time })}</strong>
        <span className="call__banner-detail">
          {t(notice.kind === 'final' ? 'call.clock.finalDetail' : 'call.clock.extendedDetail')}
        </span>
      </span>
    </div>
  );
};
