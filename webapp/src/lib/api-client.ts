/**
 * The one way the webapp talks to the BFF: same-origin JSON requests, never cached, and one
 * error for every refusal (ApiError: the HTTP status and the BFF's `detail`). Each feature
 * names its endpoints and turns an ApiError into words for its users; none calls fetch itself.
 * Types of the bodies: ./api-types.gen.ts (generated from the BFF's OpenAPI).
 */

import type { components } from './api-types.gen';

/** The bodies the BFF's OpenAPI document describes, by their schema name (`ApiSchemas['DeviceOut']`). */
export type ApiSchemas = components['schemas'];

/** A refused request (`status`: HTTP status; 0: no answer) with the BFF's reason (`detail`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | null,
    message: string = detail ?? (status === 0 ? 'no answer' : `HTTP ${status}`),
  ) {
    super(message);
  }
}

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON (sent with Content-Type: application/json), or a Blob or FormData as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Default: same-origin (the session or login cookie goes along). */
  credentials?: RequestCredentials;
  /** Default: application/json. */
  accept?: string;
  /** Sent even when the page goes away (pagehide). */
  keepalive?: boolean;
}

/** The BFF's `detail` (its reason, written for developers), when the body has one. */
export const detailOf = (text: string): string | null => {
  try {
    const body = JSON.parse(text) as { detail?: unknown };
    return typeof body.detail === 'string' ? body.detail : null;
  } catch {
    return null;
  }
};

const bodyOf = (body: unknown): BodyInit | undefined => {
  if (body === undefined) return undefined;
  if (body instanceof Blob || body instanceof FormData) return body;
  return JSON.stringify(body);
};

/** The answer when it is a success; an ApiError otherwise (status 0 when nothing answered). */
export const apiResponse = async (path: string, request: ApiRequest = {}): Promise<Response> => {
  const json = request.body !== undefined && !(request.body instanceof Blob || request.body instanceof FormData);
  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method ?? 'GET',
      headers: {
        Accept: request.accept ?? 'application/json',
        ...(json ? { 'Content-Type': 'application/json' } : {}),
        ...request.headers,
      },
      body: bodyOf(request.body),
      credentials: request.credentials ?? 'same-origin',
      cache: 'no-store',
      keepalive: request.keepalive ?? false,
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    throw new ApiError(response.status, detailOf(await response.text().catch(() => '')) ?? response.statusText);
  }
  return response;
};

/** The answer's JSON body (undefined when it has none: 204 No Content). */
export const apiJson = async <T>(path: string, request: ApiRequest = {}): Promise<T> => {
  const text = await (await apiResponse(path, request)).text();
  return (text ? JSON.parse(text) : undefined) as T;
};

/** A request whose answer does not matter (a beacon, a release on the way out): never throws. */
export const apiSend = async (path: string, request: ApiRequest = {}): Promise<boolean> => {
  try {
    await apiResponse(path, request);
    return true;
  } catch {
    return false;
  }
};

/** The header that names the revision a write changes (the BFF answers 412 when it is no longer the latest). */
export const ifMatch = (revision: number): { 'If-Match': string } => ({ 'If-Match': `"${revision}"` });

/** `/api/v1/parties/{party}` and the rest of the path, the party's id encoded. */
export const partyPath = (prefix: string, party: string, rest = ''): string =>
  `${prefix}/parties/${encodeURIComponent(party)}${rest}`;
