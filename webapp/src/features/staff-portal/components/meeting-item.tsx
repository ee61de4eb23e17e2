import { useState } from 'react';

import { Button } from '@/components/button';
import { type Translator, useI18n } from '@/lib/i18n';

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

const guestsText = ({ t, tn }: Translator, meeting: StaffMeeting, manageable: boolean): string => {
  if (meeting.guests.length > 0) return t('portal.meeting.guests', { names: meeting.guests.join(', ') });
  if (meeting.status !== 'scheduled') return t('portal.meeting.noNamesEnded');
  if (!manageable) return tn('portal.meeting.citizens', meeting.guest_count);
  return t('portal.meeting.noNames');
};

/** One meeting of the day: time, subject, citizens; open it as host or cancel it (asked twice). */
export const MeetingItem = ({ meeting, manageable, busy, onOpen, onCancel }: MeetingItemProps) => {
  const i18n = useI18n();
  const { t, language } = i18n;
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
            {t('portal.meeting.time', { start: clock(meeting.start, language), end: clock(meeting.end, language) })}
          </span>{' '}
          {meeting.subject}
        </h3>
        <p className="staff-meeting__guests">{guestsText(i18n, meeting, manageable)}</p>
        {!meeting.mine && (
          <p className="staff-meeting__owner" data-testid="staff-meeting-owner">
            {meeting.team ? t('portal.meeting.colleagueTeam', { team: meeting.team }) : t('portal.meeting.colleague')}
          </p>
        )}
        <p className="staff-meeting__status" data-testid="staff-meeting-status">
          {t(`portal.meeting.status.${meeting.status}`)}
        </p>
      </div>
      {live && !confirming && (
        <div className="staff-meeting__actions">
          <Button
            srText={`: ${meeting.subject}`}
            testId="staff-open-host"
            disabled={busy}
            onClick={() => onOpen(meeting)}
          >
            {t('portal.meeting.open')}
          </Button>
          <Button
            srText={`: ${meeting.subject}`}
            variant="secondary"
            testId="staff-cancel"
            disabled={busy}
            onClick={() => setConfirming(true)}
          >
            {t('portal.meeting.cancel')}
          </Button>
        </div>
      )}
      {live && confirming && (
        <div className="staff-meeting__actions" role="group" aria-label={t('portal.meeting.confirmLabel')}>
          <p>{t('portal.meeting.confirm')}</p>
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
            {t('portal.meeting.confirmYes')}
          </Button>
          <Button variant="secondary" testId="staff-cancel-keep" onClick={() => setConfirming(false)}>
            {t('portal.meeting.confirmNo')}
          </Button>
        </div>
      )}
    </li>
  );
};
