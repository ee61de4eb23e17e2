import type { PhonebookAuditEntry } from '../phonebook-api';

const WHEN = new Intl.DateTimeFormat('da-DK', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Copenhagen' });

/**
 * The look-ups by this party's callers and the look-ups that found its meetings, newest
 * first: when, who looked, how many were found. The person looked up is not in it.
 */
export const AuditTable = ({ entries }: { entries: PhonebookAuditEntry[] }) =>
  entries.length === 0 ? (
    <p data-testid="phonebook-audit-empty">Ingen opslag endnu.</p>
  ) : (
    <div className="phonebook-admin__scroll">
      <table className="phonebook-admin__table" data-testid="phonebook-audit">
        <caption>Opslag i telefonbogen, nyeste først</caption>
        <thead>
          <tr>
            <th scope="col">Tidspunkt</th>
            <th scope="col">Hvem slog op</th>
            <th scope="col">Fundne møder</th>
            <th scope="col">Navne vist</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, index) => (
            <tr key={`${entry.at}:${entry.caller}:${index}`} data-testid="phonebook-audit-row" data-caller={entry.caller}>
              <td>
                <time dateTime={entry.at}>{WHEN.format(new Date(entry.at))}</time>
              </td>
              <td data-testid="phonebook-audit-who">{entry.who}</td>
              <td data-testid="phonebook-audit-results">{entry.results}</td>
              <td>{entry.names_shown ? 'Ja' : 'Nej'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
