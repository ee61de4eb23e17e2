import '../devices.css';

import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { AdminAccess } from '@/features/admin/admin-access';
import { AdminMessageLine } from '@/features/admin/admin-message';
import { useAdminPage } from '@/features/admin/use-admin-page';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { refusal } from '@/lib/admin-login';
import { ApiError } from '@/lib/api-client';

import {
  type AdminDevice,
  type Enrolment,
  listDevices,
  newEnrolment,
  revokeDevice,
  updateDevice,
} from '../devices-api';
import { DeviceRow } from './device-row';

export interface DevicesPageProps {
  partyId: string;
  partyName: string;
}

const TIME = new Intl.DateTimeFormat('da-DK', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Copenhagen' });

const reasonOf = (error: unknown, adminKey: string): string => {
  if (error instanceof ApiError && error.status === 401) {
    return refusal(adminKey, 'Administratornøglen passer ikke til denne part.');
  }
  if (error instanceof ApiError && error.status === 400) return `Ugyldigt: ${error.message}`;
  return 'Det lykkedes ikke. Prøv igen om lidt.';
};

/**
 * `/{party}/admin/devices`: the party's lent tablets. Make a one-time code (shown large and as
 * a QR code to scan with the tablet), see each tablet's state, rename, switch off and on, or
 * remove it for good. A party_admin login opens it at once; else the admin key (kept in
 * memory only), where keys are switched on.
 */
export const DevicesPage = ({ partyId, partyName }: DevicesPageProps) => {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [devices, setDevices] = useState<AdminDevice[] | null>(null);
  const [label, setLabel] = useState('');
  const [labelError, setLabelError] = useState<string | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const reload = async (adminKey = key) => setDevices(await listDevices(partyId, adminKey));
  const { key, busy, message, run, access, submitKey } = useAdminPage({
    partyId,
    open: reload,
    reasonOf,
    onRefused: () => setDevices(null),
  });

  const handleEnrol = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = label.trim();
    setLabelError(name ? null : 'Giv skærmen et navn, fx "Tablet 17, hjemmeplejen Nord".');
    if (!name) return;
    void run(async () => {
      setEnrolment(await newEnrolment(partyId, key, name));
      setLabel('');
    });
  };

  return (
    <div className="stack devices-admin">
      <section className="panel stack" aria-labelledby="devices-heading">
        <h1 id="devices-heading" tabIndex={-1} ref={headingRef}>
          Skærme hos borgere, {partyName}
        </h1>
        <AdminAccess
          {...access}
          keyTestId="devices-key-input"
          keyOpen={devices === null}
          submit={{ label: 'Vis skærmene', testId: 'devices-key-submit', disabled: busy, onSubmit: submitKey }}
        />
      </section>
      <AdminMessageLine busy={busy} message={message} testId="devices-message" />
      {devices !== null && (
        <>
          <section className="panel stack" aria-labelledby="enrol-heading">
            <h2 id="enrol-heading">Tilmeld en ny skærm</h2>
            <form className="stack" onSubmit={handleEnrol} noValidate>
              <TextField
                label="Skærmens navn"
                hint="Det, personalet ser, når de ringer op. Aldrig et CPR-nummer."
                testId="device-label-input"
                maxLength={60}
                error={labelError}
                value={label}
                onChange={(event) => setLabel(event.target.value)}
              />
              <div>
                <Button type="submit" testId="make-code" disabled={busy}>
                  Lav en kode
                </Button>
              </div>
            </form>
            {enrolment && (
              <div className="devices-admin__enrolment" data-testid="enrolment">
                <img
                  className="devices-admin__qr"
                  data-testid="enrolment-qr"
                  src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qr_svg)}`}
                  alt={`QR-kode, der åbner skærmens side med koden ${enrolment.code}`}
                />
                <div>
                  <p>Åbn {enrolment.enrol_url.split('#')[0]} på skærmen og skriv koden, eller scan QR-koden:</p>
                  <p className="devices-admin__code" data-testid="enrolment-code">
                    {enrolment.code}
                  </p>
                  <p>Koden virker én gang, til kl. {TIME.format(new Date(enrolment.expires_at))}.</p>
                </div>
              </div>
            )}
          </section>
          <section className="panel stack" aria-labelledby="devices-list-heading">
            <h2 id="devices-list-heading">Tilmeldte skærme ({devices.length})</h2>
            <div>
              <Button variant="secondary" testId="devices-refresh" disabled={busy} onClick={() => void run(() => reload())}>
                Opdater listen
              </Button>
            </div>
            {devices.length === 0 ? (
              <p>Ingen skærme endnu.</p>
            ) : (
              <ul className="devices-admin__list" data-testid="admin-device-list">
                {devices.map((device) => (
                  <DeviceRow
                    key={`${device.id}:${device.label}`}
                    device={device}
                    busy={busy}
                    onRename={(name) =>
                      void run(async () => {
                        await updateDevice(partyId, key, device.id, { label: name });
                        await reload();
                      }, `Navnet er gemt: ${name}.`)
                    }
                    onEnable={(enabled) =>
                      void run(
                        async () => {
                          await updateDevice(partyId, key, device.id, { enabled });
                          await reload();
                        },
                        enabled ? `${device.label} er slået til.` : `${device.label} er slået fra.`,
                      )
                    }
                    onRevoke={() =>
                      void run(async () => {
                        await revokeDevice(partyId, key, device.id);
                        await reload();
                      }, `${device.label} er fjernet. Den skal tilmeldes igen for at virke.`)
                    }
                  />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
};
