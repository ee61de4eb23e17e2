/**
 * The party's usage statistics from the BFF (`GET /api/v1/parties/{party}/stats`; the
 * administrator's login, or X-Admin-Key where keys are on).
 */

import { adminRequest, refusal } from '@/lib/admin-login';
import { ApiError, apiResponse, type ApiSchemas } from '@/lib/api-client';

export type PartyMonth = ApiSchemas['PartyMonth'];

export type MonthFigures = ApiSchemas['MonthFigures'];

export type Statistics = ApiSchemas['Statistics'];

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

const problem = (status: number, adminKey: string): StatsError => {
  if (status === 0) return new StatsError('admin.error.offline');
  if (status === 401) return new StatsError(refusal(adminKey), 401);
  if (status === 400) return new StatsError('admin.stats.error.period', 400);
  return new StatsError('admin.stats.error.failed', status);
};

const request = async (query: StatsQuery, accept: string): Promise<Response> => {
  try {
    // The key alone, or the administrator's login.
    return await apiResponse(url(query), adminRequest(query.adminKey, { accept }));
  } catch (error) {
    throw error instanceof ApiError ? problem(error.status, query.adminKey) : error;
  }
};

export const fetchStatistics = async (query: StatsQuery): Promise<Statistics> =>
  (await (await request(query, 'application/json')).json()) as Statistics;

export const fetchStatisticsCsv = async (query: StatsQuery): Promise<Blob> => (await request(query, 'text/csv')).blob();
