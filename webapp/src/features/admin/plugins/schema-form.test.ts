import { describe, expect, it } from 'vitest';

import { checkSettings, fieldsOf, getAt, setAt } from './schema-form';

const SCHEMA = {
  type: 'object',
  required: ['destination'],
  properties: {
    destination: { type: 'string', title: 'Adresse', minLength: 3, pattern: '^[^\\s]+$' },
    protocol: { type: 'string', enum: ['sip', 'h323'], default: 'sip' },
    level: { type: 'integer', minimum: 1, maximum: 3 },
    loud: { type: 'boolean' },
    nested: { type: 'object', properties: { inner: { type: 'string', maxLength: 2 } } },
  },
};

describe('schema form', () => {
  it('makes fields of each kind', () => {
    const fields = fieldsOf(SCHEMA);
    expect(fields.map((f) => [f.path, f.kind, f.required])).toEqual([
      ['destination', 'text', true],
      ['protocol', 'select', false],
      ['level', 'integer', false],
      ['loud', 'boolean', false],
      ['nested', 'group', false],
    ]);
    expect(fields[0]?.label).toBe('Adresse');
    expect(fields[4]?.children[0]?.path).toBe('nested.inner');
  });

  it('checks values with Danish messages', () => {
    const fields = fieldsOf(SCHEMA);
    expect(checkSettings(fields, {})).toEqual({ destination: 'Skal udfyldes.' });
    expect(checkSettings(fields, { destination: 'a b', level: 7, protocol: 'x', nested: { inner: 'abc' } })).toEqual({
      destination: 'Har ikke den rigtige form.',
      level: 'Må højst være 3.',
      protocol: 'Vælg en af mulighederne.',
      'nested.inner': 'Må højst være 2 tegn.',
    });
    expect(checkSettings(fields, { destination: 'tolk@x', level: 2.5 })).toEqual({ level: 'Skal være et helt tal.' });
  });

  it('sets and clears nested values', () => {
    const set = setAt({}, 'nested.inner', 'ab');
    expect(set).toEqual({ nested: { inner: 'ab' } });
    expect(getAt(set, 'nested.inner')).toBe('ab');
    expect(setAt(set, 'nested.inner', undefined)).toEqual({});
  });
});
