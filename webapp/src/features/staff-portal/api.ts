/**
 * The staff portal's API (`/api/staff/v1/parties/{party}/...`): the login's HttpOnly cookie
 * goes along by itself (same origin); every change also carries the login's CSRF token.
 */

import { ApiError, type ApiRequest, type ApiSchemas, apiResponse } from '@/lib/api-client';

/** The login (StaffSession): who, her roles and teams, and the CSRF token changes carry. */
export type StaffSession = ApiSchemas['StaffSessionOut'];

export type StaffRole = StaffSession['roles'][number];

/** A meeting of the day: the citizens' names only where she may manage it; `mine`: she hosts
 * or booked it (she may open and cancel it). */
export type StaffMeeting = ApiSchemas['StaffMeeting'];

export type StaffDay = ApiSchemas['StaffDay'];

/** Whose meetings the day list shows: hers, her team's, the whole party's (role `scheduler`). */
export type DayScope = StaffDay['scope'];

/** What the portal books (StaffBookMeeting): as a case system books (CreateMeeting). */
export type Booking = ApiSchemas['MeetingCreate'];

/** What a request was for: the message says it (`portal.action.<what>` in the catalogue). */
export type StaffAction = 'session' | 'day' | 'book' | 'cancel' | 'open' | 'logout';

/** A failed request: `status` (0: no connection; 401: not logged in) and what it was for. */
export class StaffApiError extends Error {
  constructor(
    readonly status: number,
    readonly action: StaffAction,
  ) {
    super(`staff request ${action} failed: ${status}`);
  }
}

const base = (party: string): string => `/api/staff/v1/parties/${encodeURIComponent(party)}`;

const request = async (url: string, init: ApiRequest, what: StaffAction): Promise<Response> => {
  try {
    return await apiResponse(url, init);
  } catch (error) {
    throw error instanceof ApiError ? new StaffApiError(error.status, what) : error;
  }
};

const changing = (csrf: string): Record<string, string> => ({ 'X-CSRF-Token': csrf });

/** The login, or null when there is none (401). */
export const fetchSession = async (party: string): Promise<StaffSession | null> => {
  try {
    return (await (await request(`${base(party)}/session`, {}, 'session')).json()) as StaffSession;
  } catch (error) {
    if (error instanceof StaffApiError && error.status === 401) return null;
    throw error;
  }
};

/** The meetings starting on `day` (`YYYY-MM-DD`, Danish time): hers, her team's or the party's. */
export const fetchDay = async (party: string, day: string, scope: DayScope = 'mine'): Promise<StaffDay> => {
  const query = new URLSearchParams({ day, scope });
  return (await (await request(`${base(party)}/meetings?${query.toString()}`, {}, 'day')).json()) as StaffDay;
};

export const bookMeeting = async (party: string, csrf: string, booking: Booking): Promise<StaffMeeting> =>
  (await (
    await request(`${base(party)}/meetings`, { method: 'POST', headers: changing(csrf), body: booking }, 'book')
  ).json()) as StaffMeeting;

export const cancelMeeting = async (party: string, csrf: string, id: string): Promise<void> => {
  await request(`${base(party)}/meetings/${id}`, { method: 'DELETE', headers: changing(csrf) }, 'cancel');
};

/** A host grant for me in this meeting; the page to open then. */
export const openAsHost = async (party: string, csrf: string, id: string): Promise<string> => {
  const response = await request(
    `${base(party)}/meetings/${id}/host`,
    { method: 'POST', headers: changing(csrf) },
    'open',
  );
  return ((await response.json()) as ApiSchemas['HostOut']).url;
};

/** Ends the login here; the login service's own logout page, when it has one. */
export const logout = async (party: string, csrf: string): Promise<string | null> => {
  const response = await request(`${base(party)}/logout`, { method: 'POST', headers: changing(csrf) }, 'logout');
  return ((await response.json()) as ApiSchemas['LogoutOut']).logout_url;
};
