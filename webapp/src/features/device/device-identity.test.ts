import { describe, expect, it } from 'vitest';

import { isAfter, newKeys, publicJwk, signToken } from './device-identity';

const fromBase64url = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)) as Uint8Array<ArrayBuffer>;

describe('device identity', () => {
  it('signs an ES256 JWT its public key verifies, with a fresh jti each time', async () => {
    const keys = await newKeys();
    expect(keys.privateKey.extractable).toBe(false);
    const token = await signToken(keys, 'abc', 'borgervideo:kobenhavn:device');
    const [header = '', claims = '', signature = ''] = token.split('.');
    expect(JSON.parse(new TextDecoder().decode(fromBase64url(header)))).toEqual({
      alg: 'ES256',
      typ: 'JWT',
      kid: 'abc',
    });
    const body = JSON.parse(new TextDecoder().decode(fromBase64url(claims))) as Record<string, unknown>;
    expect(body.aud).toBe('borgervideo:kobenhavn:device');
    expect(Number(body.exp) - Number(body.iat)).toBe(60);
    const valid = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      keys.publicKey,
      fromBase64url(signature),
      new TextEncoder().encode(`${header}.${claims}`),
    );
    expect(valid).toBe(true);
    const again = await signToken(keys, 'abc', 'x');
    expect(JSON.parse(new TextDecoder().decode(fromBase64url(again.split('.')[1] ?? ''))).jti).not.toBe(body.jti);
    const jwk = await publicJwk(keys);
    expect(jwk.kty).toBe('EC');
    expect(jwk.x).toHaveLength(43);
  });

  it('orders channel message ids', () => {
    expect(isAfter('2-0', null)).toBe(true);
    expect(isAfter('10-0', '9-5')).toBe(true);
    expect(isAfter('9-5', '9-5')).toBe(false);
    expect(isAfter('9-6', '9-5')).toBe(true);
    expect(isAfter('8-9', '9-0')).toBe(false);
  });
});
