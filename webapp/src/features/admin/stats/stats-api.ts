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

const url = ({ party, from, to }: StatsQuery): string =>
  `/api/v1/parties/${encodeURIComponent(party)}/stats?${new URLSearchParams({ from, to }).toString()}`;

/** A refusal in words fit to show the admin (`status` 0: no answer). */
const problem = (error: ApiError, adminKey: string): ApiError => {
  switch (error.status) {
    case 0:
      return new ApiError(0, null, 'Ingen forbindelse. Tjek netværket og prøv igen.');
    case 401:
      return new ApiError(401, null, refusal(adminKey));
    case 400:
      return new ApiError(400, error.detail, `Perioden kan ikke bruges (${error.detail ?? 'ugyldig'}).`);
    default:
      return new ApiError(error.status, error.detail, 'Statistikken kunne ikke hentes. Prøv igen om lidt.');
  }
};

const request = async (query: StatsQuery, accept: string): Promise<Response> => {
  try {
    return await apiResponse(url(query), adminRequest(query.adminKey, { accept }));
  } catch (error) {
    throw error instanceof ApiError ? problem(error, query.adminKey) : error;
  }
};

export const fetchStatistics = async (query: StatsQuery): Promise<Statistics> =>
  (await (await request(query, 'application/json')).json()) as Statistics;

export const fetchStatisticsCsv = async (query: StatsQuery): Promise<Blob> =>
  (await request(query, 'text/csv')).blob();
