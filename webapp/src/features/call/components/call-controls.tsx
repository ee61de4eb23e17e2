import { CameraIcon, CameraOffIcon, ChatIcon, HangUpIcon, MicIcon, MicOffIcon } from '@/components/icons';
import { ToggleButton } from '@/components/toggle-button';
import { type Translator, useI18n } from '@/lib/i18n';
import { usePluginSlots } from '@/lib/plugin-slots';

import type { MediaToggles } from '../hooks/use-media-toggles';

const micLabel = ({ hasMic, micMuted }: MediaToggles, t: Translator['t']): string =>
  t(!hasMic ? 'call.controls.noMic' : micMuted ? 'call.controls.micOn' : 'call.controls.micOff');

const cameraLabel = ({ hasCamera, cameraMuted }: MediaToggles, t: Translator['t']): string =>
  t(!hasCamera ? 'call.controls.noCamera' : cameraMuted ? 'call.controls.cameraOn' : 'call.controls.cameraOff');

export interface ChatButtonState {
  open: boolean;
  unread: number;
  onToggle: () => void;
}

export interface CallControlsProps {
  toggles: MediaToggles;
  /** The chat button (citizens); absent when the party keeps chat from citizens. */
  chat?: ChatButtonState;
  onLeave: () => void;
}

/** Said aloud and shown: the citizen must never believe she is heard when she is not. */
export const MutedNotice = ({ toggles }: { toggles: MediaToggles }) => {
  const { t } = useI18n();
  return (
    <>
      <p className="call__notice" role="status" data-testid="muted-notice">
        {toggles.mutedByHost
          ? t(toggles.unmuteRefused ? 'call.mutedByHostOnlyHost' : 'call.mutedByHost')
          : toggles.unmutedByHost && t('call.unmutedByHost')}
      </p>
      <p className="call__notice" role="status" data-testid="camera-notice">
        {toggles.cameraStoppedByHost && t('call.cameraStoppedByHost')}
      </p>
    </>
  );
};

export const CallControls = ({ toggles, chat, onLeave }: CallControlsProps) => {
  const { t, tn } = useI18n();
  const plugins = usePluginSlots();
  return (
    <div className="controls" role="toolbar" aria-label={t('call.controls.label')}>
      <ToggleButton
        testId="toggle-mic"
        pressed={toggles.micMuted}
        disabled={!toggles.hasMic}
        label={micLabel(toggles, t)}
        icon={toggles.micMuted ? <MicOffIcon /> : <MicIcon />}
        onToggle={toggles.toggleMic}
      />
      <ToggleButton
        testId="toggle-camera"
        pressed={toggles.cameraMuted}
        disabled={!toggles.hasCamera}
        label={cameraLabel(toggles, t)}
        icon={toggles.cameraMuted ? <CameraOffIcon /> : <CameraIcon />}
        onToggle={toggles.toggleCamera}
      />
      {chat && (
        <button
          type="button"
          className="btn btn--toggle btn--chat"
          data-testid="chat-button"
          aria-expanded={chat.open}
          aria-label={chat.unread > 0 ? tn('call.controls.chatUnread', chat.unread) : t('call.controls.chat')}
          title={t('call.controls.chat')}
          onClick={chat.onToggle}
        >
          <ChatIcon />
          <span className="btn__caption" aria-hidden="true">
            {t('call.controls.chat')}
          </span>
          {/* A space: read together, caption and badge say "Chat 1", as the name begins. */}
          {chat.unread > 0 && ' '}
          {chat.unread > 0 && (
            <span className="badge" data-testid="chat-unread" aria-hidden="true">
              {chat.unread > 9 ? '9+' : chat.unread}
            </span>
          )}
        </button>
      )}
      {plugins && <plugins.Toolbar />}
      <button
        type="button"
        className="btn btn--danger btn--leave"
        data-testid="leave-button"
        title={t('call.controls.leave')}
        onClick={onLeave}
      >
        <HangUpIcon />
        <span className="btn__caption">{t('call.controls.leave')}</span>
      </button>
    </div>
  );
};
