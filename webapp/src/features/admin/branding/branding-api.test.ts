import { afterEach, describe, expect, it, vi } from 'vitest';

import { AdminApiError } from '@/lib/admin-login';

import { activateVersion, fetchBranding } from './branding-api';

const refuse = (status: number, detail?: string) =>
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(detail === undefined ? '' : JSON.stringify({ detail }), { status })),
  );

afterEach(() => vi.unstubAllGlobals());

describe('branding-api refusals', () => {
  it.each([
    [404, 'no such version', 'admin.branding.error.gone', 'no such version'],
    [422, 'logo.svg: not an image', 'admin.branding.error.refused', 'logo.svg: not an image'],
    [400, 'bad zip', 'admin.branding.error.refused', 'bad zip'],
    [500, 'boom', 'admin.failed', 'boom'],
    [412, 'stale', 'admin.branding.error.stale', null],
    [413, 'big', 'admin.branding.error.tooLarge', null],
    [401, 'no', 'admin.refusal.key', null],
  ])('%i is worded as the page words it', async (status, detail, message, shownDetail) => {
    refuse(status, detail);
    const error = await fetchBranding('p', 'k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ message, status, detail: shownDetail });
  });

  it('names the revision it changes and says offline when nothing answers', async () => {
    const fetch = vi.fn(async () => Promise.reject(new TypeError('offline')));
    vi.stubGlobal('fetch', fetch);
    await expect(activateVersion('p', 'k', 7, 2)).rejects.toMatchObject({ message: 'admin.error.offline', status: 0 });
    const [path, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/v1/parties/p/branding/2/activate');
    expect(init.headers).toMatchObject({ 'If-Match': '"7"', 'X-Admin-Key': 'k' });
  });
});
