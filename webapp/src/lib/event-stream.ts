/**
 * The node's event stream, kept alive through outages.
 *
 * @pexip/infinity opens `new EventSource(.../events?token=...)` and, when it breaks, tries 8
 * times with a growing pause (about 25 s in all), then gives up without telling anyone: the
 * call then looks alive but hears nothing. We stand in for the browser's EventSource for
 * that one URL: once a stream has opened, a break is never passed on to the client; we
 * open it again ourselves (1, 2, 4, then every 5 s), always with the newest token
 * (`setStreamToken`), and tell `onStreamHealth` listeners, so the app can show that it is
 * reconnecting. Before the first open, errors pass through as the browser's would (a call
 * that never connected fails as before). Every other EventSource is the browser's own.
 */

const EVENTS_URL = /\/api\/client\/v2\/conferences\/[^/]+\/events\?/;
const RETRY_MS = [1000, 2000, 4000, 5000];

type Health = 'up' | 'down';
type HealthListener = (health: Health) => void;
type Listener = EventListenerOrEventListenerObject;

const healthListeners = new Set<HealthListener>();
const open = new Set<ResilientStream>();
let latestToken: string | null = null;

const report = (health: Health): void => {
  for (const listener of healthListeners) listener(health);
};

/** Called with every token the node hands out (join and each refresh). */
export const setStreamToken = (token: string): void => {
  latestToken = token;
};

/** `up` when a stream (re)opened, `down` when one broke; returns the detach. */
export const onStreamHealth = (listener: HealthListener): (() => void) => {
  healthListeners.add(listener);
  return () => healthListeners.delete(listener);
};

/** The network seems back: reopen broken streams now instead of at the next retry. */
export const reconnectStreamsNow = (): void => {
  for (const stream of open) stream.reconnectNow();
};

const withToken = (url: string): string => {
  if (!latestToken) return url;
  const parsed = new URL(url, window.location.href);
  parsed.searchParams.set('token', latestToken);
  return parsed.toString();
};

const Native = window.EventSource;

class ResilientStream extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;

  onopen: ((this: EventSource, ev: Event) => unknown) | null = null;
  onerror: ((this: EventSource, ev: Event) => unknown) | null = null;
  onmessage: ((this: EventSource, ev: MessageEvent) => unknown) | null = null;
  readonly withCredentials = false;

  private source: EventSource | null = null;
  private readonly listeners: [string, Listener][] = [];
  private opened = false;
  private closed = false;
  private attempt = 0;
  private timer = 0;
  private currentUrl: string;

  constructor(url: string) {
    super();
    this.currentUrl = url;
    open.add(this);
    this.connect();
  }

  get url(): string {
    return this.currentUrl;
  }

  get readyState(): number {
    if (this.closed) return ResilientStream.CLOSED;
    return this.source?.readyState === ResilientStream.OPEN ? ResilientStream.OPEN : ResilientStream.CONNECTING;
  }

  override addEventListener(
    type: string,
    listener: Listener | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    if (!listener) return;
    this.listeners.push([type, listener]);
    this.source?.addEventListener(type, listener, options);
  }

  override removeEventListener(type: string, listener: Listener | null): void {
    const index = this.listeners.findIndex(([t, l]) => t === type && l === listener);
    if (index >= 0) this.listeners.splice(index, 1);
    if (listener) this.source?.removeEventListener(type, listener);
  }

  close(): void {
    this.closed = true;
    open.delete(this);
    window.clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
  }

  reconnectNow(): void {
    if (this.closed || !this.opened || this.source?.readyState === ResilientStream.OPEN) return;
    window.clearTimeout(this.timer);
    this.connect();
  }

  private connect(): void {
    this.source?.close();
    if (this.opened) this.currentUrl = withToken(this.currentUrl);
    const source = new Native(this.currentUrl);
    this.source = source;
    for (const [type, listener] of this.listeners) source.addEventListener(type, listener);
    source.onmessage = (event) => this.onmessage?.call(this as unknown as EventSource, event);
    source.onopen = (event) => {
      this.attempt = 0;
      this.opened = true;
      report('up');
      this.onopen?.call(this as unknown as EventSource, event);
    };
    source.onerror = (event) => {
      if (this.closed || source !== this.source) return;
      if (!this.opened) {
        // Never open yet: the client's own handling (and failure) as with the browser's.
        this.onerror?.call(this as unknown as EventSource, event);
        return;
      }
      source.close();
      report('down');
      const pause = RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)] ?? 5000;
      this.attempt += 1;
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.connect(), pause);
    };
  }
}

/** Once, before @pexip/infinity makes its first stream. */
export const installResilientEventStream = (): void => {
  if ((window.EventSource as unknown) !== Native) return;
  const Patched = function EventSource(url: string | URL, init?: EventSourceInit) {
    const text = String(url);
    if (!EVENTS_URL.test(text)) return new Native(text, init);
    return new ResilientStream(text);
  } as unknown as typeof EventSource;
  Object.assign(Patched, { CONNECTING: 0, OPEN: 1, CLOSED: 2 });
  window.EventSource = Patched;
};
