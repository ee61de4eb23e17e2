import { useState } from 'react';

import { ApiError } from '@/lib/api-client';
import { type AdminLogin, useAdminLoginAsked } from '@/lib/admin-login';

import type { AdminAccessProps } from './admin-access';

export interface AdminMessage {
  text: string;
  error: boolean;
  /** The BFF's reason, where the page shows it. */
  detail?: string | null;
  /** Someone else changed it first (412): the page offers to load it again. */
  stale?: boolean;
}

export interface AdminPageOptions {
  partyId: string;
  /** Loads the page with this key ('' : the administrator's login). */
  open: (key: string) => Promise<void>;
  /** What a failure says to the administrator. */
  reasonOf: (error: unknown, key: string) => string;
  /** A refusal (401): the key or the login no longer holds; forget what was shown. */
  onRefused: () => void;
  /** Whether a new piece of work clears the last message (default); else the work says. */
  clearMessage?: boolean;
}

export interface AdminPage {
  login: AdminLogin | null | undefined;
  /** The key to send: '' with a login (the login's cookie authorises). */
  key: string;
  busy: boolean;
  message: AdminMessage | null;
  setMessage: (message: AdminMessage | null) => void;
  /** One piece of work: busy meanwhile, `done` said after it, a failure said in its words. */
  run: (work: () => Promise<void>, done?: string, onError?: (error: unknown) => void) => Promise<void>;
  /** AdminAccess's login and key props; `submitKey` opens the page with the typed key. */
  access: Pick<AdminAccessProps, 'partyId' | 'login' | 'adminKey' | 'onAdminKeyChange' | 'keyError'>;
  submitKey: () => void;
}

/**
 * What every admin page does the same way: the party_admin login opens it at once, else the
 * typed admin key (kept in memory only); one piece of work at a time with its message; a
 * refusal forgets what was shown and asks for the login again.
 */
export const useAdminPage = ({
  partyId,
  open,
  reasonOf,
  onRefused,
  clearMessage = true,
}: AdminPageOptions): AdminPage => {
  const [adminKey, setAdminKey] = useState('');
  const [keyError, setKeyError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<AdminMessage | null>(null);
  const [loginAsked, setLoginAsked] = useState(0);

  const runWith = async (
    key: string,
    work: () => Promise<void>,
    done?: string,
    onError?: (error: unknown) => void,
  ): Promise<void> => {
    setBusy(true);
    if (clearMessage) setMessage(null);
    try {
      await work();
      if (done) setMessage({ text: done, error: false });
    } catch (error) {
      const known = error instanceof ApiError ? error : null;
      setMessage({ text: reasonOf(error, key), error: true, detail: known?.detail ?? null, stale: known?.status === 412 });
      onError?.(error);
      if (known?.status === 401) {
        onRefused();
        if (!key) setLoginAsked((n) => n + 1); // the login may have ended: offer to log in again
      }
    } finally {
      setBusy(false);
    }
  };

  // A login opens the page once, when it is known (a new login again; the same one does not).
  const login = useAdminLoginAsked(partyId, loginAsked, () => void runWith('', () => open('')));
  const key = login ? '' : adminKey.trim();

  return {
    login,
    key,
    busy,
    message,
    setMessage,
    run: (work, done, onError) => runWith(key, work, done, onError),
    access: { partyId, login, adminKey, onAdminKeyChange: setAdminKey, keyError },
    submitKey: () => {
      setKeyError(key ? null : 'Skriv partens administratornøgle.');
      if (key) void runWith(key, () => open(key));
    },
  };
};
