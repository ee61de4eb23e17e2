import { afterEach, describe, expect, it, vi } from 'vitest';

import { adminApi, AdminApiError, commonRefusal } from './admin-login';
import { ApiError } from './api-client';

const answer = (status: number, body: string) =>
  vi.fn(async () => new Response(body, { status, headers: { 'Content-Type': 'application/json' } }));

afterEach(() => vi.unstubAllGlobals());

describe('adminApi', () => {
  it("sends the typed key alone to the area's path below the party", async () => {
    const fetch = answer(200, '{"ok":true}');
    vi.stubGlobal('fetch', fetch);
    const request = adminApi('/phonebook');
    expect(await request('p 1', 'k', '/systems', { method: 'POST', body: { name: 'x' } })).toEqual({ ok: true });
    const [path, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/v1/parties/p%201/phonebook/systems');
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit' });
    expect(init.headers).toMatchObject({ 'X-Admin-Key': 'k' });
  });

  it("turns a refusal into the page's words, and leaves it as it is without them", async () => {
    vi.stubGlobal('fetch', answer(409, '{"detail":"in use"}'));
    const worded = adminApi('/plugins', (error) => new AdminApiError('words', error.status, error.detail));
    await expect(worded('p', 'k')).rejects.toMatchObject({ message: 'words', status: 409, detail: 'in use' });
    const plain = await adminApi('')('p', 'k').catch((error: unknown) => error);
    expect(plain).toBeInstanceOf(ApiError);
    expect(plain).toMatchObject({ status: 409, detail: 'in use' });
  });
});

describe('commonRefusal', () => {
  const keys = { stale: 'page.stale', tooLarge: 'page.tooLarge' };

  it('words no answer, a refused key or login, a stale revision and a too large upload alike', () => {
    expect(commonRefusal(0, 'k', keys)).toMatchObject({ message: 'admin.error.offline', status: 0 });
    expect(commonRefusal(401, 'k', keys)).toMatchObject({ message: 'admin.refusal.key', status: 401 });
    expect(commonRefusal(401, '', keys)).toMatchObject({ message: 'admin.refusal.login', status: 401 });
    expect(commonRefusal(412, 'k', keys)).toMatchObject({ message: 'page.stale', status: 412 });
    expect(commonRefusal(413, 'k', keys)).toMatchObject({ message: 'page.tooLarge', status: 413 });
    expect(commonRefusal(422, 'k', keys)).toBeNull();
  });
});
