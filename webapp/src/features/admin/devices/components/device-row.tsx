import { useId, useState } from 'react';

import { Button } from '@/components/button';

import type { AdminDevice } from '../devices-api';

const WHEN = new Intl.DateTimeFormat('da-DK', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Copenhagen' });

export interface DeviceRowProps {
  device: AdminDevice;
  busy: boolean;
  onRename: (label: string) => void;
  onEnable: (enabled: boolean) => void;
  onRevoke: () => void;
}

const stateOf = (device: AdminDevice): string => {
  if (!device.enabled) return 'slået fra';
  return device.online ? 'online' : 'offline';
};

/** One tablet: its state, and rename, switch off/on, remove (asked twice). */
export const DeviceRow = ({ device, busy, onRename, onEnable, onRevoke }: DeviceRowProps) => {
  const [label, setLabel] = useState(device.label);
  const [confirming, setConfirming] = useState(false);
  const labelId = useId();
  return (
    <li className="devices-admin__item" data-testid="admin-device-item" data-device-id={device.id}>
      <div className="devices-admin__facts">
        <strong>{device.label}</strong>
        <span className="participants__tag">{stateOf(device)}</span>
        <span>
          {device.battery ? `Batteri ${device.battery.level} %${device.battery.charging ? ' (lader)' : ''}` : 'Batteri ukendt'}
        </span>
        <span>{device.last_seen ? `Sidst set ${WHEN.format(new Date(device.last_seen))}` : 'Ikke set endnu'}</span>
        {device.app_version && <span>Version {device.app_version}</span>}
      </div>
      <form
        className="devices-admin__rename"
        onSubmit={(event) => {
          event.preventDefault();
          if (label.trim() && label.trim() !== device.label) onRename(label.trim());
        }}
      >
        <label htmlFor={labelId} className="visually-hidden">
          Navn på {device.label}
        </label>
        <input
          id={labelId}
          className="field__input"
          data-testid="admin-device-label"
          maxLength={60}
          value={label}
          onChange={(event) => setLabel(event.target.value)}
        />
        <Button type="submit" variant="secondary" testId="admin-device-rename" disabled={busy}>
          Gem navn
        </Button>
      </form>
      <div className="devices-admin__actions">
        <Button variant="secondary" testId="admin-device-toggle" disabled={busy} onClick={() => onEnable(!device.enabled)}>
          {device.enabled ? 'Slå fra' : 'Slå til'}
        </Button>
        {confirming ? (
          <Button variant="danger" testId="admin-device-revoke-confirm" disabled={busy} onClick={onRevoke}>
            Ja, fjern {device.label}
          </Button>
        ) : (
          <Button variant="secondary" testId="admin-device-revoke" disabled={busy} onClick={() => setConfirming(true)}>
            Fjern
          </Button>
        )}
      </div>
    </li>
  );
};
