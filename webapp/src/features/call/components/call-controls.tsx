import { CameraIcon, CameraOffIcon, HangUpIcon, MicIcon, MicOffIcon } from '@/components/icons';
import { ToggleButton } from '@/components/toggle-button';

import type { MediaToggles } from '../hooks/use-media-toggles';

const micLabel = ({ hasMic, micMuted }: MediaToggles): string =>
  !hasMic ? 'Ingen mikrofon' : micMuted ? 'Slå mikrofon til' : 'Slå mikrofon fra';

const cameraLabel = ({ hasCamera, cameraMuted }: MediaToggles): string =>
  !hasCamera ? 'Intet kamera' : cameraMuted ? 'Slå kamera til' : 'Slå kamera fra';

export interface CallControlsProps {
  toggles: MediaToggles;
  onLeave: () => void;
}

/** Said aloud and shown: the citizen must never believe she is heard when she is not. */
const MutedNotice = ({ toggles }: { toggles: MediaToggles }) => (
  <p className="call__notice" role="status" data-testid="muted-notice">
    {toggles.mutedByHost &&
      (toggles.unmuteRefused
        ? 'Du er sat på lydløs af mødets vært. Kun værten kan slå din lyd til igen.'
        : 'Du er sat på lydløs af mødets vært')}
  </p>
);

export const CallControls = ({ toggles, onLeave }: CallControlsProps) => (
  <>
  <MutedNotice toggles={toggles} />
  <div className="controls" role="toolbar" aria-label="Mødeknapper">
    <ToggleButton
      testId="toggle-mic"
      pressed={toggles.micMuted}
      disabled={!toggles.hasMic}
      label={micLabel(toggles)}
      icon={toggles.micMuted ? <MicOffIcon /> : <MicIcon />}
      onToggle={toggles.toggleMic}
    />
    <ToggleButton
      testId="toggle-camera"
      pressed={toggles.cameraMuted}
      disabled={!toggles.hasCamera}
      label={cameraLabel(toggles)}
      icon={toggles.cameraMuted ? <CameraOffIcon /> : <CameraIcon />}
      onToggle={toggles.toggleCamera}
    />
    <button type="button" className="btn btn--danger btn--leave" data-testid="leave-button" onClick={onLeave}>
      <HangUpIcon />
      <span className="btn__caption">Forlad mødet</span>
    </button>
  </div>
  </>
);
