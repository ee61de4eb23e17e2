/**
 * The extra sandbox flags a party may grant a plugin (Webapp3's allow-list). Everything
 * else (allow-top-navigation, allow-modals, allow-pointer-lock, ...) is dropped.
 */
const GRANTABLE = new Set([
  'allow-same-origin',
  'allow-popups',
  'allow-popups-to-escape-sandbox',
  'allow-forms',
  'allow-downloads',
]);

/**
 * The `sandbox` attribute for a plugin iframe: always `allow-scripts`, plus the granted
 * values that are on the allow-list. `allow-same-origin` is refused for a plugin served
 * from the app's own origin: that pair would let it reach straight into the page.
 */
export const sandboxFor = (values: unknown, src: string, appOrigin: string): string[] => {
  const granted = new Set<string>(['allow-scripts']);
  if (!Array.isArray(values)) return [...granted];
  const sameOrigin = originOf(src, appOrigin) === appOrigin;
  for (const value of values) {
    if (typeof value !== 'string' || !GRANTABLE.has(value)) continue;
    if (value === 'allow-same-origin' && sameOrigin) continue;
    granted.add(value);
  }
  return [...granted];
};

/** The origin of `url` (resolved against `base`), or '' when it is not http(s). */
export const originOf = (url: string, base: string): string => {
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : '';
  } catch {
    return '';
  }
};

/** An absolute http(s) URL for `url` resolved against `base`, or null. */
export const httpUrl = (url: unknown, base: string): string | null => {
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048) return null;
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
};

/**
 * The permissions a party may grant a plugin (its catalogue entry declares which it uses):
 * the iframe's `allow` attribute, each for the iframe's own origin (the attribute's default).
 */
export const GRANTABLE_PERMISSIONS = [
  'microphone',
  'camera',
  'display-capture',
  'clipboard-write',
  'fullscreen',
  'autoplay',
] as const;

/** The `allow` attribute for the granted permissions: '' when none is granted. */
export const allowFor = (values: unknown): string => {
  if (!Array.isArray(values)) return '';
  const known = new Set<string>(GRANTABLE_PERMISSIONS);
  return [...new Set(values.filter((value): value is string => typeof value === 'string' && known.has(value)))].join(
    '; ',
  );
};
