/**
 * Whether picture and sound still reach us, from the packet counts the pinned client reports
 * every second (`callSignals.onRtcStats`, @pexip/infinity dist/call.js). In a relayed call
 * the node always sends something (the other side, or black and silence), so counts that
 * stand still mean the media path is gone (a phone leaving Wi-Fi), while signalling may be
 * fine. @pexip/infinity restarts ICE by itself then; this only tells the person.
 */

/** How long the counts may stand still before we say so (the client reports each second). */
export const MEDIA_STALL_MS = 3000;

export interface MediaHealth {
  /** Packets received so far (audio and video), as last reported; null: no report yet. */
  packets: number | null;
  /** When packets last came in (ms); null: none yet, the call is still starting. */
  flowedAt: number | null;
}

export const initialMediaHealth: MediaHealth = { packets: null, flowedAt: null };

/** A new count. A fresh peer connection after an ICE restart counts from zero again. */
export const observePackets = (health: MediaHealth, packets: number, now: number): MediaHealth => {
  if (packets === health.packets) return health;
  return { packets, flowedAt: packets > 0 ? now : health.flowedAt };
};

export const mediaInterrupted = (health: MediaHealth, now: number): boolean =>
  health.flowedAt !== null && now - health.flowedAt >= MEDIA_STALL_MS;
