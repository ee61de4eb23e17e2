import { useCallback, useEffect, useMemo, useState } from 'react';

import { Button } from '@/components/button';
import { QuietInput } from '@/components/quiet-input';
import { type Translator, useI18n } from '@/lib/i18n';

import {
  callDevice,
  type DeviceCall,
  type DeviceCallStatus,
  hangUp,
  listDevices,
  readCall,
  type StaffDevice,
} from '../api/devices';

const STATUS_KEY: Record<DeviceCallStatus, string> = {
  ringing: 'ringing',
  answered: 'answered',
  declined: 'declined',
  'no-answer': 'noAnswer',
  cancelled: 'cancelled',
};
const POLL_MS = 1000;
const REFRESH_MS = 10_000;

const batteryText = (t: Translator['t'], device: StaffDevice): string => {
  if (!device.battery) return t('devices.batteryUnknown');
  const level = t('devices.battery', { level: device.battery.level });
  return device.battery.charging ? t('devices.charging', { level }) : level;
};

export interface DeviceCallPanelProps {
  /** The called device took the call: it joins under this name (let in if the meeting is locked). */
  onAnswered?: (label: string) => void;
}

/** "Ring til en enhed": the party's devices (search, online, battery) and the call's status. */
export const DeviceCallPanel = ({ onAnswered }: DeviceCallPanelProps) => {
  const { t } = useI18n();
  const [devices, setDevices] = useState<StaffDevice[] | null>(null);
  const [query, setQuery] = useState('');
  const [call, setCall] = useState<{ call: DeviceCall; label: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const refresh = useCallback(() => {
    listDevices()
      .then(setDevices)
      .catch(() => setDevices((shown) => shown ?? []));
  }, []);

  useEffect(() => {
    refresh();
    const timer = window.setInterval(refresh, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const ringing = call?.call.status === 'ringing';
  const callId = call?.call.id;
  useEffect(() => {
    if (!ringing || !callId) return undefined;
    const timer = window.setInterval(() => {
      readCall(callId)
        .then((next) => setCall((current) => (current?.call.id === next.id ? { ...current, call: next } : current)))
        .catch(() => undefined);
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [ringing, callId]);

  const answeredLabel = call?.call.status === 'answered' ? call.label : null;
  useEffect(() => {
    if (answeredLabel) onAnswered?.(answeredLabel);
  }, [answeredLabel, callId, onAnswered]);

  const shown = useMemo(() => {
    const words = query.trim().toLowerCase();
    return (devices ?? []).filter((d) => d.enabled && d.label.toLowerCase().includes(words));
  }, [devices, query]);

  const handleCall = async (device: StaffDevice) => {
    setProblem(null);
    try {
      setCall({ call: await callDevice(device.id), label: device.label });
    } catch {
      setProblem(t('devices.callFailed'));
    }
  };

  const handleHangUp = async (ringingCall: DeviceCall) => {
    await hangUp(ringingCall.id).catch(() => undefined);
    setCall((current) => (current ? { ...current, call: { ...ringingCall, status: 'cancelled' } } : current));
  };

  if (devices !== null && devices.length === 0) return null; // the party has no devices
  return (
    <section className="staff__section devices" aria-labelledby="devices-heading" data-testid="device-call-panel">
      <h2 id="devices-heading">{t('devices.heading')}</h2>
      <QuietInput
        label={t('devices.search')}
        type="search"
        placeholder={t('devices.search')}
        testId="device-search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <ul className="participants" aria-label={t('devices.list')}>
        {shown.map((device) => (
          <li key={device.id} className="participants__item" data-testid="device-item" data-online={device.online}>
            <span className="participants__name">{device.label}</span>
            <span className="participants__tag">{device.online ? t('devices.online') : t('devices.offline')}</span>
            <span className="participants__tag">{batteryText(t, device)}</span>
            <Button
              srText={`: ${device.label}`}
              testId="call-device-button"
              disabled={ringing}
              onClick={() => void handleCall(device)}
            >
              {t('devices.call')}
            </Button>
          </li>
        ))}
      </ul>
      {call && (
        <div className="devices__call">
          <p className="field__hint" role="status" data-testid="device-call-status" data-status={call.call.status}>
            {call.label}: {t(`devices.status.${STATUS_KEY[call.call.status]}`)}
          </p>
          {ringing && (
            <Button variant="secondary" testId="hang-up-device" onClick={() => void handleHangUp(call.call)}>
              {t('devices.hangUp')}
            </Button>
          )}
        </div>
      )}
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
};
