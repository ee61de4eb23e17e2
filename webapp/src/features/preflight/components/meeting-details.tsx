import type { MeetingInfo } from '@/config/app-config';

// Appointments are Danish local time, as in the SMS, wherever the phone is.
const TIME_ZONE = 'Europe/Copenhagen';
const dayFormat = new Intl.DateTimeFormat('da-DK', { weekday: 'long', day: 'numeric', month: 'long', timeZone: TIME_ZONE });
const timeFormat = new Intl.DateTimeFormat('da-DK', { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE });

const parse = (iso: string): Date | null => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** "tirsdag 25. november, kl. 10.00–10.30" (no time when the grant has none). */
const when = (meeting: MeetingInfo): string | null => {
  const start = parse(meeting.start);
  if (!start) return null;
  const end = parse(meeting.end);
  const span = end ? `${timeFormat.format(start)}–${timeFormat.format(end)}` : timeFormat.format(start);
  return `${dayFormat.format(start)}, kl. ${span}`;
};

export const MeetingDetails = ({ meeting }: { meeting: MeetingInfo }) => {
  const time = when(meeting);
  return (
    <div className="meeting">
      <h1 className="meeting__subject">{meeting.subject || 'Videomøde'}</h1>
      {time && <p className="meeting__time">{time}</p>}
    </div>
  );
};
