import { type AppConfig, DEV_CONFIG } from '@/config/app-config';

const CONFIG_ELEMENT_ID = 'bv-config';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const parseConfig = (text: string): AppConfig | null => {
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value) && isObject(value.party) && typeof value.basePath === 'string') {
      return value as unknown as AppConfig;
    }
  } catch {
    // Not rendered by the BFF (e.g. `vite dev` shows the raw placeholder).
  }
  return null;
};

let cached: AppConfig | undefined;

/** Reads the per-party configuration the BFF rendered into the page, once. */
export const readConfig = (): AppConfig => {
  if (!cached) {
    const text = document.getElementById(CONFIG_ELEMENT_ID)?.textContent ?? '';
    cached = parseConfig(text) ?? DEV_CONFIG;
  }
  return cached;
};

/** The page's CSP nonce, readable from the config tag (browsers hide the attribute). */
export const readNonce = (): string =>
  (document.getElementById(CONFIG_ELEMENT_ID) as HTMLScriptElement | null)?.nonce ?? '';
