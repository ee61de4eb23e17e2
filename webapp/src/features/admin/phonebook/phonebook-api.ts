/**
 * The party's dynamic phonebook for its administrator (`/api/v1/parties/{party}/phonebook/...`):
 * the administrator's login (cookie, and X-CSRF-Token on changes), or X-Admin-Key where keys are on.
 */

import { adminApi } from '@/lib/admin-login';
import type { ApiSchemas } from '@/lib/api-client';

export type PhonebookSystem = ApiSchemas['SystemOut'];

/** A newly registered system: `key` is shown once, only its sha256 is kept. */
export type PhonebookSystemCreated = ApiSchemas['SystemCreated'];

export type PolicyField = 'lookup_from' | 'join_from' | 'move_from' | 'dial_from';

/** The BFF always sends every field (their defaults are optional only in what it takes). */
export type PhonebookPolicy = Required<ApiSchemas['PolicyOut']>;

export type PhonebookAuditEntry = ApiSchemas['AuditEntry'];

const request = adminApi('/phonebook');

export const listSystems = (partyId: string, adminKey: string): Promise<PhonebookSystem[]> =>
  request(partyId, adminKey, '/systems');

export const registerSystem = (
  partyId: string,
  adminKey: string,
  system: { name: string; report: boolean; lookup: boolean },
): Promise<PhonebookSystemCreated> => request(partyId, adminKey, '/systems', { method: 'POST', body: system });

export const removeSystem = (partyId: string, adminKey: string, systemId: string): Promise<void> =>
  request(partyId, adminKey, `/systems/${encodeURIComponent(systemId)}`, { method: 'DELETE' });

export const getPolicy = (partyId: string, adminKey: string): Promise<PhonebookPolicy> =>
  request(partyId, adminKey, '/policy');

export const setPolicy = (partyId: string, adminKey: string, policy: PhonebookPolicy): Promise<PhonebookPolicy> =>
  request(partyId, adminKey, '/policy', { method: 'PUT', body: policy });

export const readAudit = (partyId: string, adminKey: string, limit = 100): Promise<PhonebookAuditEntry[]> =>
  request(partyId, adminKey, `/audit?limit=${limit}`);

/** "a, b ,*" → ["a", "b", "*"]: the field's party ids, comma or space separated. */
export const parseParties = (text: string): string[] =>
  text
    .split(/[\s,;]+/)
    .map((part) => part.trim().toLowerCase())
    .filter(Boolean);

export const PARTY_ID = /^(\*|[a-z0-9][a-z0-9-]{0,62})$/;

/**
 * The policy field a refusal's reason names (`join_from[0]: no such party`, or a validation
 * message at `$.move_from[1]`), with the index when there is one; null: no field named.
 */
export const fieldOfReason = (reason: string): { field: PolicyField; index: number | null } | null => {
  const found = /(lookup_from|join_from|move_from|dial_from)(?:\[(\d+)\])?/.exec(reason);
  if (!found) return null;
  return { field: found[1] as PolicyField, index: found[2] === undefined ? null : Number(found[2]) };
};
