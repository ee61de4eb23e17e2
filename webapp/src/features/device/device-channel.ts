/**
 * The device's one connection to the BFF (see bff/devices/channel.py for the protocol):
 * hello with a fresh signed token, heartbeats with the battery, messages handed to the app
 * exactly once (ids at or before the last one handled are repeats: acknowledged, not shown
 * again), and reconnection with growing pauses while the network is away.
 */

import { type DeviceIdentity, deviceToken, isAfter, saveIdentity } from './device-identity';

export const APP_VERSION = '1.0.0';

export type ChannelStatus = 'connecting' | 'online' | 'offline' | 'refused';

export interface DeviceMessage {
  id: string;
  sentAt: string;
  body: Record<string, unknown>;
}

export interface IncomingCall {
  id: string;
  caller: string;
  party: string;
  autoAnswer: boolean;
  secondsLeft: number;
}

export interface ChannelEvents {
  onStatus: (status: ChannelStatus, reason?: string) => void;
  onMessage: (message: DeviceMessage) => void;
  onRing: (call: IncomingCall) => void;
  onRingEnd: (callId: string, status: string) => void;
  onSent: (ref: string) => void;
}

interface BatteryManagerLike {
  level: number;
  charging: boolean;
}

const battery = async (): Promise<{ level: number; charging: boolean } | null> => {
  const nav = navigator as Navigator & { getBattery?: () => Promise<BatteryManagerLike> };
  if (typeof nav.getBattery !== 'function') return null;
  try {
    const manager = await nav.getBattery();
    return { level: manager.level, charging: manager.charging };
  } catch {
    return null;
  }
};

const channelUrl = (): string =>
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/device/v1/channel`;

/** Close codes after which trying again cannot help (the device was revoked or disabled). */
const FINAL_CODES = new Set([4401, 4403]);

export class DeviceChannel {
  private socket: WebSocket | null = null;
  private heartbeat: number | undefined;
  private retry: number | undefined;
  private pause = 1000;
  private stopped = false;
  private refs = 0;

  constructor(
    private identity: DeviceIdentity,
    private readonly events: ChannelEvents,
  ) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    window.clearInterval(this.heartbeat);
    window.clearTimeout(this.retry);
    this.socket?.close(1000);
    this.socket = null;
  }

  /** A document for the party (its webhook and API); false while offline. */
  send(body: Record<string, unknown>): string | null {
    if (this.socket?.readyState !== WebSocket.OPEN) return null;
    const ref = `r${++this.refs}`;
    this.socket.send(JSON.stringify({ type: 'send', ref, body }));
    return ref;
  }

  private readonly reconnectNow = () => {
    if (this.stopped || this.socket) return;
    window.clearTimeout(this.retry);
    this.pause = 1000;
    void this.connect();
  };

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.events.onStatus('connecting');
    const socket = new WebSocket(channelUrl());
    this.socket = socket;
    socket.onopen = async () => {
      socket.send(
        JSON.stringify({
          type: 'hello',
          token: await deviceToken(this.identity),
          version: APP_VERSION,
          battery: await battery(),
        }),
      );
    };
    socket.onmessage = (event) => void this.receive(socket, String(event.data));
    socket.onclose = (event) => this.closed(socket, event.code, event.reason);
  }

  private closed(socket: WebSocket, code: number, reason: string): void {
    if (this.socket !== socket) return;
    this.socket = null;
    window.clearInterval(this.heartbeat);
    if (this.stopped) return;
    if (FINAL_CODES.has(code)) {
      this.events.onStatus('refused', reason);
      return;
    }
    this.events.onStatus('offline');
    const pause = code === 1012 || code === 4409 ? 200 : this.pause; // an instance restarting: at once
    this.pause = Math.min(this.pause * 2, 30_000);
    this.retry = window.setTimeout(() => void this.connect(), pause);
  }

  private async receive(socket: WebSocket, text: string): Promise<void> {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'welcome': {
        this.pause = 1000;
        this.events.onStatus('online');
        const every = Number(frame.heartbeat_seconds) || 15;
        window.clearInterval(this.heartbeat);
        this.heartbeat = window.setInterval(() => void this.beat(socket), every * 1000);
        break;
      }
      case 'message':
        await this.deliver(socket, frame);
        break;
      case 'ring': {
        const call = frame.call as Record<string, unknown>;
        this.events.onRing({
          id: String(call.id),
          caller: String(call.caller ?? ''),
          party: String(call.party ?? ''),
          autoAnswer: call.auto_answer === true,
          secondsLeft: Number(call.seconds_left) || 30,
        });
        break;
      }
      case 'ring-end':
        this.events.onRingEnd(String(frame.call_id), String(frame.status));
        break;
      case 'sent':
        this.events.onSent(String(frame.ref));
        break;
      default:
        break;
    }
  }

  /** Hand the message to the app once, remember it, then acknowledge (a repeat: ack only). */
  private async deliver(socket: WebSocket, frame: Record<string, unknown>): Promise<void> {
    const id = String(frame.id);
    if (isAfter(id, this.identity.lastDelivered)) {
      this.events.onMessage({ id, sentAt: String(frame.sent_at), body: (frame.body ?? {}) as Record<string, unknown> });
      this.identity = { ...this.identity, lastDelivered: id };
      await saveIdentity(this.identity).catch(() => undefined);
    }
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'ack', id }));
  }

  private async beat(socket: WebSocket): Promise<void> {
    if (socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: 'heartbeat', version: APP_VERSION, battery: await battery() }));
  }
}
