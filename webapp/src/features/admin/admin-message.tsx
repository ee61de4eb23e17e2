import type { ReactNode } from 'react';

import type { AdminMessage } from './use-admin-page';

/** The admin page's live line: "Arbejder …" while busy, then what came of it. */
export const AdminMessageLine = ({
  busy,
  message,
  testId,
  children,
}: {
  busy: boolean;
  message: AdminMessage | null;
  testId: string;
  /** What follows the message (a button to load again). */
  children?: ReactNode;
}) => (
  <div aria-live="polite">
    {busy && <p role="status">Arbejder …</p>}
    {message && (
      <p className={message.error ? 'field__error' : 'notice'} role={message.error ? 'alert' : 'status'} data-testid={testId}>
        {message.text}
      </p>
    )}
    {children}
  </div>
);
