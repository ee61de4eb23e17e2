/**
 * A first-party plugin's words in the person's language. Each plugin keeps its own catalogue
 * (`{da: {...}, en: {...}}`, the same keys in both); the language is the one the host tells
 * every plugin and widget on its handshake and whenever the person switches
 * (`event:languageSelect`, @pexip/plugin-api dist/index.js `events.languageSelect`), else the
 * browser's. Placeholders are `{{name}}`, as in the webapp's catalogue.
 */
import type { Plugin } from '@pexip/plugin-api';

export type Language = 'da' | 'en';
export type Catalogue<K extends string> = Record<Language, Record<K, string>>;

const isLanguage = (value: unknown): value is Language => value === 'da' || value === 'en';

/** The browser's first language we speak (Norwegian and Swedish read Danish), else Danish. */
export const browserLanguage = (): Language => {
  for (const tag of navigator.languages ?? []) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
    if (primary === 'nb' || primary === 'nn' || primary === 'no' || primary === 'sv') return 'da';
  }
  return 'da';
};

/** `t(key, params)` over one language of a catalogue. */
export const translator =
  <K extends string>(catalogue: Catalogue<K>, language: Language) =>
  (key: K, params: Record<string, string | number> = {}): string =>
    catalogue[language][key].replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(params[name] ?? ''));

type LanguageEvents = Pick<Plugin['events'], 'languageSelect'>;

/**
 * The host's language: the first `event:languageSelect` (sent right after the handshake that
 * `registerPlugin` / `registerWidget` awaited), else the browser's after `waitMs`. Call it at
 * once after registering, before awaiting anything else. `onChange` hears later switches.
 */
export const hostLanguage = (
  events: LanguageEvents,
  onChange?: (language: Language) => void,
  waitMs = 500,
): Promise<Language> =>
  new Promise((resolve) => {
    let first = true;
    const timer = window.setTimeout(() => {
      first = false;
      resolve(browserLanguage());
    }, waitMs);
    events.languageSelect.add((chosen) => {
      const language = isLanguage(chosen) ? chosen : browserLanguage();
      if (first) {
        first = false;
        window.clearTimeout(timer);
        resolve(language);
      } else {
        onChange?.(language);
      }
    });
  });
