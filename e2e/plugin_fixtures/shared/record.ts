/**
 * What a test plugin saw, kept on its window for the test to read (Playwright evaluates in
 * the plugin's frame): every event, every reply, every click, every error.
 */
export interface Record {
  /** Which test plugin or widget this is (the test keeps one record per name). */
  who: string;
  registered: boolean | string;
  chanId: string | null;
  events: { [name: string]: unknown[] };
  replies: { [name: string]: unknown };
  clicks: { [name: string]: unknown[] };
  errors: string[];
  phase: string;
}

export const record: Record = {
  who: 'unknown',
  registered: false,
  chanId: null,
  events: {},
  replies: {},
  clicks: {},
  errors: [],
  phase: 'loading',
};

(window as unknown as { record: Record }).record = record;

type Reporter = (who: string, json: string) => void;
let scheduled = false;

/**
 * Hands the record to the test as it changes (a binding Playwright installs in every frame,
 * absent elsewhere), so the test still has it after the page has gone somewhere else.
 */
/** Events after which the page may go away: reported at once, not batched. */
const URGENT = new Set(['disconnected', 'userInitiatedDisconnect']);

const send = (): void => {
  const reporter = (window as unknown as { bvRecord?: Reporter }).bvRecord;
  if (typeof reporter !== 'function') return;
  try {
    reporter(record.who, JSON.stringify(record));
  } catch {
    // not under test
  }
};

export const report = (urgent = false): void => {
  if (urgent) return send();
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => {
    scheduled = false;
    send();
  }, 0);
};

/** Sets the phase (and reports). */
export const phase = (name: string): void => {
  record.phase = name;
  report();
};

/**
 * A JSON-safe picture of a value that keeps what JSON loses: a Date becomes
 * `{"$date": iso}`, a function `"$function"`, undefined `"$undefined"`.
 */
export const describe = (value: unknown, depth = 0): unknown => {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (value === undefined) return '$undefined';
  if (typeof value === 'function') return '$function';
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '$deep';
  if (Array.isArray(value)) return value.map((item) => describe(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, describe(item, depth + 1)]));
};

export const note = (name: string, payload: unknown): void => {
  (record.events[name] ??= []).push(describe(payload));
  report(URGENT.has(name));
};

export const click = (name: string, input: unknown): void => {
  (record.clicks[name] ??= []).push(describe(input));
  report();
};

export const reply = (name: string, value: unknown): void => {
  record.replies[name] = describe(value);
  report(true);
};

/** Runs `step`, keeping its result (or its rejection, as `{rejected: ...}`) under `name`. */
export const step = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
  try {
    const value = await run();
    reply(name, value);
    return value;
  } catch (error) {
    reply(name, { rejected: error instanceof Error ? error.message : describe(error) });
    return undefined;
  }
};

/** The channel id the plugin API chose: seen on the host's first reply to this window. */
export const watchChannel = (): void => {
  window.addEventListener('message', (event) => {
    const data = event.data as { chanId?: unknown; rpc?: unknown } | null;
    if (!record.chanId && data && typeof data.chanId === 'string' && data.rpc === 'syn') record.chanId = data.chanId;
  });
};

/** Sends an RPC on our own channel by hand (for those the plugin API has no method for). */
export const rawRpc = (rpc: string, payload: unknown): Promise<unknown> =>
  new Promise((resolve) => {
    const id = `raw-${Math.random().toString(36).slice(2)}`;
    const listener = (event: MessageEvent) => {
      const data = event.data as { replyTo?: unknown; payload?: unknown } | null;
      if (data && data.replyTo === id) {
        window.removeEventListener('message', listener);
        resolve(data.payload);
      }
    };
    window.addEventListener('message', listener);
    window.parent.postMessage({ chanId: record.chanId, rpc, id, payload }, '*');
  });
