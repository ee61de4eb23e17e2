/**
 * The party's branding packages from the BFF (`/api/v1/parties/{party}/branding`): the
 * administrator's login (cookie, and X-CSRF-Token on changes), or X-Admin-Key where keys are on.
 * Every write names the revision it changes (If-Match); the BFF answers 412 when someone else
 * changed the branding first and 422 naming the file and the problem when a package is refused.
 */

import { adminAuth, adminRequest, refusal } from '@/lib/admin-login';
import { ApiError, apiJson, detailOf, type ApiRequest, type ApiSchemas } from '@/lib/api-client';

export type BrandingVersion = ApiSchemas['VersionOut'];

export type BrandingLogEntry = ApiSchemas['LogEntry'];

/** `versions`: newest first; version 0 (the party's default from the installation) last. */
export type BrandingState = ApiSchemas['BrandingState'];

export type UploadResult = ApiSchemas['UploadOut'];

export type PreviewLinks = ApiSchemas['PreviewOut'];

/** A refused request: `message` is the catalogue key of what to show the admin; `detail` is the BFF's. */
export class BrandingApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly detail: string | null = null,
  ) {
    super(message);
  }
}

const base = (party: string): string => `/api/v1/parties/${encodeURIComponent(party)}/branding`;

const failure = (status: number, detail: string | null, adminKey: string): BrandingApiError => {
  switch (status) {
    case 0:
      return new BrandingApiError('admin.error.offline', 0);
    case 401:
      return new BrandingApiError(refusal(adminKey), 401);
    case 404:
      return new BrandingApiError('admin.branding.error.gone', 404, detail);
    case 412:
      return new BrandingApiError('admin.branding.error.stale', 412);
    case 413:
      return new BrandingApiError('admin.branding.error.tooLarge', 413);
    case 400:
    case 422:
      return new BrandingApiError('admin.branding.error.refused', status, detail);
    default:
      return new BrandingApiError('admin.failed', status, detail);
  }
};

const send = async <T>(url: string, adminKey: string, request: ApiRequest = {}): Promise<T> => {
  try {
    return await apiJson<T>(url, adminRequest(adminKey, request)); // the key alone, or the login
  } catch (error) {
    throw error instanceof ApiError ? failure(error.status, error.detail, adminKey) : error;
  }
};

export const fetchBranding = async (party: string, adminKey: string): Promise<BrandingState> =>
  send<BrandingState>(base(party), adminKey);

export const activateVersion = async (
  party: string,
  adminKey: string,
  revision: number,
  version: number,
): Promise<BrandingState> =>
  send<BrandingState>(`${base(party)}/${version}/activate`, adminKey, {
    method: 'POST',
    headers: { 'If-Match': `"${revision}"` },
  });

export const previewLinks = async (party: string, adminKey: string, version: number): Promise<PreviewLinks> =>
  send<PreviewLinks>(`${base(party)}/${version}/preview`, adminKey, { method: 'POST' });

/**
 * Uploads a zip as a new version that is not active yet (`activate=false`: it is previewed
 * first). XMLHttpRequest, not fetch: only it reports upload progress (`onProgress`, 0..1).
 * Authorised as the other requests (adminAuth). Same-origin, XMLHttpRequest always sends the
 * cookie whatever `withCredentials` says; with a key, the BFF goes by the key.
 */
export const uploadPackage = (
  party: string,
  adminKey: string,
  revision: number,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<UploadResult> =>
  new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const auth = adminAuth(adminKey); // the key alone, or the administrator's login
    request.open('POST', `${base(party)}?activate=false`);
    for (const [name, value] of Object.entries(auth.headers)) request.setRequestHeader(name, value);
    request.setRequestHeader('If-Match', `"${revision}"`);
    request.setRequestHeader('Accept', 'application/json');
    request.withCredentials = auth.credentials !== 'omit';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(failure(0, null, adminKey));
    request.onload = () => {
      if (request.status === 201) {
        onProgress(1);
        resolve(JSON.parse(request.responseText) as UploadResult);
      } else {
        reject(failure(request.status, detailOf(request.responseText), adminKey));
      }
    };
    const form = new FormData();
    form.append('package', file, file.name);
    request.send(form);
  });
