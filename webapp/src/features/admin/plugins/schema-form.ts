/**
 * A settings form from a plugin's JSON Schema: the fields it shows and their checks, with
 * messages in the page's language. The BFF checks again with a full JSON Schema library; this covers what
 * plugin schemas use (strings, numbers, booleans, enums, nested objects) so the admin sees
 * the problem at the field before saving.
 */

import { createTranslator, type Translator } from '@/lib/i18n';
import da from '@/locales/da.json';

import type { JsonSchema } from './plugins-api';

export type FieldKind = 'text' | 'number' | 'integer' | 'boolean' | 'select' | 'group' | 'json';

export interface FieldSpec {
  /** Dotted path below `settings`, e.g. `destination` or `nested.level`. */
  path: string;
  name: string;
  kind: FieldKind;
  label: string;
  description: string | null;
  required: boolean;
  schema: JsonSchema;
  children: FieldSpec[];
}

const typeOf = (schema: JsonSchema): string | undefined =>
  Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;

const kindOf = (schema: JsonSchema): FieldKind => {
  if (Array.isArray(schema.enum)) return 'select';
  switch (typeOf(schema)) {
    case 'string':
      return 'text';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'group';
    default:
      return 'json';
  }
};

export const fieldsOf = (schema: JsonSchema, prefix = ''): FieldSpec[] =>
  Object.entries(schema.properties ?? {}).map(([name, child]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    const kind = kindOf(child);
    return {
      path,
      name,
      kind,
      label: child.title ?? name,
      description: child.description ?? null,
      required: (schema.required ?? []).includes(name),
      schema: child,
      children: kind === 'group' ? fieldsOf(child, path) : [],
    };
  });

export const getAt = (settings: Record<string, unknown>, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
      settings,
    );

/** A copy of `settings` with `path` set (`undefined` removes it; empty groups go too). */
export const setAt = (settings: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> => {
  const [head, ...rest] = path.split('.');
  if (head === undefined) return settings;
  const next = { ...settings };
  if (rest.length === 0) {
    if (value === undefined) delete next[head];
    else next[head] = value;
    return next;
  }
  const inner = next[head] && typeof next[head] === 'object' ? (next[head] as Record<string, unknown>) : {};
  const changed = setAt(inner, rest.join('.'), value);
  if (Object.keys(changed).length === 0) delete next[head];
  else next[head] = changed;
  return next;
};

type Translate = Translator['t'];
const danish: Translate = createTranslator('da', da).t;

/** The problem with one value in the page's language (`t`; Danish by default), or null.
 * `value` undefined: not given. */
export const checkValue = (field: FieldSpec, value: unknown, t: Translate = danish): string | null => {
  const { schema } = field;
  if (value === undefined || value === '') {
    return field.required && schema.default === undefined ? t('admin.schema.required') : null;
  }
  switch (field.kind) {
    case 'text': {
      if (typeof value !== 'string') return t('admin.schema.text');
      if (schema.minLength !== undefined && value.length < schema.minLength)
        return t('admin.schema.minLength', { count: schema.minLength });
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        return t('admin.schema.maxLength', { count: schema.maxLength });
      if (schema.pattern !== undefined) {
        try {
          if (!new RegExp(schema.pattern, 'u').test(value)) return t('admin.schema.pattern');
        } catch {
          return null; // a pattern the browser cannot read: the BFF decides
        }
      }
      return null;
    }
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || Number.isNaN(value)) return t('admin.schema.number');
      if (field.kind === 'integer' && !Number.isInteger(value)) return t('admin.schema.integer');
      if (schema.minimum !== undefined && value < schema.minimum)
        return t('admin.schema.minimum', { value: schema.minimum });
      if (schema.maximum !== undefined && value > schema.maximum)
        return t('admin.schema.maximum', { value: schema.maximum });
      return null;
    }
    case 'select':
      return (schema.enum ?? []).some((option) => option === value) ? null : t('admin.schema.choose');
    case 'boolean':
      return typeof value === 'boolean' ? null : t('admin.schema.boolean');
    default:
      return null;
  }
};

/** Every field's problem, by path. */
export const checkSettings = (
  fields: FieldSpec[],
  settings: Record<string, unknown>,
  t: Translate = danish,
): Record<string, string> => {
  const problems: Record<string, string> = {};
  const walk = (list: FieldSpec[]) => {
    for (const field of list) {
      if (field.kind === 'group') walk(field.children);
      else {
        const problem = checkValue(field, getAt(settings, field.path), t);
        if (problem) problems[field.path] = problem;
      }
    }
  };
  walk(fields);
  return problems;
};
