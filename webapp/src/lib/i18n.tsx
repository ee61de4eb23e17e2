import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import rosetta from 'rosetta';

import da from '@/locales/da.json';

/**
 * Messages per language in `src/locales/<lang>.json` (Danish is the default and ships in the
 * first chunk; the others load when chosen). Keys are nested as i18next's are and
 * placeholders are `{{name}}`, so a Webapp3 manifest's `translations` (i18next resources)
 * drop in: `mergeTranslations` is the one place a party's wording is laid over ours.
 * Plurals are keys with i18next's suffixes (`_one`, `_other`), picked by Intl.PluralRules.
 */
export const LANGUAGES = ['da', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'da';

/** The name of each language in itself: what the switcher shows. */
export const LANGUAGE_NAMES: Record<Language, string> = { da: 'Dansk', en: 'English' };

export type Messages = { [key: string]: string | Messages };
type Params = Record<string, string | number>;

const STORAGE_KEY = 'bv-lang';
/** Read by the BFF's own pages (errors) so they speak the language chosen here. */
const COOKIE = 'bv_lang';

const loaders: Record<Language, () => Promise<Messages>> = {
  da: () => Promise.resolve(da),
  en: () => import('@/locales/en.json').then((m) => m.default as Messages),
};

const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The merge point for a party's wording: `overrides` (a Webapp3 manifest's
 * `translations[lang]`, as the BFF renders it into the page) laid over our messages, key by
 * key, nested objects merged. Only strings replace strings; anything else is ignored, so a
 * manifest can neither remove a message nor turn it into markup.
 */
export const mergeTranslations = (base: Messages, overrides: unknown): Messages => {
  if (!isObject(overrides)) return base;
  const merged: Messages = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    if (typeof value === 'string' && value.trim() !== '' && (current === undefined || typeof current === 'string')) {
      merged[key] = value;
    } else if (isObject(value) && (current === undefined || typeof current === 'object')) {
      merged[key] = mergeTranslations(current ?? {}, value);
    }
  }
  return merged;
};

/** The stored choice, else the first of the browser's languages we speak, else Danish. */
export const chooseLanguage = (stored: string | null, preferred: readonly string[]): Language => {
  if (isLanguage(stored)) return stored;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
    // Norwegian and Swedish readers read Danish better than English.
    if (primary === 'nb' || primary === 'nn' || primary === 'no' || primary === 'sv') return 'da';
  }
  return DEFAULT_LANGUAGE;
};

const readStored = (): string | null => {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
};

const store = (language: Language): void => {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // private mode: the cookie below still carries it
  }
  document.cookie = `${COOKIE}=${language}; path=/; max-age=31536000; samesite=lax`;
};

/** Keys asked for that no message file has (tests read it: every visible string is translated). */
const missing = new Set<string>();
declare global {
  interface Window {
    __bvMissingTranslations?: string[];
  }
}

export interface Translator {
  language: Language;
  t: (key: string, params?: Params) => string;
  /** `key_one` / `key_other` by the language's plural rules, with `{{count}}`. */
  tn: (key: string, count: number, params?: Params) => string;
}

export const createTranslator = (language: Language, messages: Messages): Translator => {
  const i18n = rosetta<Messages>({ [language]: messages });
  i18n.locale(language);
  const plural = new Intl.PluralRules(language);
  const t = (key: string, params?: Params): string => {
    const value = i18n.t(key, params) as unknown;
    if (typeof value === 'string' && value !== '') return value;
    if (!missing.has(key)) {
      missing.add(key);
      (globalThis as { __bvMissingTranslations?: string[] }).__bvMissingTranslations = [...missing];
      console.error(`missing translation: ${language} ${key}`);
    }
    return key;
  };
  const tn = (key: string, count: number, params?: Params): string =>
    t(`${key}_${plural.select(count) === 'one' ? 'one' : 'other'}`, { ...params, count });
  return { language, t, tn };
};

/** The manifest's `translations` for one language (`{da: {...}, en: {...}}`), or nothing. */
const overridesFor = (translations: unknown, language: Language): unknown =>
  isObject(translations) ? translations[language] : undefined;

export interface LoadedLanguage {
  language: Language;
  messages: Messages;
}

/** The messages of `language` with the party's wording laid over them. */
export const loadLanguage = async (language: Language, translations: unknown): Promise<LoadedLanguage> => {
  const messages = await loaders[language]().catch(() => da);
  return { language, messages: mergeTranslations(messages, overridesFor(translations, language)) };
};

/** Before the first render: the language to start in (Danish without waiting). */
export const initialLanguage = (): Language => chooseLanguage(readStored(), navigator.languages ?? []);

interface I18nContextValue extends Translator {
  setLanguage: (language: Language) => void;
}

const I18nContext = createContext<I18nContextValue | null>(null);

export const I18nProvider = ({
  initial,
  translations,
  children,
}: {
  initial: LoadedLanguage;
  translations: unknown;
  children: ReactNode;
}) => {
  const [loaded, setLoaded] = useState(initial);
  const setLanguage = useCallback(
    (language: Language) => {
      store(language);
      void loadLanguage(language, translations).then(setLoaded);
    },
    [translations],
  );
  useEffect(() => {
    document.documentElement.lang = loaded.language;
  }, [loaded.language]);
  const value = useMemo(
    () => ({ ...createTranslator(loaded.language, loaded.messages), setLanguage }),
    [loaded, setLanguage],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
};

const fallback = createTranslator(DEFAULT_LANGUAGE, da);

/** `t`, `tn`, the language and how to change it. Outside the provider: Danish. */
export const useI18n = (): I18nContextValue => useContext(I18nContext) ?? { ...fallback, setLanguage: () => undefined };

export const useT = (): Translator['t'] => useI18n().t;
