import { describe, expect, it } from 'vitest';

import { ICON_NAMES } from '../protocol/icon-names';
import { pexipIcon } from './plugin-icon';

describe('pexipIcon', () => {
  it("draws every name a plugin may give from Pexip's own icon set", () => {
    expect(ICON_NAMES.size).toBeGreaterThan(130);
    for (const name of ICON_NAMES) {
      const drawing = pexipIcon(name);
      expect(drawing?.tag, name).toBe('svg');
      expect(drawing?.attrs.viewBox, name).toMatch(/^0 0 \d+ \d+$/);
      expect(drawing?.children.length, name).toBeGreaterThan(0);
    }
    // Not the same drawing under every name (no generic fallback).
    const chat = JSON.stringify(pexipIcon('IconChat'));
    expect(chat).not.toBe(JSON.stringify(pexipIcon('IconPhone')));
    expect(chat).toContain('M18.286 1.027');
    expect(pexipIcon('IconNope')).toBe(null);
  });
});
