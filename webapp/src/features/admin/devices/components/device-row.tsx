import { useState } from 'react';

import { Button } from '@/components/button';
import { QuietInput } from '@/components/quiet-input';
import { TwoStepButton } from '@/components/two-step-button';
import { type Translator, useI18n } from '@/lib/i18n';
import { danishDateTime } from '@/lib/meeting-time';

import type { AdminDevice } from '../devices-api';

export interface DeviceRowProps {
  device: AdminDevice;
  busy: boolean;
  onRename: (label: string) => void;
  onEnable: (enabled: boolean) => void;
  onRevoke: () => void;
}

const stateOf = (t: Translator['t'], device: AdminDevice): string => {
  if (!device.enabled) return t('admin.devices.off');
  return device.online ? t('devices.online') : t('devices.offline');
};

/** One tablet: its state, and rename, switch off/on, remove (asked twice). */
export const DeviceRow = ({ device, busy, onRename, onEnable, onRevoke }: DeviceRowProps) => {
  const { t, language } = useI18n();
  const [label, setLabel] = useState(device.label);
  return (
    <li className="devices-admin__item" data-testid="admin-device-item" data-device-id={device.id}>
      <div className="devices-admin__facts">
        <strong>{device.label}</strong>
        <span className="participants__tag">{stateOf(t, device)}</span>
        <span>
          {device.battery
            ? t(device.battery.charging ? 'admin.devices.batteryCharging' : 'admin.devices.battery', {
                level: device.battery.level,
              })
            : t('admin.devices.batteryUnknown')}
        </span>
        <span>
          {device.last_seen
            ? t('admin.devices.lastSeen', {
                when: danishDateTime(device.last_seen, language, { dateStyle: 'short', timeStyle: 'short' }),
              })
            : t('admin.devices.notSeen')}
        </span>
        {device.app_version && <span>{t('admin.devices.version', { version: device.app_version })}</span>}
      </div>
      <form
        className="devices-admin__rename"
        onSubmit={(event) => {
          event.preventDefault();
          if (label.trim() && label.trim() !== device.label) onRename(label.trim());
        }}
      >
        <QuietInput
          label={t('admin.devices.nameOf', { name: device.label })}
          testId="admin-device-label"
          maxLength={60}
          value={label}
          onChange={(event) => setLabel(event.target.value)}
        />
        <Button type="submit" variant="secondary" testId="admin-device-rename" disabled={busy}>
          {t('admin.devices.saveName')}
        </Button>
      </form>
      <div className="devices-admin__actions">
        <Button
          variant="secondary"
          testId="admin-device-toggle"
          disabled={busy}
          onClick={() => onEnable(!device.enabled)}
        >
          {device.enabled ? t('admin.devices.switchOff') : t('admin.devices.switchOn')}
        </Button>
        <TwoStepButton
          busy={busy}
          ask={{ label: t('admin.devices.revoke'), testId: 'admin-device-revoke' }}
          confirm={{
            label: t('admin.devices.revokeConfirm', { name: device.label }),
            testId: 'admin-device-revoke-confirm',
          }}
          onConfirm={onRevoke}
        />
      </div>
    </li>
  );
};
