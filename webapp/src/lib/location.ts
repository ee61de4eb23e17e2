import { useSyncExternalStore } from 'react';

import { ADMIN_PAGES, type AdminPageId } from './admin-pages';

/** The few screens there are: a whole router library is not worth its ~13 kB gzipped. */
export type AppRoute =
  | { name: 'home' }
  | { name: 'address'; alias: string }
  | { name: 'admin'; page: AdminPageId }
  | { name: 'device' }
  | { name: 'staff-portal' }
  | { name: 'unknown' }
  | { name: 'outside' };

const NAVIGATED = 'bv:navigate';

const trimSlashes = (path: string): string => path.replace(/^\/+|\/+$/g, '');

const decodeSegment = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** `basePath` is the party's prefix, e.g. `/kobenhavn/`; matching ignores a trailing slash. */
export const matchRoute = (pathname: string, basePath: string): AppRoute => {
  const base = trimSlashes(basePath);
  const path = trimSlashes(pathname);
  if (base && path !== base && !path.startsWith(`${base}/`)) return { name: 'outside' };
  const rest = base ? trimSlashes(path.slice(base.length)) : path;
  if (rest === '') return { name: 'home' };
  const [first, alias, ...more] = rest.split('/');
  if (first?.toLowerCase() === 'm' && alias && more.length === 0)
    return { name: 'address', alias: decodeSegment(alias) };
  const page = ADMIN_PAGES.find((id) => id === alias);
  if (first === 'admin' && page && more.length === 0) return { name: 'admin', page };
  if (first === 'device' && alias === undefined) return { name: 'device' };
  if (first === 'staff' && alias === undefined) return { name: 'staff-portal' };
  return { name: 'unknown' };
};

/** `to` is relative to the party (`/m/…`, `/`). */
export const navigate = (basePath: string, to: string, { replace = false } = {}): void => {
  const url = `/${trimSlashes(basePath)}/${trimSlashes(to)}`.replace(/\/{2,}/g, '/');
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATED));
};

const subscribe = (onChange: () => void): (() => void) => {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
};

export const usePathname = (): string => useSyncExternalStore(subscribe, () => window.location.pathname);
