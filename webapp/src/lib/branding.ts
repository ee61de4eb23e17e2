import type { AppConfig } from '@/config/app-config';
import { BRAND_STEPS, DEFAULT_PALETTE } from '@/config/palette';
import { readNonce } from '@/lib/config';

const HEX_COLOUR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

const toRgb = (hex: string): [number, number, number] => {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join('') : hex.slice(1);
  const value = Number.parseInt(digits, 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
};

const luminance = (hex: string): number => {
  const [r, g, b] = toRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

/** White or near-black, whichever reads better on `background` (WCAG contrast). */
export const textColourOn = (background: string): string =>
  contrast(background, '#ffffff') >= contrast(background, '#111111') ? '#ffffff' : '#111111';

const validPalette = (palette: unknown): readonly string[] =>
  Array.isArray(palette) &&
  palette.length === BRAND_STEPS.length &&
  palette.every((c) => typeof c === 'string' && HEX_COLOUR.test(c))
    ? (palette as string[])
    : DEFAULT_PALETTE;

/** Sets `--color-brand-50 … --color-brand-1000` (and readable text colours) on :root. */
export const applyPalette = (palette: unknown): void => {
  const colours = validPalette(palette);
  const root = document.documentElement.style;
  BRAND_STEPS.forEach((step, index) => {
    root.setProperty(`--color-brand-${step}`, colours[index] ?? '');
  });
  root.setProperty('--color-on-brand-700', textColourOn(colours[7] ?? '#000000'));
};

/**
 * Hides every element whose data-testid the party listed in
 * `applicationConfig.hiddenFunctionality`. One stylesheet (nonce'd, so the CSP
 * allows it) also covers parts that load later, such as the staff panel.
 */
export const hideFunctionality = (testIds: unknown): void => {
  if (!Array.isArray(testIds)) return;
  const selectors = testIds
    .filter((id): id is string => typeof id === 'string' && id.length > 0)
    .map((id) => `[data-testid="${CSS.escape(id)}"]`);
  if (selectors.length === 0) return;
  const style = document.createElement('style');
  style.nonce = readNonce();
  style.textContent = `${selectors.join(',')}{display:none !important}`;
  document.head.append(style);
};

export const applyBranding = (config: AppConfig): void => {
  applyPalette(config.manifest.colorPalette);
  hideFunctionality(config.manifest.applicationConfig?.hiddenFunctionality);
  // The BFF renders the title; only fill it in when the page was served raw (vite dev).
  if (document.title.includes('{{') || document.title === '') {
    document.title = config.manifest.brandName ?? config.party.name;
  }
};

/** Absolute URL of the party logo, or null when there is none. */
export const logoUrl = (config: AppConfig): string | null => {
  const logo = config.manifest.images?.logo;
  if (!logo) return null;
  return new URL(logo, new URL(config.brandingBase, window.location.origin)).pathname;
};
