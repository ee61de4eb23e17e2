import type { ReactNode } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { type AdminLogin, adminLoginUrl } from '@/lib/admin-login';

export interface AdminAccessProps {
  partyId: string;
  /** From useAdminLogin: `undefined` while asking. */
  login: AdminLogin | null | undefined;
  /** The typed admin key: the way in where keys are switched on (the development stack). */
  adminKey: string;
  onAdminKeyChange: (value: string) => void;
  keyError: string | null;
  /** The key field's data-testid, as each page's tests know it (`devices-key-input`, ...). */
  keyTestId: string;
  /** False once a key has opened the page: the field is not needed any more. */
  keyOpen?: boolean;
  /**
   * The key field in a form of its own with this button; without it the field is placed in
   * the caller's form (the statistics page asks for the period in the same form).
   */
  submit?: { label: string; testId: string; disabled: boolean; onSubmit: () => void };
}

/**
 * How a party administrator gets into an admin page (statistics, plugins, devices, branding):
 * with a `party_admin` login of this party the page just says who is logged in; without one
 * it says so, links to the party's staff login (which comes back to this page), and offers
 * the typed admin key as a fallback. The key is kept in memory only, never stored.
 * Here, not in src/components/: the admin pages are Danish only, not translated (see
 * src/locales/translations.test.ts, whose check covers src/components/).
 */
export const AdminAccess = ({
  partyId,
  login,
  adminKey,
  onAdminKeyChange,
  keyError,
  keyTestId,
  keyOpen = true,
  submit,
}: AdminAccessProps) => {
  if (login === undefined) {
    return (
      <p role="status" data-testid="admin-login-checking">
        Henter dit login …
      </p>
    );
  }
  if (login) {
    return (
      <p data-testid="admin-login">
        Logget ind som <strong>{login.name}</strong>
      </p>
    );
  }
  if (!keyOpen) return null;
  const field: ReactNode = (
    <TextField
      label="Administratornøgle"
      hint="Kun hvor administratornøgler er slået til. Nøglen huskes kun, mens siden er åben."
      testId={keyTestId}
      type="password"
      autoComplete="off"
      spellCheck={false}
      error={keyError}
      value={adminKey}
      onChange={(event) => onAdminKeyChange(event.target.value)}
    />
  );
  return (
    <div className="stack" data-testid="admin-no-login">
      <p>
        Du er ikke logget ind som administrator. Log ind med dit medarbejderlogin; bagefter kommer du tilbage til
        denne side.
      </p>
      <p>
        <a className="btn btn--primary btn--normal" href={adminLoginUrl(partyId)} data-testid="admin-login-link">
          Log ind
        </a>
      </p>
      {submit ? (
        <form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            submit.onSubmit();
          }}
          noValidate
        >
          {field}
          <div>
            <Button type="submit" variant="secondary" testId={submit.testId} disabled={submit.disabled}>
              {submit.label}
            </Button>
          </div>
        </form>
      ) : (
        field
      )}
    </div>
  );
};
