import { describe, expect, it } from 'vitest';

import { checkFormPayload, initialValue, typedFormInput } from './forms';

const form = (elements: Record<string, unknown>) => ({ title: 'T', form: { elements, submitBtnTitle: 'Send' } });

const EVERY_ELEMENT = {
  age: { name: 'Alder', type: 'number' },
  name: { name: 'Navn', type: 'text', value: 'Karen' },
  secret: { name: 'Kode', type: 'password', isOptional: true },
  mail: { name: 'E-mail', type: 'email', isOptional: true },
  phone: { name: 'Telefon', type: 'tel', placeholder: '+45' },
  site: { name: 'Hjemmeside', type: 'url', isOptional: true },
  note: { name: 'Note', type: 'textarea', isOptional: true },
  lang: {
    name: 'Sprog',
    type: 'select',
    options: [
      { id: 'da', label: 'Dansk' },
      { id: 'en', label: 'Engelsk' },
    ],
    selected: 'en',
  },
  topics: {
    name: 'Emner',
    type: 'checklist',
    options: [
      { id: 'a', label: 'A', checked: true },
      { id: 'b', label: 'B' },
    ],
  },
  answer: {
    name: 'Svar',
    type: 'radio',
    groupName: 'answer',
    options: [
      { id: '0', label: 'Ja', value: 'yes' },
      { id: '1', label: 'Nej', value: 'no' },
    ],
    checked: 'no',
  },
  rating: { name: 'Karakter', type: 'range', min: 0, max: 10, selectedValue: 7 },
};

describe('checkFormPayload', () => {
  it('accepts every element type', () => {
    const result = checkFormPayload(form(EVERY_ELEMENT));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.elements.map(([key]) => key)).toEqual(Object.keys(EVERY_ELEMENT));
  });

  it('names what is wrong', () => {
    const bad = (elements: Record<string, unknown>) => {
      const result = checkFormPayload(form(elements));
      return result.ok ? '' : result.reason;
    };
    expect(bad({ s: { name: 'S', type: 'select', options: [] } })).toMatch(/at least one option/);
    expect(bad({ s: { name: 'S', type: 'select', options: [{ id: 'a', label: 'A' }], selected: 'b' } })).toMatch(
      /'selected'/,
    );
    expect(bad({ x: { name: 'X', type: 'file' } })).toMatch(/unknown type 'file'/);
    expect(bad({ x: { type: 'text' } })).toMatch(/'x'.*name/);
    expect(bad({ r: { name: 'R', type: 'range', max: 'ten' } })).toMatch(/numbers/);
    expect(
      bad({
        c: {
          name: 'C',
          type: 'checklist',
          options: [
            { id: 'a', label: 'A' },
            { id: 'a', label: 'B' },
          ],
        },
      }),
    ).toMatch(/unique/);
    expect(checkFormPayload({ title: 'T' }).ok).toBe(false);
    expect(checkFormPayload(null).ok).toBe(false);
  });
});

describe('typedFormInput', () => {
  it('types the answer as the plugin API says: number, checklist record, else string', () => {
    const result = checkFormPayload(form(EVERY_ELEMENT));
    if (!result.ok) throw new Error(result.reason);
    const { elements } = result.value;
    const values = Object.fromEntries(elements.map(([key, element]) => [key, initialValue(element)]));
    values.age = '42';
    values.phone = '+4512345678';
    expect(typedFormInput(elements, values)).toEqual({
      age: 42,
      name: 'Karen',
      secret: '',
      mail: '',
      phone: '+4512345678',
      site: '',
      note: '',
      lang: 'en',
      topics: { a: true, b: false },
      answer: 'no',
      rating: '7',
    });
  });

  it('leaves an empty or unreadable number undefined', () => {
    const result = checkFormPayload(form({ n: { name: 'N', type: 'number', isOptional: true } }));
    if (!result.ok) throw new Error(result.reason);
    expect(typedFormInput(result.value.elements, { n: '' })).toEqual({ n: undefined });
    expect(typedFormInput(result.value.elements, { n: 'abc' })).toEqual({ n: undefined });
    expect(typedFormInput(result.value.elements, { n: '2.5' })).toEqual({ n: 2.5 });
  });
});
