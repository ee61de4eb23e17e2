import { CameraIcon, CameraOffIcon, ChatIcon, HangUpIcon, MicIcon, MicOffIcon } from '@/components/icons';
import { ToggleButton } from '@/components/toggle-button';
import { type Translator, useI18n } from '@/lib/i18n';
import { usePluginSlots } from '@/lib/plugin-slots';

import type { DeviceToggle, MediaToggles } from '../hooks/use-media-toggles';

const micLabel = ({ present, muted }: DeviceToggle, t: Translator['t']): string =>
  t(!present ? 'call.controls.noMic' : muted ? 'call.controls.micOn' : 'call.controls.micOff');

const cameraLabel = ({ present, muted }: DeviceToggle, t: Translator['t']): string =>
  t(!present ? 'call.controls.noCamera' : muted ? 'call.controls.cameraOn' : 'call.controls.cameraOff');

/** The microphone's and the camera's buttons, alike but for their test id, icons and label. */
const MEDIA_BUTTONS = [
  { device: 'mic', testId: 'toggle-mic', Icon: MicIcon, MutedIcon: MicOffIcon, label: micLabel },
  { device: 'camera', testId: 'toggle-camera', Icon: CameraIcon, MutedIcon: CameraOffIcon, label: cameraLabel },
] as const;

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
      {MEDIA_BUTTONS.map(({ device, testId, Icon, MutedIcon, label }) => {
        const state = toggles[device];
        return (
          <ToggleButton
            key={device}
            testId={testId}
            pressed={state.muted}
            disabled={!state.present}
            label={label(state, t)}
            icon={state.muted ? <MutedIcon /> : <Icon />}
            onToggle={state.toggle}
          />
        );
      })}
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
