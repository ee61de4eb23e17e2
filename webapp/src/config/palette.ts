/** Steps of `--color-brand-*`, in the order of a Webapp3 `colorPalette`. */
export const BRAND_STEPS = [50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000] as const;

/** Fallback brand palette (a calm blue) used when the party has none. */
export const DEFAULT_PALETTE: readonly string[] = [
  '#eef4fb',
  '#d5e4f5',
  '#abc8eb',
  '#7fa9df',
  '#5589cf',
  '#336dbd',
  '#2456a0',
  '#1c4482',
  '#163566',
  '#10274b',
  '#0a1930',
];
