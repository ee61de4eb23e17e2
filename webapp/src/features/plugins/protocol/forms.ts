/**
 * `ui:form:open`: the form elements a plugin may ask for, checked before anything is
 * shown, and the typed answer it gets back (number → number, checklist →
 * Record<optionId, boolean>, everything else → string), as @pexip/plugin-api's
 * `MapFormReturn` says.
 */
import { isRecord } from './messages';

interface Base {
  name: string;
  autoComplete?: string;
  isOptional?: boolean;
}

export type InputType = 'number' | 'text' | 'password' | 'email' | 'tel' | 'url';

export type FormElement =
  | (Base & { type: InputType; placeholder?: string; value?: string })
  | (Base & { type: 'textarea'; placeholder?: string; value?: string })
  | (Base & { type: 'select'; options: { id: string; label: string }[]; selected?: string })
  | (Base & { type: 'checklist'; options: { id: string; label: string; checked?: boolean; required?: boolean }[] })
  | (Base & {
      type: 'radio';
      groupName: string;
      options: { id: string; label: string; value: string; isDisabled?: boolean }[];
      checked?: string;
    })
  | (Base & { type: 'range'; min?: number; max?: number; step?: number; selectedValue?: number });

export interface FormSpec {
  title: string;
  description?: string;
  elements: [key: string, element: FormElement][];
  submitBtnTitle: string;
}

/** The value a field holds while the form is open. */
export type FieldValue = string | Record<string, boolean>;

/** What goes back in `ui:form:input`. */
export type FormInput = Record<string, string | number | Record<string, boolean> | undefined>;

const INPUT_TYPES = new Set<string>(['number', 'text', 'password', 'email', 'tel', 'url']);
const MAX_ELEMENTS = 40;
const MAX_OPTIONS = 100;
export const MAX_TEXT = 500;

type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

const text = (value: unknown, max = MAX_TEXT): value is string => typeof value === 'string' && value.length <= max;
const optionalText = (value: unknown): boolean => value === undefined || text(value);
const optionalBool = (value: unknown): boolean => value === undefined || typeof value === 'boolean';
const optionalNumber = (value: unknown): boolean =>
  value === undefined || (typeof value === 'number' && Number.isFinite(value));

const options = <T>(value: unknown, check: (option: Record<string, unknown>) => boolean): T[] | null => {
  if (!Array.isArray(value) || value.length > MAX_OPTIONS) return null;
  const ids = new Set<string>();
  for (const option of value as unknown[]) {
    if (!isRecord(option) || !text(option.id, 100) || !text(option.label) || !check(option)) return null;
    if (ids.has(option.id)) return null;
    ids.add(option.id);
  }
  return value as T[];
};

