import type { MeetingInfo } from '@/config/app-config';
import { useI18n } from '@/lib/i18n';
import { meetingTime } from '@/lib/meeting-time';

export const MeetingDetails = ({ meeting }: { meeting: MeetingInfo }) => {
  const { language, t } = useI18n();
  const time = meetingTime(meeting, language);
  return (
    <div className="meeting">
      <h1 className="meeting__subject">{meeting.subject || t('meeting.defaultSubject')}</h1>
      {time && <p className="meeting__time">{t('meeting.when', { day: time.day, span: time.span })}</p>}
      {meeting.host && <p className="meeting__host">{t('meeting.withHost', { host: meeting.host })}</p>}
    </div>
  );
};
