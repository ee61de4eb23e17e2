/**
 * A reload in the middle of a call rejoins by itself: when the page goes away while the
 * person is in (or joining) the call, this tab's sessionStorage remembers the meeting for
 * two minutes; the reloaded page joins without a new "Deltag". Read once: leaving, ending
 * or a later reload outside the call does not rejoin.
 */
const KEY = 'bv:rejoin';
export const REJOIN_WINDOW_MS = 120_000;

/** The part of `Storage` used here (the tab's sessionStorage; a test passes its own). */
export type TabStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

interface Remembered {
  alias: string;
  at: number;
}

export const rememberInCall = (alias: string, now: number = Date.now(), storage?: TabStorage): void => {
  try {
    (storage ?? sessionStorage).setItem(KEY, JSON.stringify({ alias, at: now } satisfies Remembered));
  } catch {
    // storage off (private mode, quota): the reload shows the preflight as before
  }
};

/** Whether this page was reloaded out of a call of `alias` less than two minutes ago. */
export const takeRejoin = (alias: string, now: number = Date.now(), storage?: TabStorage): boolean => {
  try {
    const store = storage ?? sessionStorage;
    const raw = store.getItem(KEY);
    store.removeItem(KEY);
    if (!raw) return false;
    const remembered = JSON.parse(raw) as Partial<Remembered>;
    const age = now - (typeof remembered.at === 'number' ? remembered.at : -Infinity);
    return remembered.alias === alias && age >= 0 && age <= REJOIN_WINDOW_MS;
  } catch {
    return false;
  }
};
