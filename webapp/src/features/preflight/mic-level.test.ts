import { describe, expect, it } from 'vitest';

import { CEILING_DB, createLevelThrottle, FLOOR_DB, levelFromRms, litBars, rmsOf } from './mic-level';

const fromDb = (db: number): number => 10 ** (db / 20);

describe('rmsOf', () => {
  it('is 0 for silence and for no samples', () => {
    expect(rmsOf(new Float32Array(128))).toBe(0);
    expect(rmsOf([])).toBe(0);
  });

  it('is the amplitude of a full-scale square wave', () => {
    expect(rmsOf([1, -1, 1, -1])).toBeCloseTo(1);
    expect(rmsOf([0.5, -0.5])).toBeCloseTo(0.5);
  });

  it('is amplitude / √2 for a sine', () => {
    const sine = Float32Array.from({ length: 4800 }, (_, i) => 0.8 * Math.sin((2 * Math.PI * 440 * i) / 48_000));
    expect(rmsOf(sine)).toBeCloseTo(0.8 / Math.SQRT2, 3);
  });
});

describe('levelFromRms', () => {
  it('shows silence and room noise as 0', () => {
    expect(levelFromRms(0)).toBe(0);
    expect(levelFromRms(fromDb(FLOOR_DB - 10))).toBe(0);
    expect(levelFromRms(Number.NaN)).toBe(0);
  });

  it('shows loud sound as 100 and never more', () => {
    expect(levelFromRms(fromDb(CEILING_DB))).toBe(100);
    expect(levelFromRms(1)).toBe(100);
    expect(levelFromRms(4)).toBe(100);
  });

  it('is linear in decibels in between, rounded', () => {
    const middle = (FLOOR_DB + CEILING_DB) / 2;
    expect(levelFromRms(fromDb(middle))).toBe(50);
    expect(Number.isInteger(levelFromRms(0.0123))).toBe(true);
  });

  it('puts quiet speech (-35 dBFS) clearly on the meter', () => {
    expect(levelFromRms(fromDb(-35))).toBeGreaterThan(40);
  });

  it('grows with loudness', () => {
    const levels = [-55, -45, -35, -25].map((db) => levelFromRms(fromDb(db)));
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    expect(new Set(levels).size).toBe(levels.length);
  });
});

describe('createLevelThrottle', () => {
  it('reports at once, then at most once per interval', () => {
    const report = createLevelThrottle(100);
    expect(report(10, 0)).toBe(10);
    expect(report(20, 16)).toBeNull();
    expect(report(30, 99)).toBeNull();
    expect(report(5, 100)).toBe(30);
    expect(report(0, 116)).toBeNull();
  });

  it('keeps a short loud sound between two reports', () => {
    const report = createLevelThrottle(100);
    report(0, 0);
    expect(report(90, 33)).toBeNull();
    expect(report(0, 66)).toBeNull();
    expect(report(0, 100)).toBe(90);
    expect(report(0, 200)).toBe(0);
  });
});

describe('litBars', () => {
  it('lights none for silence, at least one for any sound, all at full', () => {
    expect(litBars(0, 10)).toBe(0);
    expect(litBars(1, 10)).toBe(1);
    expect(litBars(55, 10)).toBe(6);
    expect(litBars(100, 10)).toBe(10);
    expect(litBars(150, 10)).toBe(10);
  });
});
