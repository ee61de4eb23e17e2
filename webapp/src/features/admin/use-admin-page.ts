import { type RefObject, useEffect, useEffectEvent, useState } from 'react';

import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { type AdminLogin, useAdminLogin } from '@/lib/admin-login';
import { useT } from '@/lib/i18n';

/** What AdminAccess takes from the page's session (spread into it). */
export interface AdminAccessState {
  partyId: string;
  /** From useAdminLogin: `undefined` while asking. */
  login: AdminLogin | null | undefined;
  /** The typed admin key: the way in where keys are switched on (the development stack). */
  adminKey: string;
  onAdminKeyChange: (value: string) => void;
  keyError: string | null;
}

export interface AdminSession {
  access: AdminAccessState;
  /** From useAdminLogin: `undefined` while asking. */
  login: AdminLogin | null | undefined;
  recheckLogin: () => void;
  /** The admin key to send: '' with a login (it needs none), else the typed key. */
  key: string;
  /** The page's h1: focused when the page opens. */
  headingRef: RefObject<HTMLHeadingElement | null>;
  /** False (and the key field says so) when there is neither a login nor a typed key. */
  checkKey: () => boolean;
}

/**
 * The way into an admin page: a party_admin login, or the typed admin key (kept in memory
 * only, never stored) where keys are switched on.
 */
export const useAdminSession = (partyId: string): AdminSession => {
  const t = useT();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [adminKey, setAdminKey] = useState('');
  const [keyError, setKeyError] = useState<string | null>(null);
  const [login, recheckLogin] = useAdminLogin(partyId); // an administrator's login needs no key
  const key = login ? '' : adminKey.trim();
  const checkKey = () => {
    const found = Boolean(key || login);
    setKeyError(found ? null : t('admin.key.missing'));
    return found;
  };
  return {
    access: { partyId, login, adminKey, onAdminKeyChange: setAdminKey, keyError },
    login,
    recheckLogin,
    key,
    headingRef,
    checkKey,
  };
};

/** The line under an admin page's heading: what was done, or why not. */
export interface AdminMessage {
  text: string;
  error: boolean;
  /** The BFF's reason, where the page shows it. */
  detail?: string | null;
  /** Someone else changed it first: the page offers to load it again. */
  stale?: boolean;
}

export interface AdminActionsOptions {
  /** The message for a failed action (`key`: the admin key it was sent with). */
  describe: (error: unknown, key: string) => Omit<AdminMessage, 'stale'>;
  /** A 401: what the page had loaded is put away (the way in is offered again). */
  onRefused: () => void;
}

const statusOf = (error: unknown): unknown => (error instanceof Error && 'status' in error ? error.status : undefined);

/**
 * An admin page's actions, one at a time: `busy` while one runs, its failure as the message;
 * a refusal puts away what was loaded and, where the login was used, asks for the login again
 * (it may have ended); a 412 (someone else changed it first) marks the message stale. `report` clears the message first and says `done` when it went well.
 */
export const useAdminActions = (session: AdminSession, { describe, onRefused }: AdminActionsOptions) => {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<AdminMessage | null>(null);
  const { key } = session;

  const run = async (work: () => Promise<void>, onError?: (error: unknown) => void) => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      const status = statusOf(error);
      setMessage({ ...describe(error, key), stale: status === 412 });
      onError?.(error);
      if (status === 401) {
        onRefused();
        if (!key) session.recheckLogin(); // the login may have ended: offer to log in again
      }
    } finally {
      setBusy(false);
    }
  };

  const report = (work: () => Promise<void>, done?: string, onError?: (error: unknown) => void) => {
    setMessage(null);
    return run(async () => {
      await work();
      if (done) setMessage({ text: done, error: false });
    }, onError);
  };

  return { busy, message, setMessage, run, report };
};

/**
 * Opens the page (`open`: its first load) once the login is known, or when the typed key is
 * sent: the returned handler is the key form's.
 */
export const useAdminOpening = (session: AdminSession, open: () => void): (() => void) => {
  const openWithLogin = useEffectEvent(open);
  const { login } = session;
  useEffect(() => {
    if (login) void Promise.resolve().then(openWithLogin); // after this render, as the login's answer
  }, [login]);
  return () => {
    if (session.checkKey()) open();
  };
};
