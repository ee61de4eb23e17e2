import type { ReactNode } from 'react';

import { Button } from '@/components/button';
import type { AdminPageId } from '@/lib/admin-pages';
import { useT } from '@/lib/i18n';

import { AdminAccess } from './admin-access';

import type { AdminMessage, AdminSession } from './use-admin-page';

export interface AdminPageHeaderProps {
  /** The page: its title is `admin.{page}.title` (with the party's name), its h1's id `{page}-heading`. */
  page: AdminPageId;
  partyName: string;
  intro?: string;
  session: AdminSession;
  /** The section's classes (default: a panel that stacks its parts). */
  className?: string;
  /** The way in (AdminAccess), in a form of its own or of the page's (statistics asks for more). */
  children: ReactNode;
}

/** An admin page's first panel: its heading (focused when the page opens), intro and the way in. */
export const AdminPageHeader = ({
  page,
  partyName,
  intro,
  session: { headingRef },
  className = 'panel stack',
  children,
}: AdminPageHeaderProps) => {
  const t = useT();
  const id = `${page}-heading`;
  return (
    <section className={className} aria-labelledby={id}>
      <h1 id={id} ref={headingRef} tabIndex={-1}>
        {t(`admin.${page}.title`, { party: partyName })}
      </h1>
      {intro && <p>{intro}</p>}
      {children}
    </section>
  );
};

export interface AdminPageProps extends Omit<AdminPageHeaderProps, 'className' | 'children'> {
  /** The key form's button, and whether the key field shows (`keyOpen`: see AdminAccess). */
  open: { label: string; keyOpen: boolean; onSubmit: () => void };
  busy: boolean;
  message: AdminMessage | null;
  /** Load again when the page's data went stale: a button `admin.{page}.reload` (`{page}-reload`). */
  onReload?: () => void;
  /** The status line's own parts, where the page has them (AdminStatus). */
  status?: Partial<Pick<AdminStatusProps, 'busy' | 'className' | 'show'>>;
  /** What the page shows once it is open. */
  children: ReactNode;
}

/**
 * An admin page (class `{page}-admin`) that opens with the login or the typed key: its header
 * with the way in (test ids `{page}-key-input` and `{page}-key-submit`), the status line
 * (`{page}-message`), then the page's own parts.
 */
export const AdminPage = ({
  page,
  session,
  open,
  busy,
  message,
  onReload,
  status,
  children,
  ...header
}: AdminPageProps) => {
  const t = useT();
  const reload = onReload && { label: t(`admin.${page}.reload`), testId: `${page}-reload`, onClick: onReload };
  return (
    <div className={`${page}-admin stack`}>
      <AdminPageHeader page={page} session={session} {...header}>
        <AdminAccess
          {...session.access}
          keyTestId={`${page}-key-input`}
          keyOpen={open.keyOpen}
          submit={{ label: open.label, testId: `${page}-key-submit`, disabled: busy, onSubmit: open.onSubmit }}
        />
      </AdminPageHeader>
      <AdminStatus busy={busy} message={message} testId={`${page}-message`} reload={reload} {...status} />
      {children}
    </div>
  );
};

export interface AdminSectionProps {
  /** The h2's id, which names the section. */
  id: string;
  title: ReactNode;
  intro?: string;
  testId?: string;
  /** A list the administrator loads again: its button ("Opdater listen") under the intro. */
  refresh?: { testId: string; disabled: boolean; onClick: () => void };
  children: ReactNode;
}

/** One part of an admin page: a panel named by its h2. */
export const AdminSection = ({ id, title, intro, testId, refresh, children }: AdminSectionProps) => {
  const t = useT();
  return (
    <section className="panel stack" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {intro && <p>{intro}</p>}
      {refresh && (
        <div>
          <Button variant="secondary" testId={refresh.testId} disabled={refresh.disabled} onClick={refresh.onClick}>
            {t('admin.refreshList')}
          </Button>
        </div>
      )}
      {children}
    </section>
  );
};

export interface AdminStatusProps {
  busy: boolean;
  message: AdminMessage | null;
  /** The message's data-testid, as each page's tests know it (`devices-message`, ...). */
  testId: string;
  /** With a stale message: the button that loads the page again. */
  reload?: { label: string; testId: string; onClick: () => void };
  className?: string;
  /** The message as the page shows it, instead of the one line. */
  show?: (message: AdminMessage) => ReactNode;
}

/** What is going on, announced politely: "Arbejder …", then what was done or why not. */
export const AdminStatus = ({ busy, message, testId, reload, className, show }: AdminStatusProps) => {
  const t = useT();
  return (
    <div aria-live="polite" className={className}>
      {busy && <p role="status">{t('admin.working')}</p>}
      {message &&
        (show ? (
          show(message)
        ) : (
          <p
            className={message.error ? 'field__error' : 'notice'}
            role={message.error ? 'alert' : 'status'}
            data-testid={testId}
          >
            {message.text}
          </p>
        ))}
      {reload && message?.stale && (
        <Button variant="secondary" testId={reload.testId} disabled={busy} onClick={reload.onClick}>
          {reload.label}
        </Button>
      )}
    </div>
  );
};
