import type { Participant } from '@pexip/infinity';
import { useRef, useState } from 'react';

import { Button } from '@/components/button';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { useT } from '@/lib/i18n';
import { usePluginSlots } from '@/lib/plugin-slots';

/** What the host may do to a guest: the Client API's participant operations. */
export interface GuestControls {
  admit: (participant: Participant) => void;
  setMuted: (participant: Participant, muted: boolean) => void;
  stopCamera: (participant: Participant) => void;
  remove: (participant: Participant) => void;
}

export interface ParticipantListProps {
  participants: Participant[];
  silent: ReadonlySet<string>;
  controls: GuestControls;
}

const GuestActions = ({
  participant,
  name,
  controls,
  onRemove,
}: {
  participant: Participant;
  name: string;
  controls: GuestControls;
  onRemove: () => void;
}) => {
  const t = useT();
  const muted = participant.isMuted;
  return (
    <span className="participants__controls" role="group" aria-label={t('staff.guest.actions', { name })}>
      <Button
        variant="secondary"
        testId="participant-mute"
        aria-label={t(muted ? 'staff.guest.unmuteName' : 'staff.guest.muteName', { name })}
        onClick={() => controls.setMuted(participant, !muted)}
      >
        {t(muted ? 'staff.guest.unmute' : 'staff.guest.mute')}
      </Button>
      {!participant.isCameraMuted && (
        <Button
          variant="secondary"
          testId="participant-stop-camera"
          aria-label={t('staff.guest.stopCameraName', { name })}
          onClick={() => controls.stopCamera(participant)}
        >
          {t('staff.guest.stopCamera')}
        </Button>
      )}
      <Button
        variant="danger"
        testId="participant-remove"
        aria-label={t('staff.guest.removeName', { name })}
        onClick={onRemove}
      >
        {t('staff.guest.remove')}
      </Button>
    </span>
  );
};

interface GuestState {
  name: string;
  muted: boolean;
  cameraOff: boolean;
}

/** What changed for the guests, said once to a screen reader: muted, heard again, camera off, removed. */
const useGuestAnnouncement = (participants: Participant[], removed: ReadonlySet<string>): string => {
  const t = useT();
  // Worked out while rendering, as the participants change (React's "adjusting state on a prop change").
  const guestsOf = (list: Participant[]) =>
    new Map<string, GuestState>(
      list
        .filter((p) => !p.isHost && !p.isWaiting)
        .map((p) => [
          p.uuid,
          { name: p.displayName || t('staff.theParticipant'), muted: p.isMuted, cameraOff: p.isCameraMuted },
        ]),
    );
  const [heard, setHeard] = useState(() => ({ participants, removed, guests: guestsOf(participants), said: '' }));
  if (heard.participants !== participants || heard.removed !== removed) {
    const now = guestsOf(participants);
    const news: string[] = [];
    for (const [uuid, state] of now) {
      const before = heard.guests.get(uuid);
      if (before && before.muted !== state.muted) {
        news.push(t(state.muted ? 'staff.announce.muted' : 'staff.announce.unmuted', { name: state.name }));
      }
      if (before && !before.cameraOff && state.cameraOff)
        news.push(t('staff.announce.cameraOff', { name: state.name }));
    }
    for (const [uuid, before] of heard.guests) {
      if (!now.has(uuid) && removed.has(uuid)) news.push(t('staff.announce.removed', { name: before.name }));
    }
    setHeard({ participants, removed, guests: now, said: news.length > 0 ? news.join(' ') : heard.said });
  }
  return heard.said;
};

export const ParticipantList = ({ participants, silent, controls }: ParticipantListProps) => {
  const t = useT();
  const plugins = usePluginSlots();
  const [removing, setRemoving] = useState<Participant | null>(null);
  const [removed] = useState(() => new Set<string>());
  const announcement = useGuestAnnouncement(participants, removed);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const nameOf = (participant: Participant) => participant.displayName || t('staff.theParticipant');
  return (
    <section className="staff__section" aria-labelledby="participants-heading">
      <h2 id="participants-heading" ref={headingRef} tabIndex={-1}>
        {t('staff.participants', { count: participants.length })}
      </h2>
      <ul className="participants" data-testid="participant-list">
        {participants.map((participant) => (
          <li
            key={participant.uuid}
            className="participants__item"
            data-testid="participant-item"
            data-waiting={participant.isWaiting}
          >
            <span className="participants__name">{participant.displayName || t('call.unknownName')}</span>
            {participant.isHost && <span className="participants__tag">{t('staff.tag.host')}</span>}
            {(participant.isMuted || participant.isClientMuted) && (
              <span className="participants__tag">{t('staff.tag.muted')}</span>
            )}
            {participant.isCameraMuted && <span className="participants__tag">{t('staff.tag.cameraOff')}</span>}
            {silent.has(participant.uuid) && (
              <span className="participants__tag participants__tag--warn" data-testid="participant-reconnecting">
                {t('staff.tag.reconnecting')}
              </span>
            )}
            {participant.isMainVideoDroppedOut && !silent.has(participant.uuid) && (
              <span className="participants__tag participants__tag--warn" data-testid="participant-media-interrupted">
                {t('staff.tag.mediaInterrupted')}
              </span>
            )}
            {participant.isWaiting && (
              <span className="participants__actions">
                <span className="participants__tag">{t('staff.tag.waiting')}</span>
                <Button
                  testId="admit-button"
                  aria-label={t('staff.admitName', { name: nameOf(participant) })}
                  onClick={() => controls.admit(participant)}
                >
                  {t('staff.admit')}
                </Button>
              </span>
            )}
            {!participant.isHost && !participant.isWaiting && (
              <GuestActions
                participant={participant}
                name={nameOf(participant)}
                controls={controls}
                onRemove={() => setRemoving(participant)}
              />
            )}
            {plugins && (
              <plugins.ParticipantActions participantUuid={participant.uuid} participantName={nameOf(participant)} />
            )}
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status" data-testid="participant-announcement">
        {announcement}
      </p>
      {removing && (
        <ConfirmDialog
          testId="confirm-remove"
          title={t('staff.guest.removeTitle', { name: nameOf(removing) })}
          detail={t('staff.guest.removeDetail', { name: nameOf(removing) })}
          confirmLabel={t('staff.guest.removeConfirm')}
          cancelLabel={t('common.cancel')}
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            removed.add(removing.uuid);
            controls.remove(removing);
            setRemoving(null);
            // The row (and the button that asked) goes: the list itself keeps the focus.
            window.requestAnimationFrame(() => headingRef.current?.focus());
          }}
        />
      )}
    </section>
  );
};
