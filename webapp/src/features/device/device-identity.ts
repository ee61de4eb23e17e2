/**
 * The device's identity: a non-extractable ECDSA P-256 key pair made with WebCrypto and kept
 * in IndexedDB (the browser stores the CryptoKey itself; its private half can sign here and
 * never be read out). Every request to the BFF carries a fresh ES256 JWT signed with it.
 */

const DB_NAME = 'borgervideo-device';
const STORE = 'identity';
const TOKEN_LIFETIME = 60; // seconds

export interface DeviceIdentity {
  party: string;
  deviceId: string;
  label: string;
  keys: CryptoKeyPair;
  /** The last channel message handed to the app: anything at or before it is a repeat. */
  lastDelivered: string | null;
}

const open = (): Promise<IDBDatabase> =>
  new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB unavailable'));
  });

const run = async <T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB aborted'));
    });
  } finally {
    db.close();
  }
};

export const loadIdentity = async (party: string): Promise<DeviceIdentity | null> => {
  const found = await run<unknown>('readonly', (store) => store.get(party));
  const identity = found as DeviceIdentity | undefined;
  return identity?.deviceId && identity.keys?.privateKey ? identity : null;
};

export const saveIdentity = (identity: DeviceIdentity): Promise<IDBValidKey> =>
  run('readwrite', (store) => store.put(identity, identity.party));

export const forgetIdentity = (party: string): Promise<undefined> => run('readwrite', (store) => store.delete(party));

/** A new key pair whose private half cannot be exported. */
export const newKeys = (): Promise<CryptoKeyPair> =>
  crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);

export const publicJwk = async (keys: CryptoKeyPair): Promise<{ kty: string; crv: string; x: string; y: string }> => {
  const jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
  return { kty: jwk.kty ?? 'EC', crv: jwk.crv ?? 'P-256', x: jwk.x ?? '', y: jwk.y ?? '' };
};

const base64url = (bytes: Uint8Array): string => {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const encodeJson = (value: unknown): string => base64url(new TextEncoder().encode(JSON.stringify(value)));

const randomId = (): string => base64url(crypto.getRandomValues(new Uint8Array(18)));

/** A compact ES256 JWT (WebCrypto's ECDSA signature is already JOSE's r||s form). */
export const signToken = async (
  keys: CryptoKeyPair,
  kid: string,
  audience: string,
  extra: Record<string, unknown> = {},
): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  const header = encodeJson({ alg: 'ES256', typ: 'JWT', kid });
  const claims = encodeJson({ aud: audience, iat: now, exp: now + TOKEN_LIFETIME, jti: randomId(), ...extra });
  const input = `${header}.${claims}`;
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    keys.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64url(new Uint8Array(signature))}`;
};

export const deviceToken = (identity: DeviceIdentity): Promise<string> =>
  signToken(identity.keys, identity.deviceId, `borgervideo:${identity.party}:device`);

/** Whether channel message id `a` (`ms-seq`) comes after `b`. */
export const isAfter = (a: string, b: string | null): boolean => {
  if (b === null) return true;
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am > bm || (am === bm && as > bs);
};
