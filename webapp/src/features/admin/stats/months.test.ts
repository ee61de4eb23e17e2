import { describe, expect, it } from 'vitest';

import { danishNumber, lastTwelveMonths, monthLong, scaleTop } from './months';

describe('months', () => {
  it('names months in Danish', () => {
    expect(monthLong('2026-03')).toBe('marts 2026');
    expect(monthLong('2026-12')).toBe('december 2026');
  });

  it('counts back twelve months across a new year', () => {
    expect(lastTwelveMonths(new Date(2026, 1, 15))).toEqual({ from: '2025-03', to: '2026-02' });
    expect(lastTwelveMonths(new Date(2026, 11, 31))).toEqual({ from: '2026-01', to: '2026-12' });
  });

  it('writes numbers the Danish way', () => {
    expect(danishNumber(1234.5)).toBe('1.234,5');
  });

  it('rounds the scale up to a round number', () => {
    expect(scaleTop(0)).toBe(1);
    expect(scaleTop(3)).toBe(3);
    expect(scaleTop(7)).toBe(10);
    expect(scaleTop(11)).toBe(20);
    expect(scaleTop(230)).toBe(250);
  });
});
