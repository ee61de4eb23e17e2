/** Pure arithmetic behind the microphone meter: samples → loudness → a 0..100 level. */

/** Quieter than this shows as 0 (room noise on a phone sits around -60 dBFS). */
export const FLOOR_DB = -60;
/** Louder than this shows as 100 (close, normal speech reaches about -15 dBFS). */
export const CEILING_DB = -15;

/** Root mean square of time-domain samples in -1..1. */
export const rmsOf = (samples: ArrayLike<number>): number => {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let index = 0; index < samples.length; index += 1) {
    const sample = samples[index] ?? 0;
    sum += sample * sample;
  }
  return Math.sqrt(sum / samples.length);
};

/**
 * RMS → 0..100 on a decibel scale, so speech moves the meter visibly
 * (on a linear scale normal speech would barely reach 10).
 */
export const levelFromRms = (rms: number): number => {
  if (!(rms > 0)) return 0;
  const db = 20 * Math.log10(rms);
  const level = ((db - FLOOR_DB) / (CEILING_DB - FLOOR_DB)) * 100;
  return Math.round(Math.min(100, Math.max(0, level)));
};

/**
 * Keeps the loudest level seen since the last report and reports it at most
 * once per `intervalMs`: cheap for React and short sounds are not missed
 * between two reports. `now` is passed in (a rAF timestamp), never read here.
 */
export const createLevelThrottle = (intervalMs: number) => {
  let peak = 0;
  let lastReport = Number.NEGATIVE_INFINITY;
  return (level: number, now: number): number | null => {
    peak = Math.max(peak, level);
    if (now - lastReport < intervalMs) return null;
    const reported = peak;
    peak = 0;
    lastReport = now;
    return reported;
  };
};

/** How many of `bars` bars are lit at `level` (any sound lights at least one). */
export const litBars = (level: number, bars: number): number =>
  level <= 0 ? 0 : Math.min(bars, Math.max(1, Math.round((level / 100) * bars)));
