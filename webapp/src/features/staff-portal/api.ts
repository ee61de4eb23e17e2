import { ApiError, apiJson, type ApiRequest } from '@/lib/api-client';

/**
 * The staff portal's API (`/api/staff/v1/parties/{party}/...`): the login's HttpOnly cookie
 * goes along by itself (same origin); every change also carries the login's CSRF token.
 */

export type StaffRole = 'staff' | 'scheduler' | 'party_admin' | 'steering_group';

/** Whose meetings the day list shows: hers, her team's, the whole party's (role `scheduler`). */
export type DayScope = 'mine' | 'team' | 'party';

export interface StaffSession {
  party: string;
  party_name: string;
  name: string;
  roles: StaffRole[];
  teams: string[];
  csrf_token: string;
  expires_at: string;
  idle_timeout_seconds: number;
}

export interface StaffMeeting {
  id: string;
  subject: string;
  start: string;
  end: string;
  status: 'scheduled' | 'cancelled' | 'ended';
  opens_at: string;
  /** The citizens' names, only where she may manage the meeting. */
  guests: string[];
  guest_count: number;
  /** She hosts or booked it: she may open and cancel it. */
  mine: boolean;
  team: string | null;
}

export interface StaffDay {
  day: string;
  scope: DayScope;
  meetings: StaffMeeting[];
}

export interface Booking {
  subject: string;
  start: string;
  end: string;
  guests: { display_name: string; phone?: string }[];
}

const base = (party: string): string => `/api/staff/v1/parties/${encodeURIComponent(party)}`;

/** A refusal in words fit to show (`status` 401: not logged in; 0: no answer). */
const problem = (error: ApiError, what: string): ApiError => {
  const say = (message: string) => new ApiError(error.status, error.detail, message);
  switch (error.status) {
    case 0:
      return say(`Ingen forbindelse. Det lykkedes ikke at ${what}.`);
    case 401:
      return say('Du er ikke logget ind (længere). Log ind igen.');
    case 403:
      return say(`Du har ikke adgang til at ${what}.`);
    case 400:
      return say(`Oplysningerne kan ikke bruges: ${error.detail || 'ugyldige'}.`);
    case 410:
      return say('Mødet er slut eller aflyst.');
    case 429:
      return say('Der er booket for mange møder lige nu. Prøv igen om lidt.');
    default:
      return say(`Det lykkedes ikke at ${what}. Prøv igen om lidt.`);
  }
};

/** The login's cookie goes along by itself; `csrf`: a change, which also carries its token. */
const request = async <T>(path: string, what: string, csrf?: string, init: ApiRequest = {}): Promise<T> => {
  try {
    return await apiJson<T>(path, { ...init, headers: csrf ? { 'X-CSRF-Token': csrf } : {} });
  } catch (error) {
    throw error instanceof ApiError ? problem(error, what) : error;
  }
};

/** The login, or null when there is none (401). */
export const fetchSession = async (party: string): Promise<StaffSession | null> => {
  try {
    return await request<StaffSession>(`${base(party)}/session`, 'hente dit login');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
};

/** The meetings starting on `day` (`YYYY-MM-DD`, Danish time): hers, her team's or the party's. */
export const fetchDay = async (party: string, day: string, scope: DayScope = 'mine'): Promise<StaffDay> =>
  request<StaffDay>(`${base(party)}/meetings?${new URLSearchParams({ day, scope }).toString()}`, 'hente møderne');

export const bookMeeting = async (party: string, csrf: string, booking: Booking): Promise<StaffMeeting> =>
  request<StaffMeeting>(`${base(party)}/meetings`, 'booke mødet', csrf, { method: 'POST', body: booking });

export const cancelMeeting = async (party: string, csrf: string, id: string): Promise<void> =>
  request<void>(`${base(party)}/meetings/${id}`, 'aflyse mødet', csrf, { method: 'DELETE' });

/** A host grant for me in this meeting; the page to open then. */
export const openAsHost = async (party: string, csrf: string, id: string): Promise<string> =>
  (await request<{ url: string }>(`${base(party)}/meetings/${id}/host`, 'åbne mødet', csrf, { method: 'POST' })).url;

/** Ends the login here; the login service's own logout page, when it has one. */
export const logout = async (party: string, csrf: string): Promise<string | null> =>
  (await request<{ logout_url: string | null }>(`${base(party)}/logout`, 'logge ud', csrf, { method: 'POST' }))
    .logout_url;
