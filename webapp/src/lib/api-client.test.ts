import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError, apiJson, apiSend } from './api-client';

const answer = (status: number, body: string | null, type = 'application/json') =>
  vi.fn(async () => new Response(body, { status, headers: body === null ? {} : { 'Content-Type': type } }));

afterEach(() => vi.unstubAllGlobals());

describe('api-client', () => {
  it('sends JSON as JSON, same-origin and never cached, and reads the JSON answer', async () => {
    const fetch = answer(201, '{"id":"d1"}');
    vi.stubGlobal('fetch', fetch);
    expect(
      await apiJson('/api/x', { method: 'POST', body: { label: 'Tablet' }, headers: { 'X-CSRF-Token': 't' } }),
    ).toEqual({
      id: 'd1',
    });
    const [path, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/x');
    expect(init).toMatchObject({
      method: 'POST',
      body: '{"label":"Tablet"}',
      credentials: 'same-origin',
      cache: 'no-store',
    });
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json', 'X-CSRF-Token': 't' });
  });

  it('answers undefined for 204 No Content', async () => {
    vi.stubGlobal('fetch', answer(204, null));
    expect(await apiJson('/api/x', { method: 'DELETE' })).toBeUndefined();
  });

  it("refuses with the status and the BFF's detail", async () => {
    vi.stubGlobal('fetch', answer(422, '{"detail":"label: too long"}'));
    const refused = await apiJson('/api/x').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 422, detail: 'label: too long', message: 'label: too long' });
  });

  it('says status 0 when nothing answered, and apiSend never throws', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(apiJson('/api/x')).rejects.toMatchObject({ status: 0, detail: null });
    expect(await apiSend('/api/x', { method: 'POST' })).toBe(false);
  });
});
