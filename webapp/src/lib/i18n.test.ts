import { describe, expect, it } from 'vitest';

import { chooseLanguage, createTranslator, mergeTranslations } from './i18n';

describe('chooseLanguage', () => {
  it('takes the stored choice first, then the browser languages, then Danish', () => {
    expect(chooseLanguage('en', ['da-DK'])).toBe('en');
    expect(chooseLanguage(null, ['de-DE', 'en-GB', 'da'])).toBe('en');
    expect(chooseLanguage(null, ['nb-NO'])).toBe('da');
    expect(chooseLanguage('xx', ['fr'])).toBe('da');
  });
});

describe('mergeTranslations (a party manifest over our messages)', () => {
  const base = { call: { reconnecting: 'Genopretter forbindelsen…', leave: 'Forlad mødet' } };

  it('replaces a string and keeps the rest', () => {
    const merged = mergeTranslations(base, { call: { leave: 'Afslut' } });
    expect(merged).toEqual({ call: { reconnecting: 'Genopretter forbindelsen…', leave: 'Afslut' } });
  });

  it('never removes a message or turns a string into an object', () => {
    const merged = mergeTranslations(base, { call: { leave: '', reconnecting: { x: 'y' } }, extra: 1 });
    expect(merged).toEqual(base);
  });
});

describe('translator', () => {
  it('fills placeholders and picks plural forms', () => {
    const { t, tn } = createTranslator('da', {
      a: 'Hej {{name}}',
      n_one: '{{count}} besked',
      n_other: '{{count}} beskeder',
    });
    expect(t('a', { name: 'Karen' })).toBe('Hej Karen');
    expect(tn('n', 1)).toBe('1 besked');
    expect(tn('n', 3)).toBe('3 beskeder');
  });

  it('answers the key (and records it) when a message is missing', () => {
    const { t } = createTranslator('en', {});
    expect(t('nowhere.to.be.found')).toBe('nowhere.to.be.found');
    expect((globalThis as { __bvMissingTranslations?: string[] }).__bvMissingTranslations).toContain(
      'nowhere.to.be.found',
    );
  });
});
