import type { MeetingInfo } from '@/config/app-config';
import { useMeetingTime } from '@/hooks/use-meeting-time';
import { useI18n } from '@/lib/i18n';

export const MeetingDetails = ({ meeting }: { meeting: MeetingInfo }) => {
  const { language, t } = useI18n();
  const time = useMeetingTime(meeting, language);
  return (
    <div className="meeting">
      <h1 className="meeting__subject">{meeting.subject || t('meeting.defaultSubject')}</h1>
      {/* The line keeps its place while the time is formatted after the first paint. */}
      {meeting.start && (
        <p className="meeting__time">{time ? t('meeting.when', { day: time.day, span: time.span }) : '\u00a0'}</p>
      )}
      {meeting.host && <p className="meeting__host">{t('meeting.withHost', { host: meeting.host })}</p>}
    </div>
  );
};
