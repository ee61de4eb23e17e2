/**
 * The party's usage statistics from the BFF (`GET /api/v1/parties/{party}/stats`; the
 * administrator's login, or X-Admin-Key where keys are on).
 */

import { adminAuth, refusal } from '@/lib/admin-login';

export interface PartyMonth {
  party: string;
  name: string;
  kind: string;
  consultations: number;
  total_minutes: number;
  median_minutes: number | null;
}

export interface MonthFigures {
  month: string;
  consultations: number;
  total_minutes: number;
  median_minutes: number | null;
  municipalities_using_video: number | null;
  parties: PartyMonth[];
}

export interface Statistics {
  scope: 'party' | 'all';
  party: string | null;
  from: string;
  to: string;
  months: MonthFigures[];
}

export interface StatsQuery {
  party: string;
  adminKey: string;
  from: string;
  to: string;
}

/** A failed request: `message` is the catalogue key of what to show (`status` 0: no answer). */
export class StatsError extends Error {
  constructor(
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }
}

const url = ({ party, from, to }: StatsQuery): string =>
  `/api/v1/parties/${encodeURIComponent(party)}/stats?${new URLSearchParams({ from, to }).toString()}`;

const problem = async (response: Response, adminKey: string): Promise<StatsError> => {
  if (response.status === 401) return new StatsError(refusal(adminKey), 401);
  if (response.status === 400) return new StatsError('admin.stats.error.period', 400);
  return new StatsError('admin.stats.error.failed', response.status);
};

const request = async (query: StatsQuery, accept: string): Promise<Response> => {
  let response: Response;
  try {
    const auth = adminAuth(query.adminKey); // the key alone, or the administrator's login
    response = await fetch(url(query), {
      headers: { ...auth.headers, Accept: accept },
      credentials: auth.credentials,
      cache: 'no-store',
    });
  } catch {
    throw new StatsError('admin.error.offline');
  }
  if (!response.ok) throw await problem(response, query.adminKey);
  return response;
};

export const fetchStatistics = async (query: StatsQuery): Promise<Statistics> =>
  (await (await request(query, 'application/json')).json()) as Statistics;

export const fetchStatisticsCsv = async (query: StatsQuery): Promise<Blob> => (await request(query, 'text/csv')).blob();
