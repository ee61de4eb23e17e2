import { ApiError } from '@/lib/api-client';
import '../device.css';

import { type ReactNode, useCallback, useEffect, useState } from 'react';

import { Button } from '@/components/button';
import { LanguageSwitch } from '@/components/page-shell';
import type { JoinGrant } from '@/config/app-config';
import { useWakeLock } from '@/hooks/use-wake-lock';
import { useAppConfig } from '@/lib/app-config-context';
import { logoUrl } from '@/lib/branding';
import { useT } from '@/lib/i18n';

import { answerCall, declineCall, endSession, enrol } from '../api';
import { type DeviceIdentity, forgetIdentity, loadIdentity, saveIdentity } from '../device-identity';
import type { IncomingCall } from '../device-channel';
import { useDeviceChannel } from '../hooks/use-device-channel';
import { EnrolScreen } from './enrol-screen';
import { RingingScreen } from './ringing-screen';
import { WaitingScreen } from './waiting-screen';

export interface DevicePageProps {
  /** The call itself (the app's meeting screens), joined at once; `onEnded` when it is over. */
  renderCall: (grant: JoinGrant, onEnded: (reason: string | null) => void) => ReactNode;
}

type Setup =
  | { name: 'loading' }
  | { name: 'enrol'; busy: boolean; error: string | null }
  | { name: 'ready'; identity: DeviceIdentity };

const BACK_TO_WAITING_MS = 4000;

let fragmentCode: string | null | undefined;

/** The code in the QR code's link (`#code=…`), read once; it then leaves the address bar. */
const codeFromFragment = (): string | null => {
  if (fragmentCode !== undefined) return fragmentCode;
  const match = /(?:^#|&)code=([^&]+)/.exec(window.location.hash);
  fragmentCode = match?.[1] ? decodeURIComponent(match[1]) : null;
  if (fragmentCode) window.history.replaceState(null, '', window.location.pathname);
  return fragmentCode;
};

/** The catalogue key of why enrolling failed. */
const enrolError = (error: unknown): string => {
  if (error instanceof ApiError && error.status === 429) return 'tablet.enrol.tooMany';
  if (error instanceof ApiError && error.status === 401) return 'tablet.enrol.badCode';
  return 'tablet.enrol.failed';
};

/**
 * `/{party}/device`: a lent tablet's kiosk page. Enrol once; then wait for calls with the
 * clock, the connection's state and messages from the municipality; ring; join the meeting.
 */
export const DevicePage = ({ renderCall }: DevicePageProps) => {
  const config = useAppConfig();
  const t = useT();
  const party = config.party.id;
  const [setup, setSetup] = useState<Setup>({ name: 'loading' });
  const [grant, setGrant] = useState<JoinGrant | null>(null);
  const [answering, setAnswering] = useState(false);
  const [callProblem, setCallProblem] = useState<string | null>(null);
  useWakeLock();

  const identity = setup.name === 'ready' ? setup.identity : null;
  // The channel stays open during a call: staff still see the tablet online, with its battery.
  const answer = useCallback(
    async (ringing: IncomingCall) => {
      if (!identity) return;
      setAnswering(true);
      setCallProblem(null);
      try {
        setGrant(await answerCall(identity, ringing.id));
      } catch {
        setCallProblem('tablet.answerFailed');
      } finally {
        setAnswering(false);
      }
    },
    [identity],
  );
  // A call marked to answer by itself is answered as it rings (and cleared once answered).
  const channel = useDeviceChannel(identity, (incoming) =>
    incoming.autoAnswer && !answering ? answer(incoming) : undefined,
  );
  const { call, clearCall } = channel;

  const handleEnrol = useCallback(
    async (code: string) => {
      setSetup({ name: 'enrol', busy: true, error: null });
      try {
        const enrolled = await enrol(party, code);
        await saveIdentity(enrolled);
        setSetup({ name: 'ready', identity: enrolled });
      } catch (error) {
        setSetup({ name: 'enrol', busy: false, error: enrolError(error) });
      }
    },
    [party],
  );

  useEffect(() => {
    let live = true;
    const fromQr = codeFromFragment();
    loadIdentity(party)
      .catch(() => null)
      .then((found) => {
        if (!live) return;
        if (found) setSetup({ name: 'ready', identity: found });
        else if (fromQr) {
          fragmentCode = null; // once only, also when enrolling with it fails
          void handleEnrol(fromQr);
        } else setSetup({ name: 'enrol', busy: false, error: null });
      });
    return () => {
      live = false;
    };
  }, [party, handleEnrol]);

  const handleAnswer = async () => {
    if (call) await answer(call).finally(clearCall);
  };

  const handleDecline = async () => {
    if (!identity || !call) return;
    clearCall();
    await declineCall(identity, call.id).catch(() => undefined);
  };

  const handleEnded = useCallback((reason: string | null) => {
    void endSession();
    // The caller left: nothing to read, straight back to waiting for the next call.
    window.setTimeout(() => setGrant(null), reason === 'host-left' ? 0 : BACK_TO_WAITING_MS);
  }, []);

  const handleForget = async () => {
    await forgetIdentity(party).catch(() => undefined);
    setSetup({ name: 'enrol', busy: false, error: null });
  };

  if (grant) return <div className="kiosk kiosk--call">{renderCall(grant, handleEnded)}</div>;

  const logo = logoUrl(config);
  const name = config.manifest.brandName ?? config.party.name;
  return (
    <div className="kiosk" data-testid="device-page">
      <header className="brand-bar kiosk__header">
        {logo ? <img className="kiosk__logo" src={logo} alt={name} /> : <span className="kiosk__brand">{name}</span>}
        <span className="kiosk__tools">
          {identity && <span className="kiosk__label">{identity.label}</span>}
          <LanguageSwitch />
        </span>
      </header>
      <main className="kiosk__main">
        {setup.name === 'loading' && <p className="kiosk__lead">{t('tablet.starting')}</p>}
        {setup.name === 'enrol' && (
          <EnrolScreen
            busy={setup.busy}
            error={setup.error && t(setup.error)}
            onEnrol={(code) => void handleEnrol(code)}
          />
        )}
        {identity && channel.status === 'refused' && (
          <section className="kiosk__panel" data-testid="device-refused" aria-labelledby="refused-heading">
            <h1 id="refused-heading">{t('tablet.refused.title')}</h1>
            <p className="kiosk__lead">{t('tablet.refused.detail')}</p>
            <Button size="large" testId="enrol-again" onClick={() => void handleForget()}>
              {t('tablet.refused.again')}
            </Button>
          </section>
        )}
        {identity && channel.status !== 'refused' && call && (
          <RingingScreen
            call={call}
            answering={answering}
            onAnswer={() => void handleAnswer()}
            onDecline={() => void handleDecline()}
          />
        )}
        {identity && channel.status !== 'refused' && !call && (
          <>
            {callProblem && (
              <p className="notice" role="alert">
                {t(callProblem)}
              </p>
            )}
            <WaitingScreen
              status={channel.status}
              messages={channel.messages}
              onReply={channel.reply}
              onDismiss={channel.dismiss}
            />
          </>
        )}
      </main>
      {config.accessibilityStatementUrl ? (
        <footer className="kiosk__footer">
          <a href={config.accessibilityStatementUrl}>{t('shell.accessibilityStatement')}</a>
        </footer>
      ) : null}
    </div>
  );
};
