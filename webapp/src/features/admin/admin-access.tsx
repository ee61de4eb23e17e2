import type { ReactNode } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { adminLoginUrl } from '@/lib/admin-login';
import { useT } from '@/lib/i18n';

import type { AdminAccessState } from './use-admin-page';

/** The session's part (useAdminSession's `access`) and the page's own. */
export interface AdminAccessProps extends AdminAccessState {
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
  const t = useT();
  if (login === undefined) {
    return (
      <p role="status" data-testid="admin-login-checking">
        {t('portal.loadingLogin')}
      </p>
    );
  }
  if (login) {
    return (
      <p data-testid="admin-login">
        {t('portal.loggedInAs')} <strong>{login.name}</strong>
      </p>
    );
  }
  if (!keyOpen) return null;
  const field: ReactNode = (
    <TextField
      label={t('admin.key.label')}
      hint={t('admin.key.hint')}
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
      <p>{t('admin.notLoggedIn')}</p>
      <p>
        <a className="btn btn--primary btn--normal" href={adminLoginUrl(partyId)} data-testid="admin-login-link">
          {t('portal.login')}
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
