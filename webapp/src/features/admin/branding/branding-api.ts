/**
 * The party's branding packages from the BFF (`/api/v1/parties/{party}/branding`): the
 * administrator's login (cookie, and X-CSRF-Token on changes), or X-Admin-Key where keys are on.
 * Every write names the revision it changes (If-Match); the BFF answers 412 when someone else
 * changed the branding first and 422 naming the file and the problem when a package is refused.
 */

import { adminApi, AdminApiError, adminAuth, commonRefusal } from '@/lib/admin-login';
import { detailOf, type ApiSchemas, ifMatch, partyPath } from '@/lib/api-client';

export type BrandingVersion = ApiSchemas['VersionOut'];

export type BrandingLogEntry = ApiSchemas['LogEntry'];

/** `versions`: newest first; version 0 (the party's default from the installation) last. */
export type BrandingState = ApiSchemas['BrandingState'];

export type UploadResult = ApiSchemas['UploadOut'];

export type PreviewLinks = ApiSchemas['PreviewOut'];

const KEYS = { stale: 'admin.branding.error.stale', tooLarge: 'admin.branding.error.tooLarge' };

/** The branding page's own words for a refusal, by status (else admin.failed), with the BFF's reason. */
const REFUSALS: Record<number, string> = {
  400: 'admin.branding.error.refused',
  404: 'admin.branding.error.gone',
  422: 'admin.branding.error.refused',
};

const failure = ({ status, detail }: { status: number; detail: string | null }, adminKey: string): AdminApiError =>
  commonRefusal(status, adminKey, KEYS) ?? new AdminApiError(REFUSALS[status] ?? 'admin.failed', status, detail);

const send = adminApi('/branding', failure);

export const fetchBranding = async (party: string, adminKey: string): Promise<BrandingState> =>
  send<BrandingState>(party, adminKey);

export const activateVersion = async (
  party: string,
  adminKey: string,
  revision: number,
  version: number,
): Promise<BrandingState> =>
  send<BrandingState>(party, adminKey, `/${version}/activate`, {
    method: 'POST',
    headers: ifMatch(revision),
  });

export const previewLinks = async (party: string, adminKey: string, version: number): Promise<PreviewLinks> =>
  send<PreviewLinks>(party, adminKey, `/${version}/preview`, { method: 'POST' });

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
    request.open('POST', partyPath('/api/v1', party, '/branding?activate=false'));
    const headers = { ...auth.headers, ...ifMatch(revision), Accept: 'application/json' };
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.withCredentials = auth.credentials !== 'omit';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onerror = () => reject(failure({ status: 0, detail: null }, adminKey));
    request.onload = () => {
      if (request.status === 201) {
        onProgress(1);
        resolve(JSON.parse(request.responseText) as UploadResult);
      } else {
        reject(failure({ status: request.status, detail: detailOf(request.responseText) }, adminKey));
      }
    };
    const form = new FormData();
    form.append('package', file, file.name);
    request.send(form);
  });