const checkElement = (key: string, raw: unknown): Result<FormElement> => {
  const fail = (why: string): Result<FormElement> => ({ ok: false, reason: `Form element '${key}': ${why}` });
  if (!isRecord(raw)) return fail('must be an object');
  const { type, name } = raw;
  if (!text(name) || !optionalText(raw.autoComplete) || !optionalBool(raw.isOptional)) {
    return fail('needs a name (text); autoComplete and isOptional are optional');
  }
  if (typeof type !== 'string') return fail('needs a type');
  if (INPUT_TYPES.has(type) || type === 'textarea') {
    if (!optionalText(raw.placeholder) || !(raw.value === undefined || text(raw.value, 5000))) {
      return fail('placeholder and value must be text');
    }
    return { ok: true, value: raw as unknown as FormElement };
  }
  switch (type) {
    case 'select': {
      const list = options(raw.options, () => true);
      if (!list || list.length === 0) return fail('The select elements in the form must have at least one option');
      if (raw.selected !== undefined && !list.some((option) => (option as { id: string }).id === raw.selected)) {
        return fail("A SelectElement's 'selected' value must be one of its options' IDs");
      }
      return { ok: true, value: raw as unknown as FormElement };
    }
    case 'checklist': {
      const list = options(raw.options, (option) => optionalBool(option.checked) && optionalBool(option.required));
      if (!list) return fail('options must be a list of {id, label, checked?, required?} with unique ids');
      return { ok: true, value: raw as unknown as FormElement };
    }
    case 'radio': {
      const list = options<{ id: string; value: string }>(
        raw.options,
        (option) => text(option.value) && optionalBool(option.isDisabled),
      );
      if (!list || list.length === 0 || !text(raw.groupName, 100)) {
        return fail('needs a groupName and options [{id, label, value, isDisabled?}] with unique ids');
      }
      if (
        raw.checked !== undefined &&
        !list.some((option) => option.value === raw.checked || option.id === raw.checked)
      ) {
        return fail("'checked' must be one of its options");
      }
      return { ok: true, value: raw as unknown as FormElement };
    }
    case 'range': {
      if (
        !optionalNumber(raw.min) ||
        !optionalNumber(raw.max) ||
        !optionalNumber(raw.step) ||
        !optionalNumber(raw.selectedValue)
      ) {
        return fail('min, max, step and selectedValue must be numbers');
      }
      return { ok: true, value: raw as unknown as FormElement };
    }
    default:
      return fail(`unknown type '${type}'`);
  }
};

/** Checks a `ui:form:open` payload; the reason names what is wrong. */
export const checkFormPayload = (payload: unknown): Result<FormSpec> => {
  if (!isRecord(payload) || !text(payload.title) || !optionalText(payload.description) || !isRecord(payload.form)) {
    return { ok: false, reason: 'A form needs a title, an optional description and a form' };
  }
  const { elements, submitBtnTitle } = payload.form;
  if (!isRecord(elements) || !text(submitBtnTitle, 100)) {
    return { ok: false, reason: 'form needs elements (an object) and a submitBtnTitle' };
  }
  const keys = Object.keys(elements);
  if (keys.length > MAX_ELEMENTS) return { ok: false, reason: `A form has at most ${MAX_ELEMENTS} elements` };
  const checked: [string, FormElement][] = [];
  for (const key of keys) {
    const result = checkElement(key, elements[key]);
    if (!result.ok) return result;
    checked.push([key, result.value]);
  }
  return {
    ok: true,
    value: {
      title: payload.title,
      ...(typeof payload.description === 'string' ? { description: payload.description } : {}),
      elements: checked,
      submitBtnTitle,
    },
  };
};

/** The value each field starts with (the plugin's defaults). */
export const initialValue = (element: FormElement): FieldValue => {
  switch (element.type) {
    case 'select':
      return element.selected ?? element.options[0]?.id ?? '';
    case 'checklist':
      return Object.fromEntries(element.options.map((option) => [option.id, Boolean(option.checked)]));
    case 'radio': {
      // `checked` names the option by value (or, tolerated, by id); the answer is its value.
      const option =
        element.options.find((o) => o.value === element.checked) ??
        element.options.find((o) => o.id === element.checked);
      return option?.value ?? '';
    }
    case 'range':
      return String(element.selectedValue ?? element.min ?? 0);
    default:
      return element.value ?? '';
  }
};

/** The answer as the plugin's types promise it. */
export const typedFormInput = (elements: FormSpec['elements'], values: Record<string, FieldValue>): FormInput => {
  const input: FormInput = {};
  for (const [key, element] of elements) {
    const value = values[key] ?? initialValue(element);
    if (element.type === 'checklist') {
      const checked = typeof value === 'object' ? value : {};
      input[key] = Object.fromEntries(element.options.map((option) => [option.id, Boolean(checked[option.id])]));
    } else if (element.type === 'number') {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      input[key] = Number.isFinite(number) ? number : undefined;
    } else {
      input[key] = typeof value === 'string' ? value : '';
    }
  }
  return input;
};
