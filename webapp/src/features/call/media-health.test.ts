import { describe, expect, it } from 'vitest';

import { initialMediaHealth, MEDIA_STALL_MS, mediaInterrupted, observePackets } from './media-health';

describe('media health', () => {
  it('says nothing while the call is still starting (no packets yet)', () => {
    const starting = observePackets(initialMediaHealth, 0, 1000);
    expect(mediaInterrupted(starting, 1000 + 10 * MEDIA_STALL_MS)).toBe(false);
  });

  it('is interrupted once the counts stand still long enough, and back when they move', () => {
    let health = observePackets(initialMediaHealth, 50, 0);
    health = observePackets(health, 50, 1000);
    expect(mediaInterrupted(health, MEDIA_STALL_MS - 1)).toBe(false);
    expect(mediaInterrupted(health, MEDIA_STALL_MS)).toBe(true);
    health = observePackets(health, 51, 20_000);
    expect(mediaInterrupted(health, 20_500)).toBe(false);
  });

  it('takes a count from zero (a fresh peer connection) as no packets until some arrive', () => {
    let health = observePackets(initialMediaHealth, 900, 0);
    health = observePackets(health, 0, 2000);
    expect(mediaInterrupted(health, MEDIA_STALL_MS + 1)).toBe(true);
    health = observePackets(health, 12, 6000);
    expect(mediaInterrupted(health, 6500)).toBe(false);
  });
});
