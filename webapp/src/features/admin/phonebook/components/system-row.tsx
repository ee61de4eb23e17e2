import { useEffect, useRef, useState } from 'react';

import { Button } from '@/components/button';

import type { PhonebookSystem } from '../phonebook-api';

const WHEN = new Intl.DateTimeFormat('da-DK', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Copenhagen' });

export interface SystemRowProps {
  system: PhonebookSystem;
  busy: boolean;
  onDelete: () => void;
}

/** One registered system in the table, with "Slet" (asked twice: its key stops working at once). */
export const SystemRow = ({ system, busy, onDelete }: SystemRowProps) => {
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLTableCellElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.querySelector('button')?.focus(); // keep the keyboard where it was
  }, [confirming]);
  return (
    <tr data-testid="phonebook-system-row" data-system-id={system.id}>
      <th scope="row">{system.name}</th>
      <td>{system.report ? 'Ja' : 'Nej'}</td>
      <td>{system.lookup ? 'Ja' : 'Nej'}</td>
      <td>
        <time dateTime={system.created_at}>{WHEN.format(new Date(system.created_at))}</time>
      </td>
      <td ref={confirmRef}>
        <div className="phonebook-admin__actions">
        {confirming ? (
          <>
            <Button variant="danger" testId="phonebook-system-delete-confirm" disabled={busy} onClick={onDelete}>
              Ja, slet {system.name}
            </Button>
            <Button variant="secondary" testId="phonebook-system-delete-cancel" disabled={busy} onClick={() => setConfirming(false)}>
              Fortryd
            </Button>
          </>
        ) : (
          <Button
            variant="secondary"
            testId="phonebook-system-delete"
            aria-label={`Slet ${system.name}`}
            disabled={busy}
            onClick={() => setConfirming(true)}
          >
            Slet
          </Button>
        )}
        </div>
      </td>
    </tr>
  );
};
