import { useState } from 'react';

import { Button } from '@/components/button';

import type { StaffMeeting } from '../api';
import { clock } from '../time';

export interface MeetingItemProps {
  meeting: StaffMeeting;
  /** Hers, or she is a scheduler: she may open and cancel it (and sees the names). */
  manageable: boolean;
  busy: boolean;
  onOpen: (meeting: StaffMeeting) => void;
  onCancel: (meeting: StaffMeeting) => void;
}

const STATUS: Record<StaffMeeting['status'], string> = {
  scheduled: 'Planlagt',
  cancelled: 'Aflyst',
  ended: 'Slut',
};

const guestsText = (meeting: StaffMeeting, manageable: boolean): string => {
  if (meeting.guests.length > 0) return `Borger: ${meeting.guests.join(', ')}`;
  if (meeting.status !== 'scheduled') return 'Ingen navne (aflyst eller slut)';
  if (!manageable) return meeting.guest_count === 1 ? '1 borger' : `${meeting.guest_count} borgere`;
  return 'Ingen navne';
};

/** One meeting of the day: time, subject, citizens; open it as host or cancel it (asked twice). */
export const MeetingItem = ({ meeting, manageable, busy, onOpen, onCancel }: MeetingItemProps) => {
  const [confirming, setConfirming] = useState(false);
  const headingId = `meeting-${meeting.id}`;
  const live = meeting.status === 'scheduled' && manageable;
  return (
    <li
      className="staff-meeting"
      data-testid="staff-meeting"
      data-meeting-id={meeting.id}
      data-status={meeting.status}
      aria-labelledby={headingId}
    >
      <div className="staff-meeting__what">
        <h3 id={headingId} className="staff-meeting__subject">
          <span className="staff-meeting__time">
            kl. {clock(meeting.start)}–{clock(meeting.end)}
          </span>{' '}
          {meeting.subject}
        </h3>
        <p className="staff-meeting__guests">
          {guestsText(meeting, manageable)}
        </p>
        {!meeting.mine && (
          <p className="staff-meeting__owner" data-testid="staff-meeting-owner">
            {meeting.team ? `En kollegas møde (team ${meeting.team})` : 'En kollegas møde'}
          </p>
        )}
        <p className="staff-meeting__status" data-testid="staff-meeting-status">
          {STATUS[meeting.status]}
        </p>
      </div>
      {live && !confirming && (
        <div className="staff-meeting__actions">
          <Button testId="staff-open-host" disabled={busy} onClick={() => onOpen(meeting)}>
            Åbn som vært<span className="visually-hidden">: {meeting.subject}</span>
          </Button>
          <Button variant="secondary" testId="staff-cancel" disabled={busy} onClick={() => setConfirming(true)}>
            Aflys<span className="visually-hidden">: {meeting.subject}</span>
          </Button>
        </div>
      )}
      {live && confirming && (
        <div className="staff-meeting__actions" role="group" aria-label="Bekræft aflysning">
          <p>Aflys mødet? Borgerens link holder op med at virke.</p>
          <Button
            variant="danger"
            testId="staff-cancel-confirm"
            disabled={busy}
            autoFocus
            onClick={() => {
              setConfirming(false);
              onCancel(meeting);
            }}
          >
            Ja, aflys mødet
          </Button>
          <Button variant="secondary" testId="staff-cancel-keep" onClick={() => setConfirming(false)}>
            Nej, behold det
          </Button>
        </div>
      )}
    </li>
  );
};
