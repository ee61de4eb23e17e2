import type { Participant } from '@pexip/infinity';
import type { ReactNode } from 'react';

import { useT } from '@/lib/i18n';
import type { InfinitySession } from '@/lib/infinity';

import { useConferenceLock } from '../hooks/use-conference-lock';
import { useParticipants } from '../hooks/use-participants';
import { DeviceCallPanel } from './device-call';
import { ParticipantList } from './participant-list';

export interface StaffPanelProps {
  session: InfinitySession;
  /** Participants whose connection seems gone (shown as reconnecting). */
  silent: ReadonlySet<string>;
  /** The meeting's chat (the call keeps it, so nothing is missed before this panel loads). */
  chat: ReactNode;
}

/** Host-only tools. Loaded lazily so citizens never download it. */
const StaffPanel = ({ session, silent, chat }: StaffPanelProps) => {
  const t = useT();
  const participants = useParticipants(session);
  const lock = useConferenceLock(session);
  const admit = (participant: Participant) => {
    void session.client.admit({ participantUuid: participant.uuid }).catch(() => undefined);
  };
  return (
    <aside className="staff" aria-label={t('staff.label')}>
      <div className="staff__section staff__lock">
        <button
          type="button"
          className="btn btn--toggle btn--secondary"
          data-testid="toggle-lock"
          aria-pressed={lock.locked}
          onClick={lock.toggle}
        >
          {t(lock.locked ? 'staff.locked' : 'staff.lock')}
        </button>
        <p className="field__hint">{t(lock.locked ? 'staff.lockedHint' : 'staff.unlockedHint')}</p>
      </div>
      <ParticipantList participants={participants} silent={silent} onAdmit={admit} />
      <DeviceCallPanel />
      {chat}
    </aside>
  );
};

export default StaffPanel;
