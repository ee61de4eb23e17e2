import type { Participant } from '@pexip/infinity';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';

import { Avatar } from '@/components/avatar';
import { Button } from '@/components/button';
import { MediaVideo } from '@/components/media-video';
import type { Role } from '@/config/app-config';
import { useWakeLock } from '@/hooks/use-wake-lock';
import { useI18n } from '@/lib/i18n';
import type { InfinitySession } from '@/lib/infinity';
import { usePluginSlots } from '@/lib/plugin-slots';

import type { UseChat } from '../hooks/use-chat';
import { useHostLeft } from '../hooks/use-host-left';
import { useMediaToggles } from '../hooks/use-media-toggles';
import type { UseCall } from '../hooks/use-call';
import type { MeetingClock } from '../meeting-clock';
import { CallControls, MutedNotice } from './call-controls';
import { ChatPanel } from './chat-panel';
import { MeetingClockNotice } from './meeting-clock-notice';

export interface InCallViewProps {
  role: Role;
  session: InfinitySession;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  /** The others in the meeting (not me). */
  others: Participant[];
  /** Others whose connection seems gone (their beacons stopped). */
  silent: ReadonlySet<string>;
  reconnect: UseCall['reconnect'];
  /** Picture and sound stopped reaching us: say so while the client mends it. */
  mediaInterrupted: boolean;
  /** The meeting's chat; with `chatInCall` it opens from the controls (citizens). */
  chat: UseChat;
  chatInCall: boolean;
  /** The speaker chosen on the preflight. */
  speakerId?: string;
  /** Staff-only panel (participants, chat); absent for citizens. */
  aside?: ReactNode;
  /** The meeting's time (a grant's call): the host hears when it ran over or will end. */
  clock?: MeetingClock | null;
  onLeave: () => void;
}

const ReconnectingBanner = ({ reconnect }: { reconnect: UseCall['reconnect'] }) => {
  const { t } = useI18n();
  if (!reconnect.reconnecting) return null;
  return (
    <div className="call__banner" role="status" data-testid="reconnecting" data-long={reconnect.longOutage}>
      <span className="spinner spinner--small" aria-hidden="true" />
      <span>
        <strong>{t('call.reconnecting')}</strong>
        {reconnect.longOutage && <span className="call__banner-detail">{t('call.reconnectingLong')}</span>}
      </span>
      {reconnect.longOutage && (
        <Button variant="secondary" testId="reconnect-now" onClick={reconnect.retryNow}>
          {t('common.retry')}
        </Button>
      )}
    </div>
  );
};

const MediaInterruptedBanner = () => {
  const { t } = useI18n();
  return (
    <div className="call__banner" role="status" data-testid="media-interrupted">
      <span className="spinner spinner--small" aria-hidden="true" />
      <strong>{t('call.mediaInterrupted')}</strong>
    </div>
  );
};

const HostLeftNotice = ({ name, onLeave }: { name: string; onLeave: () => void }) => {
  const { t } = useI18n();
  const [stayed, setStayed] = useState(false);
  if (stayed) return null;
  return (
    <div className="call__banner call__banner--info" role="status" data-testid="host-left">
      <span>
        <strong>{t('call.hostLeft', { name: name || t('call.theHost') })}</strong>
        <span className="call__banner-detail">{t('call.hostLeftDetail')}</span>
      </span>
      <span className="call__banner-actions">
        <Button variant="secondary" testId="stay-button" onClick={() => setStayed(true)}>
          {t('call.stay')}
        </Button>
        <Button variant="danger" testId="host-left-leave" onClick={onLeave}>
          {t('call.controls.leave')}
        </Button>
      </span>
    </div>
  );
};

/** Who is on the big video: their names, and an avatar where there is no picture. */
const RemoteLabel = ({
  others,
  silent,
  hasVideo,
}: {
  others: Participant[];
  silent: ReadonlySet<string>;
  hasVideo: boolean;
}) => {
  const { t } = useI18n();
  const names = others.map((p) => p.displayName || t('call.unknownName'));
  const reconnecting = others.filter((p) => silent.has(p.uuid));
  // The node's word: their media stopped arriving (their signalling may be fine).
  const interrupted = others.filter((p) => p.isMainVideoDroppedOut && !silent.has(p.uuid));
  const pictureless = !hasVideo || (others.length > 0 && others.every((p) => p.isCameraMuted));
  return (
    <>
      {pictureless && others[0] && (
        <div className="call__avatar" data-testid="remote-avatar">
          <Avatar name={names[0] ?? ''} />
          <span className="call__avatar-name">{names.join(', ')}</span>
          {others.every((p) => p.isCameraMuted) && <span>{t('call.cameraOff')}</span>}
        </div>
      )}
      {names.length > 0 && (
        <p className="call__name" data-testid="remote-name">
          {names.join(', ')}
        </p>
      )}
      {reconnecting.length > 0 && (
        <p className="call__remote-status" role="status" data-testid="remote-reconnecting">
          {t('call.otherReconnecting', { name: reconnecting.map((p) => p.displayName).join(', ') })}
        </p>
      )}
      {interrupted.length > 0 && (
        <p className="call__remote-status" role="status" data-testid="remote-media-interrupted">
          {t('call.otherMediaInterrupted', { name: interrupted.map((p) => p.displayName).join(', ') })}
        </p>
      )}
    </>
  );
};

