import { TwoStepButton } from '@/components/two-step-button';
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
      <td>
        <div className="phonebook-admin__actions">
          <TwoStepButton
            busy={busy}
            ask={{ label: t('admin.phonebook.delete'), testId: 'phonebook-system-delete', srText: ` ${system.name}` }}
            confirm={{
              label: t('admin.phonebook.deleteConfirm', { name: system.name }),
              testId: 'phonebook-system-delete-confirm',
            }}
            undo={{ label: t('admin.phonebook.undo'), testId: 'phonebook-system-delete-cancel' }}
            onConfirm={onDelete}
          />
        </div>
      </td>
    </tr>
  );
};
