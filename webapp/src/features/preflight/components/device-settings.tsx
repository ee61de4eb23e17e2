import { useEffect, useId, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { useT } from '@/lib/i18n';

import type { DeviceKind, LocalMedia } from '../hooks/use-local-media';

const TONE_SECONDS = 1.2;

/** A short two-note chime on the chosen speaker: "can I hear the others?". */
const playTone = async (speakerId: string): Promise<void> => {
  const context = new AudioContext();
  const destination = context.createMediaStreamDestination();
  const gain = context.createGain();
  gain.gain.value = 0.2;
  gain.connect(destination);
  [523.25, 659.25].forEach((frequency, index) => {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(context.currentTime + index * (TONE_SECONDS / 2));
    oscillator.stop(context.currentTime + (index + 1) * (TONE_SECONDS / 2));
  });
  const audio = new Audio();
  audio.srcObject = destination.stream;
  if (speakerId && 'setSinkId' in audio) await audio.setSinkId(speakerId).catch(() => undefined);
  await audio.play().catch(() => undefined);
  await new Promise((resolve) => window.setTimeout(resolve, TONE_SECONDS * 1000 + 200));
  audio.pause();
  await context.close();
};

interface DevicePickerProps {
  kind: DeviceKind;
  devices: MediaDeviceInfo[];
  value: string;
  onChoose: (kind: DeviceKind, id: string) => void;
}

const DevicePicker = ({ kind, devices, value, onChoose }: DevicePickerProps) => {
  const t = useT();
  const id = useId();
  if (devices.length === 0) return null;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {t(`preflight.devices.${kind}`)}
      </label>
      <select
        id={id}
        className="field__input"
        data-testid={`${kind}-select`}
        value={devices.some((d) => d.deviceId === value) ? value : ''}
        onChange={(event) => onChoose(kind, event.target.value)}
      >
        {kind === 'speaker' && <option value="">{t('preflight.devices.defaultSpeaker')}</option>}
        {devices.map((device) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label}
          </option>
        ))}
      </select>
    </div>
  );
};

/** Camera, microphone and speaker (where the browser lets a page choose), and a test sound. */
export const DeviceSettings = ({ media }: { media: LocalMedia }) => {
  const t = useT();
  const [playing, setPlaying] = useState(false);
  const alive = useRef(true);
  useEffect(
    () => () => {
      alive.current = false;
    },
    [],
  );
  const { devices } = media;
  const handleTest = () => {
    setPlaying(true);
    void playTone(media.chosen.speaker).finally(() => alive.current && setPlaying(false));
  };
  return (
    <details className="devices-settings" data-testid="device-settings">
      <summary>{t('preflight.devices.summary')}</summary>
      <div className="stack">
        <DevicePicker kind="camera" devices={devices.cameras} value={media.chosen.camera} onChoose={media.choose} />
        <DevicePicker
          kind="microphone"
          devices={devices.microphones}
          value={media.chosen.microphone}
          onChoose={media.choose}
        />
        <DevicePicker kind="speaker" devices={devices.speakers} value={media.chosen.speaker} onChoose={media.choose} />
        <Button variant="secondary" testId="speaker-test" disabled={playing} onClick={handleTest}>
          {playing ? t('preflight.devices.playing') : t('preflight.devices.testSound')}
        </Button>
      </div>
    </details>
  );
};
