import type { AppConfig } from '@/config/app-config';
import { BRAND_STEPS, DEFAULT_PALETTE } from '@/config/palette';
import { readNonce } from '@/lib/config';
import { matchRoute } from '@/lib/location';

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

/**
 * The path of a file of the party's branding package (`rel` as the manifest names it), or
 * null for anything that would leave the branding path (the BFF checked it; this is belt
 * and braces: never another origin).
 */
export const brandingUrl = (config: AppConfig, rel: unknown): string | null => {
  if (typeof rel !== 'string' || rel === '') return null;
  const base = new URL(config.brandingBase, 'https://app.invalid'); // paths only: any origin
  const url = new URL(rel, base);
  return url.origin === base.origin && url.pathname.startsWith(base.pathname) ? url.pathname : null;
};

/** The package's stylesheets (`files.styles`), same-origin under the CSP (nonce'd links). */
export const applyStyles = (config: AppConfig): void => {
  for (const rel of config.manifest.files?.styles ?? []) {
    const href = brandingUrl(config, rel);
    if (!href) continue;
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.nonce = readNonce();
    link.dataset.branding = 'styles';
    document.head.append(link);
  }
};

/** `favicon` as the tab's icon; `images.background` behind the page (`--bv-background-image`). */
const applyImages = (config: AppConfig): void => {
  const favicon = brandingUrl(config, config.manifest.favicon);
  if (favicon) {
    const link = document.createElement('link');
    link.rel = 'icon';
    link.href = favicon;
    document.head.append(link);
  }
  const background = brandingUrl(config, config.manifest.images?.background);
  if (background) {
    document.documentElement.style.setProperty('--bv-background-image', `url("${background}")`);
    document.documentElement.dataset.bvBackground = 'true';
  }
};

export const applyBranding = (config: AppConfig): void => {
  applyPalette(config.manifest.colorPalette);
  // The admin pages keep their own layout: a package's CSS or hidden list cannot lock the
  // party's administrator out of the page that rolls it back.
  if (matchRoute(window.location.pathname, config.basePath).name !== 'admin') {
    hideFunctionality(config.manifest.applicationConfig?.hiddenFunctionality);
    applyStyles(config);
  }
  applyImages(config);
  // The BFF renders the title; only fill it in when the page was served raw (vite dev).
  if (document.title.includes('{{') || document.title === '') {
    document.title = config.manifest.appTitle ?? config.manifest.brandName ?? config.party.name;
  }
};

/** Absolute URL of the party logo, or null when there is none. */
export const logoUrl = (config: AppConfig): string | null => brandingUrl(config, config.manifest.images?.logo);

/** The start page's banner image (`images.jumbotron`), or null. */
export const jumbotronUrl = (config: AppConfig): string | null =>
  brandingUrl(config, config.manifest.images?.jumbotron);

/**
 * A user setting's starting value: what the user chose (kept by the caller), else the
 * party's `defaultUserConfig[key]` when it has the fallback's type, else the fallback.
 * Webapp3 applies `defaultUserConfig` only while the user has not changed the setting.
 */
export const userDefault = <T extends boolean | number | string>(config: AppConfig, key: string, fallback: T): T => {
  const value = config.manifest.defaultUserConfig?.[key];
  return typeof value === typeof fallback ? (value as T) : fallback;
};
