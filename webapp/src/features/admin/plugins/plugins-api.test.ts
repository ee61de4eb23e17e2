import { afterEach, describe, expect, it, vi } from 'vitest';

import { AdminApiError } from '@/lib/admin-login';

import { removePlugin, savePluginSet } from './plugins-api';

const refuse = (status: number, detail?: string) =>
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => new Response(detail === undefined ? '' : JSON.stringify({ detail }), { status })),
  );

afterEach(() => vi.unstubAllGlobals());

const saving = () => savePluginSet('p', '', 3, []).catch((caught: unknown) => caught);

describe('plugins-api refusals', () => {
  it('names the failing setting of a 422 by its path', async () => {
    refuse(422, 'plugins[0].settings.destination: too short');
    const error = await saving();
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({
      message: 'admin.plugins.error.notSaved',
      status: 422,
      field: 'plugins[0].settings.destination',
      detail: 'too short',
    });
  });

  it.each([
    // No reason in the body (and no status text, as over HTTP/2): the page's general words.
    [422, undefined, 'admin.plugins.error.invalid', ''],
    [409, 'in use by p2', 'admin.plugins.error.detail', 'in use by p2'],
    [404, undefined, 'admin.failed', ''],
    [412, 'stale', 'admin.plugins.error.stale', null],
    [401, 'no', 'admin.refusal.login', null],
    [500, 'boom', 'admin.failed', null],
  ])('%i is worded as the page words it', async (status, detail, message, shownDetail) => {
    refuse(status, detail);
    expect(await saving()).toMatchObject({ message, status, detail: shownDetail, field: null });
  });

  it('removes a version by its encoded path and answers nothing', async () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);
    await expect(removePlugin('p', 'k', 'bv chat', '1.0.0')).resolves.toBeUndefined();
    const [path] = fetch.mock.calls[0] as unknown as [string];
    expect(path).toBe('/api/v1/parties/p/plugins/catalogue/bv%20chat/1.0.0');
  });
});
