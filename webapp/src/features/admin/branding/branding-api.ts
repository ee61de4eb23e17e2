/**
 * The party's branding packages from the BFF (`/api/v1/parties/{party}/branding`): the
 * administrator's login (cookie, and X-CSRF-Token on changes), or X-Admin-Key where keys are on.
 * Every write names the revision it changes (If-Match); the BFF answers 412 when someone else
 * changed the branding first and 422 naming the file and the problem when a package is refused.
 */

import { adminAuth, adminRequest, refusal } from '@/lib/admin-login';
import { ApiError, apiJson, type ApiRequest, type ApiSchemas, detailOf } from '@/lib/api-client';

export type BrandingVersion = ApiSchemas['VersionOut'];
export type BrandingLogEntry = ApiSchemas['LogEntry'];
/** `versions`: newest first; version 0 (the party's default from the installation) last. */
export type BrandingState = ApiSchemas['BrandingState'];
export type UploadResult = ApiSchemas['UploadOut'];
export type PreviewLinks = ApiSchemas['PreviewOut'];

const base = (party: string): string => `/api/v1/parties/${encodeURIComponent(party)}/branding`;

/** A refusal in words fit to show the admin; `detail` (the BFF's reason) where it helps. */
const failure = (status: number, detail: string | null, adminKey: string): ApiError => {
  switch (status) {
    case 0:
      return new ApiError(0, null, 'Ingen forbindelse. Tjek netværket og prøv igen.');
    case 401:
      return new ApiError(401, null, refusal(adminKey));
    case 404:
      return new ApiError(404, detail, 'Versionen findes ikke længere. Hent oversigten igen.');
    case 412:
      return new ApiError(412, null, 'En anden har ændret brandingen, siden du hentede den. Hent oversigten igen, og prøv igen.');
    case 413:
      return new ApiError(413, null, 'Filen er for stor. En brandingpakke må højst fylde 8 MB.');
    case 400:
    case 422:
      return new ApiError(status, detail, 'Pakken blev afvist og er ikke gemt.');
    default:
      return new ApiError(status, detail, 'Der opstod en fejl. Prøv igen om lidt.');
  }
};

const send = async <T>(path: string, adminKey: string, init: ApiRequest = {}): Promise<T> => {
  try {
    return await apiJson<T>(path, adminRequest(adminKey, init));
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
