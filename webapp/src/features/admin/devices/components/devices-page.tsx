import { ApiError } from '@/lib/api-client';
import '../devices.css';

import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import type { PartyPageProps } from '@/config/app-config';
import { AdminPage, AdminSection } from '@/features/admin/admin-page';
import { useAdminActions, useAdminOpening, useAdminSession } from '@/features/admin/use-admin-page';
import { useRequiredText } from '@/hooks/use-required-text';
import { refusal } from '@/lib/admin-login';
import { type Translator, useI18n } from '@/lib/i18n';
import { meetingClockTime } from '@/lib/meeting-time';

import {
  type AdminDevice,
  type Enrolment,
  listDevices,
  newEnrolment,
  revokeDevice,
  updateDevice,
} from '../devices-api';
import { DeviceRow } from './device-row';

const reasonOf = (t: Translator['t'], error: unknown, adminKey: string): string => {
  if (error instanceof ApiError && error.status === 401) return t(refusal(adminKey, 'admin.refusal.keyParty'));
  if (error instanceof ApiError && error.status === 400) return t('admin.invalid', { reason: error.message });
  return t('admin.failed');
};

/**
 * `/{party}/admin/devices`: the party's lent tablets. Make a one-time code (shown large and as
 * a QR code to scan with the tablet), see each tablet's state, rename, switch off and on, or
 * remove it for good. A party_admin login opens it at once; else the admin key (kept in
 * memory only), where keys are switched on.
 */
export const DevicesPage = ({ partyId, partyName }: PartyPageProps) => {
  const { t, language } = useI18n();
  const session = useAdminSession(partyId);
  const { key } = session;
  const [devices, setDevices] = useState<AdminDevice[] | null>(null);
  const label = useRequiredText(t('admin.devices.labelMissing'));
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const { busy, message, report } = useAdminActions(session, {
    describe: (error, adminKey) => ({ text: reasonOf(t, error, adminKey), error: true }),
    onRefused: () => setDevices(null),
  });

  const reload = async () => setDevices(await listDevices(partyId, key));
  const handleKey = useAdminOpening(session, () => void report(reload));

  const handleEnrol = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = label.take();
    if (!name) return;
    void report(async () => {
      setEnrolment(await newEnrolment(partyId, key, name));
      label.clear();
    });
  };

  return (
    <AdminPage
      page="devices"
      partyName={partyName}
      session={session}
      open={{ label: t('admin.devices.show'), keyOpen: devices === null, onSubmit: handleKey }}
      busy={busy}
      message={message}
    >
      {devices !== null && (
        <>
          <AdminSection id="enrol-heading" title={t('admin.devices.enrolHeading')}>
            <form className="stack" onSubmit={handleEnrol} noValidate>
              <TextField
                label={t('admin.devices.label')}
                hint={t('admin.devices.labelHint')}
                testId="device-label-input"
                maxLength={60}
                {...label.field}
              />
              <div>
                <Button type="submit" testId="make-code" disabled={busy}>
                  {t('admin.devices.makeCode')}
                </Button>
              </div>
            </form>
            {enrolment && (
              <div className="devices-admin__enrolment" data-testid="enrolment">
                <img
                  className="devices-admin__qr"
                  data-testid="enrolment-qr"
                  src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qr_svg)}`}
                  alt={t('admin.devices.qr', { code: enrolment.code })}
                />
                <div>
                  <p>{t('admin.devices.open', { url: enrolment.enrol_url.split('#')[0] ?? '' })}</p>
                  <p className="devices-admin__code" data-testid="enrolment-code">
                    {enrolment.code}
                  </p>
                  <p>
                    {t('admin.devices.codeUntil', { time: meetingClockTime(new Date(enrolment.expires_at), language) })}
                  </p>
                </div>
              </div>
            )}
          </AdminSection>
          <AdminSection
            id="devices-list-heading"
            title={t('admin.devices.listHeading', { count: devices.length })}
            refresh={{ testId: 'devices-refresh', disabled: busy, onClick: () => void report(reload) }}
          >
            {devices.length === 0 ? (
              <p>{t('admin.devices.none')}</p>
            ) : (
              <ul className="devices-admin__list" data-testid="admin-device-list">
                {devices.map((device) => (
                  <DeviceRow
                    key={`${device.id}:${device.label}`}
                    device={device}
                    busy={busy}
                    onRename={(name) =>
                      void report(
                        async () => {
                          await updateDevice(partyId, key, device.id, { label: name });
                          await reload();
                        },
                        t('admin.devices.renamed', { name }),
                      )
                    }
                    onEnable={(enabled) =>
                      void report(
                        async () => {
                          await updateDevice(partyId, key, device.id, { enabled });
                          await reload();
                        },
                        t(enabled ? 'admin.devices.enabled' : 'admin.devices.disabled', { name: device.label }),
                      )
                    }
                    onRevoke={() =>
                      void report(
                        async () => {
                          await revokeDevice(partyId, key, device.id);
                          await reload();
                        },
                        t('admin.devices.revoked', { name: device.label }),
                      )
                    }
                  />
                ))}
              </ul>
            )}
          </AdminSection>
        </>
      )}
    </AdminPage>
  );
};
