/** The BFF's phonebook plugin API (POST /api/plugin/v1/phonebook/{lookup,join,move,dial}). */
import type { PluginContext } from '../../shared/context';
import { t } from './messages';

export type RefKind = 'cpr' | 'staff';

export interface PhonebookResult {
  handle: string;
  system: { id: string; name: string };
  party: { id: string; name: string };
  meeting: { alias: string; title: string | null; ends_at: string };
  since: string;
  role: 'host' | 'guest';
  display_name: string | null;
  can_join: boolean;
  can_move: boolean;
  can_dial: boolean;
}

export interface LookupAnswer {
  count: number;
  names_shown: boolean;
  results: PhonebookResult[];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

const CPR = /^(\d{2})(\d{2})\d{2}-?\d{4}$/;

/** A reason the reference cannot be sent, or null (the BFF checks it again). */
export const checkReference = (kind: RefKind, value: string): string | null => {
  const trimmed = value.trim();
  if (trimmed === '') return t('empty');
  if (kind === 'cpr') {
    const match = CPR.exec(trimmed);
    if (!match) return t('cprForm');
    const day = Number(match[1]);
    const month = Number(match[2]);
    if (day < 1 || day > 31 || month < 1 || month > 12) return t('cprDate');
  }
  return null;
};

const reason = (status: number, detail: string | undefined): string => {
  if (status === 401) return t('expired');
  if (status === 403) return t('forbidden', { reason: detail ?? t('noAccess') });
  if (status === 404 || status === 410) return t('stale');
  if (status === 409) {
    // the BFF will not move someone out of a meeting nobody hosts while others wait in it
    return t('noHost');
  }
  if (status === 429) return t('tooMany');
  return detail ? t('failed', { reason: detail }) : t('failedStatus', { status });
};

export const call = async <T>(context: PluginContext, action: string, body: object): Promise<Outcome<T>> => {
  if (context.token === null) return { ok: false, message: t('hostOnly') };
  try {
    const answer = await fetch(`${context.api}/api/plugin/v1/phonebook/${action}`, {
      method: 'POST',
      credentials: 'omit',
      headers: { Authorization: `Bearer ${context.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = (await answer.json().catch(() => ({}))) as T & { detail?: string };
    if (answer.ok) return { ok: true, value: data };
    return { ok: false, message: reason(answer.status, data.detail) };
  } catch {
    return { ok: false, message: t('offline') };
  }
};
