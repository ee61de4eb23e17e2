import { useI18n } from '@/lib/i18n';

import type { PhonebookAuditEntry } from '../phonebook-api';

/**
 * The look-ups by this party's callers and the look-ups that found its meetings, newest
 * first: when, who looked, how many were found. The person looked up is not in it.
 */
export const AuditTable = ({ entries }: { entries: PhonebookAuditEntry[] }) => {
  const { t, language } = useI18n();
  const when = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'medium',
    timeZone: 'Europe/Copenhagen',
  });
  return entries.length === 0 ? (
    <p data-testid="phonebook-audit-empty">{t('admin.phonebook.noAudit')}</p>
  ) : (
    <div className="phonebook-admin__scroll" role="region" aria-labelledby="phonebook-audit-caption" tabIndex={0}>
      <table className="phonebook-admin__table" data-testid="phonebook-audit">
        <caption id="phonebook-audit-caption">{t('admin.phonebook.auditCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.plugins.colWhen')}</th>
            <th scope="col">{t('admin.phonebook.colWho')}</th>
            <th scope="col">{t('admin.phonebook.colFound')}</th>
            <th scope="col">{t('admin.phonebook.colNames')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, index) => (
            <tr
              key={`${entry.at}:${entry.caller}:${index}`}
              data-testid="phonebook-audit-row"
              data-caller={entry.caller}
            >
              <td>
                <time dateTime={entry.at}>{when.format(new Date(entry.at))}</time>
              </td>
              <td data-testid="phonebook-audit-who">{entry.who}</td>
              <td data-testid="phonebook-audit-results">{entry.results}</td>
              <td>{entry.names_shown ? t('admin.yes') : t('admin.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
};