export const InCallView = ({
  role,
  session,
  localStream,
  remoteStream,
  others,
  silent,
  reconnect,
  mediaInterrupted,
  chat,
  chatInCall,
  speakerId,
  aside,
  clock = null,
  onLeave,
}: InCallViewProps) => {
  const { t } = useI18n();
  const toggles = useMediaToggles(localStream, session);
  const plugins = usePluginSlots();
  const [chatOpen, setChatOpen] = useState(false);
  const hostLeft = useHostLeft(role, others);
  const regionRef = useRef<HTMLDivElement>(null);
  useWakeLock();
  // After joining, focus lands on the call itself: a screen reader says where she is.
  useEffect(() => regionRef.current?.focus(), []);
  const { setVisible } = chat;
  useEffect(() => setVisible(chatOpen || !chatInCall), [chatOpen, chatInCall, setVisible]);
  // Closing the chat (its button, "Luk" or Escape) gives focus back to the button that opened it.
  const closeChat = useCallback(() => {
    setChatOpen(false);
    window.setTimeout(() => regionRef.current?.querySelector<HTMLElement>('[data-testid="chat-button"]')?.focus(), 0);
  }, []);
  useEffect(() => {
    if (!chatOpen) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented) closeChat();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [chatOpen, closeChat]);

  const inMeeting = others.filter((p) => !p.isWaiting);
  const showSelf = Boolean(localStream?.getVideoTracks().length) && !toggles.camera.muted;
  const hasRemoteVideo = Boolean(remoteStream?.getVideoTracks().length);
  const title =
    inMeeting.length > 0
      ? t('call.titleWith', { names: inMeeting.map((p) => p.displayName || t('call.unknownName')).join(', ') })
      : t('call.title');
  return (
    <div
      className={`call call--${role}${chatOpen ? ' call--chat-open' : ''}`}
      data-testid="in-call"
      data-role={role}
      ref={regionRef}
      tabIndex={-1}
      role="region"
      aria-label={title}
    >
      <h1 className="visually-hidden">{title}</h1>
      <div className="call__main">
        <section className="call__stage" aria-label={t('call.video')}>
          <MediaVideo
            stream={remoteStream}
            testId="remote-video"
            label={inMeeting.length > 0 ? title : t('call.othersVideo')}
            className="call__remote"
            sinkId={speakerId}
          />
          <RemoteLabel others={inMeeting} silent={silent} hasVideo={hasRemoteVideo} />
          <p className="call__waiting" role="status">
            {/* With the host-left notice up, it says it all: no second text under it. */}
            {inMeeting.length === 0
              ? hostLeft === null && t('call.waitingForOthers')
              : !remoteStream && t('call.connectingVideo')}
          </p>
          <div className={showSelf ? 'call__self' : 'call__self call__self--hidden'}>
            <MediaVideo stream={localStream} testId="self-view" self label={t('media.selfView')} />
          </div>
          <div className="call__banners">
            <ReconnectingBanner reconnect={reconnect} />
            {/* Signalling trouble says it all; with only the media path gone, say that. */}
            {mediaInterrupted && !reconnect.reconnecting && <MediaInterruptedBanner />}
            {hostLeft !== null && !reconnect.reconnecting && <HostLeftNotice name={hostLeft} onLeave={onLeave} />}
            {role === 'host' && <MeetingClockNotice clock={clock} />}
            <MutedNotice toggles={toggles} />
          </div>
        </section>
        <CallControls
          toggles={toggles}
          chat={
            chatInCall
              ? { open: chatOpen, unread: chat.unread, onToggle: () => setChatOpen((open) => !open) }
              : undefined
          }
          onLeave={onLeave}
        />
        {chatInCall && chat.latest && !chatOpen && (
          <p className="visually-hidden" role="status" data-testid="chat-announcement">
            {t('chat.newMessage', { name: chat.latest.from })}
          </p>
        )}
      </div>
      {chatInCall && chatOpen && (
        <div className="call__chat">
          <ChatPanel chat={chat} autoFocus onClose={closeChat} />
        </div>
      )}
      {aside}
      {plugins && <plugins.CallWidgets />}
    </div>
  );
};
