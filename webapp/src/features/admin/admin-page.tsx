import type { ReactNode } from 'react';

import { Button } from '@/components/button';
import { useT } from '@/lib/i18n';

import type { AdminMessage, AdminSession } from './use-admin-page';

export interface AdminPageHeaderProps {
  /** The h1's id, which names the section. */
  id: string;
  title: string;
  intro?: string;
  session: AdminSession;
  /** The section's classes (default: a panel that stacks its parts). */
  className?: string;
  /** The way in (AdminAccess), in a form of the page's where it asks for more. */
  children: ReactNode;
}

/** An admin page's first panel: its heading (focused when the page opens), intro and the way in. */
export const AdminPageHeader = ({
  id,
  title,
  intro,
  session: { headingRef },
  className = 'panel stack',
  children,
}: AdminPageHeaderProps) => (
  <section className={className} aria-labelledby={id}>
    <h1 id={id} ref={headingRef} tabIndex={-1}>
      {title}
    </h1>
    {intro && <p>{intro}</p>}
    {children}
  </section>
);

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
