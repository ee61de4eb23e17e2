import type { Participant } from '@pexip/infinity';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { useT } from '@/lib/i18n';
import type { InfinitySession } from '@/lib/infinity';

import { useConferenceLock } from '../hooks/use-conference-lock';
import { useParticipants } from '../hooks/use-participants';
import { DeviceCallPanel } from './device-call';
import { type GuestControls, ParticipantList } from './participant-list';

export interface StaffPanelProps {
  session: InfinitySession;
  /** Participants whose connection seems gone (shown as reconnecting). */
  silent: ReadonlySet<string>;
  /** The meeting's chat (the call keeps it, so nothing is missed before this panel loads). */
  chat: ReactNode;
  /** Ends the meeting for everyone (after the host confirmed). */
  onEndForAll: () => void;
}

type Pane = 'participants' | 'devices' | 'chat';
const PANES: { id: Pane; label: string }[] = [
  { id: 'participants', label: 'staff.paneParticipants' },
  { id: 'devices', label: 'staff.paneDevices' },
  { id: 'chat', label: 'staff.paneChat' },
];

/** Host-only tools. Loaded lazily so citizens never download it. */
const StaffPanel = ({ session, silent, chat, onEndForAll }: StaffPanelProps) => {
  const t = useT();
  const participants = useParticipants(session);
  const lock = useConferenceLock(session);
  const [ending, setEnding] = useState(false);
  const [calledDevice, setCalledDevice] = useState<string | null>(null);
  // On a phone one pane at a time, chosen by the buttons above them (all of them on a wide screen).
  const [pane, setPane] = useState<Pane>('participants');
  const { client } = session;
  // Pexip's Client REST API: participants/{uuid}/unlock, mute|unmute, video_muted, disconnect.
  const controls: GuestControls = {
    admit: (p: Participant) => void client.admit({ participantUuid: p.uuid }).catch(() => undefined),
    setMuted: (p: Participant, mute: boolean) =>
      void client.mute({ mute, participantUuid: p.uuid }).catch(() => undefined),
    stopCamera: (p: Participant) =>
      void client.muteVideo({ muteVideo: true, participantUuid: p.uuid }).catch(() => undefined),
    remove: (p: Participant) => void client.kick({ participantUuid: p.uuid }).catch(() => undefined),
  };
  const deviceAnswered = useCallback((label: string) => setCalledDevice(label), []);
  // The device she rang comes in even when the meeting is locked: she let it in by calling it.
  const waitingDevice = participants.find(
    (p) => p.isWaiting && calledDevice !== null && p.displayName === calledDevice,
  );
  const admitted = useRef<string | null>(null);
  useEffect(() => {
    if (!waitingDevice || admitted.current === waitingDevice.uuid) return;
    admitted.current = waitingDevice.uuid; // once: the participant list changes again before the node answers
    void client
      .admit({ participantUuid: waitingDevice.uuid })
      .catch(() => undefined)
      .finally(() => setCalledDevice(null));
  }, [waitingDevice, client]);
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
        <Button variant="danger" className="staff__end" testId="end-for-all" onClick={() => setEnding(true)}>
          {t('staff.endForAll')}
        </Button>
      </div>
      {ending && (
        <ConfirmDialog
          testId="confirm-end"
          title={t('staff.endTitle')}
          detail={t('staff.endDetail')}
          confirmLabel={t('staff.endConfirm')}
          cancelLabel={t('common.cancel')}
          onCancel={() => setEnding(false)}
          onConfirm={() => {
            setEnding(false);
            onEndForAll();
          }}
        />
      )}
      <div className="staff__panes" role="group" aria-label={t('staff.panes')}>
        {PANES.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            className="btn btn--secondary staff__pane-button"
            data-testid={`staff-show-${id}`}
            aria-pressed={pane === id}
            onClick={() => setPane(id)}
          >
            {t(label)}
          </button>
        ))}
      </div>
      <div className="staff__pane" data-active={pane === 'participants'}>
        <ParticipantList participants={participants} silent={silent} controls={controls} />
      </div>
      <div className="staff__pane" data-active={pane === 'devices'}>
        <DeviceCallPanel onAnswered={deviceAnswered} />
      </div>
      <div className="staff__pane" data-active={pane === 'chat'}>
        {chat}
      </div>
    </aside>
  );
};

export default StaffPanel;
