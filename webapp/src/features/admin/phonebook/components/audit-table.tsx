import { DataTable } from '@/components/data-table';
import { useI18n } from '@/lib/i18n';
import { danishDateTime } from '@/lib/meeting-time';

import type { PhonebookAuditEntry } from '../phonebook-api';

/**
 * The look-ups by this party's callers and the look-ups that found its meetings, newest
 * first: when, who looked, how many were found. The person looked up is not in it.
 */
export const AuditTable = ({ entries }: { entries: PhonebookAuditEntry[] }) => {
  const { t, language } = useI18n();
  return entries.length === 0 ? (
    <p data-testid="phonebook-audit-empty">{t('admin.phonebook.noAudit')}</p>
  ) : (
    <DataTable
      className="phonebook-admin__table"
      testId="phonebook-audit"
      scroll={{ className: 'phonebook-admin__scroll' }}
      caption={t('admin.phonebook.auditCaption')}
      columns={[
        t('admin.plugins.colWhen'),
        t('admin.phonebook.colWho'),
        t('admin.phonebook.colFound'),
        t('admin.phonebook.colNames'),
      ]}
    >
      {entries.map((entry, index) => (
        <tr key={`${entry.at}:${entry.caller}:${index}`} data-testid="phonebook-audit-row" data-caller={entry.caller}>
          <td>
            <time dateTime={entry.at}>
              {danishDateTime(entry.at, language, { dateStyle: 'short', timeStyle: 'medium' })}
            </time>
          </td>
          <td data-testid="phonebook-audit-who">{entry.who}</td>
          <td data-testid="phonebook-audit-results">{entry.results}</td>
          <td>{entry.names_shown ? t('admin.yes') : t('admin.no')}</td>
        </tr>
      ))}
    </DataTable>
  );
};
