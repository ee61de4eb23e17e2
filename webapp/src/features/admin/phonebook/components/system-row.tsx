import { useEffect, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { useI18n } from '@/lib/i18n';
import { danishDateTime } from '@/lib/meeting-time';

import type { PhonebookSystem } from '../phonebook-api';

export interface SystemRowProps {
  system: PhonebookSystem;
  busy: boolean;
  onDelete: () => void;
}

/** One registered system in the table, with "Slet" (asked twice: its key stops working at once). */
export const SystemRow = ({ system, busy, onDelete }: SystemRowProps) => {
  const { t, language } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLTableCellElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.querySelector('button')?.focus(); // keep the keyboard where it was
  }, [confirming]);
  return (
    <tr data-testid="phonebook-system-row" data-system-id={system.id}>
      <th scope="row">{system.name}</th>
      <td>{system.report ? t('admin.yes') : t('admin.no')}</td>
      <td>{system.lookup ? t('admin.yes') : t('admin.no')}</td>
      <td>
        <time dateTime={system.created_at}>
          {danishDateTime(system.created_at, language, { dateStyle: 'short', timeStyle: 'short' })}
        </time>
      </td>
      <td ref={confirmRef}>
        <div className="phonebook-admin__actions">
          {confirming ? (
            <>
              <Button variant="danger" testId="phonebook-system-delete-confirm" disabled={busy} onClick={onDelete}>
                {t('admin.phonebook.deleteConfirm', { name: system.name })}
              </Button>
              <Button
                variant="secondary"
                testId="phonebook-system-delete-cancel"
                disabled={busy}
                onClick={() => setConfirming(false)}
              >
                {t('admin.phonebook.undo')}
              </Button>
            </>
          ) : (
            <Button
              srText={` ${system.name}`}
              variant="secondary"
              testId="phonebook-system-delete"
              disabled={busy}
              onClick={() => setConfirming(true)}
            >
              {t('admin.phonebook.delete')}
            </Button>
          )}
        </div>
      </td>
    </tr>
  );
};
