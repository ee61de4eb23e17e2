import { describe, expect, it } from 'vitest';

import { ICON_NAMES } from '../protocol/icon-names';
import { PEXIP_ICONS } from '../protocol/pexip-icons';
import { drawIcon } from './plugin-icon';

describe('drawIcon', () => {
  it("draws every name a plugin may give from Pexip's own icon set", () => {
    expect(new Set(Object.keys(PEXIP_ICONS))).toEqual(ICON_NAMES);
    expect(ICON_NAMES.size).toBeGreaterThan(130);
    for (const name of ICON_NAMES) {
      const drawing = drawIcon(name, PEXIP_ICONS);
      expect(drawing?.tag, name).toBe('svg');
      expect(drawing?.attrs.viewBox, name).toMatch(/^0 0 \d+ \d+$/);
      expect(drawing?.children.length, name).toBeGreaterThan(0);
    }
    // Not the same drawing under every name (no generic fallback).
    const chat = JSON.stringify(drawIcon('IconChat', PEXIP_ICONS));
    expect(chat).not.toBe(JSON.stringify(drawIcon('IconPhone', PEXIP_ICONS)));
    expect(chat).toContain('M18.286 1.027');
    expect(drawIcon('IconNope', PEXIP_ICONS)).toBe(null);
  });
});
