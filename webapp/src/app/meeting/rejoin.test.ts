import { beforeEach, describe, expect, it } from 'vitest';

import { REJOIN_WINDOW_MS, rememberInCall, type TabStorage, takeRejoin } from './rejoin';

const memory = (): TabStorage & { items: Map<string, string> } => {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
};

describe('rejoin after a reload', () => {
  let tab = memory();
  beforeEach(() => {
    tab = memory();
  });

  it('rejoins the same meeting within two minutes, once', () => {
    rememberInCall('room-1', 1_000, tab);
    expect(takeRejoin('room-1', 1_000 + REJOIN_WINDOW_MS, tab)).toBe(true);
    expect(takeRejoin('room-1', 1_000 + REJOIN_WINDOW_MS, tab)).toBe(false);
  });

  it('not after two minutes, not another meeting, not without a call', () => {
    rememberInCall('room-1', 1_000, tab);
    expect(takeRejoin('room-1', 1_001 + REJOIN_WINDOW_MS, tab)).toBe(false);
    rememberInCall('room-1', 1_000, tab);
    expect(takeRejoin('room-2', 2_000, tab)).toBe(false);
    expect(takeRejoin('room-1', 2_000, tab)).toBe(false);
  });

  it('ignores a damaged entry, and storage that is off', () => {
    tab.setItem('bv:rejoin', '{not json');
    expect(takeRejoin('room-1', 2_000, tab)).toBe(false);
    const off: TabStorage = {
      getItem: () => {
        throw new Error('off');
      },
      setItem: () => {
        throw new Error('off');
      },
      removeItem: () => undefined,
    };
    expect(() => rememberInCall('room-1', 1_000, off)).not.toThrow();
    expect(takeRejoin('room-1', 1_000, off)).toBe(false);
  });
});
