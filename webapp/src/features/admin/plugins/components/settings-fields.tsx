import { type InputHTMLAttributes, useId } from 'react';

import { TextField } from '@/components/text-field';
import { type Translator, useT } from '@/lib/i18n';

import { type FieldSpec, getAt, setAt } from '../schema-form';

export interface SettingsFieldsProps {
  pluginId: string;
  fields: FieldSpec[];
  settings: Record<string, unknown>;
  errors: Record<string, string>;
  onChange: (settings: Record<string, unknown>) => void;
}

const shown = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

const defaultHint = (t: Translator['t'], field: FieldSpec): string | undefined => {
  const parts = [
    field.description,
    field.schema.default !== undefined ? t('admin.plugins.defaultHint', { value: shown(field.schema.default) }) : null,
  ];
  const hint = parts.filter(Boolean).join(' ');
  return hint || undefined;
};

const labelOf = (t: Translator['t'], field: FieldSpec): string =>
  field.required && field.schema.default === undefined
    ? t('admin.plugins.requiredLabel', { label: field.label })
    : field.label;

interface OneFieldProps extends SettingsFieldsProps {
  field: FieldSpec;
}

const SelectField = ({ pluginId, field, settings, errors, onChange }: OneFieldProps) => {
  const t = useT();
  const id = useId();
  const value = getAt(settings, field.path);
  const error = errors[field.path];
  const hint = defaultHint(t, field);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const options = field.schema.enum ?? [];
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {labelOf(t, field)}
      </label>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <select
        id={id}
        className="field__input"
        data-testid={`setting-${pluginId}-${field.path}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        value={value === undefined ? '' : String(options.findIndex((o) => o === value))}
        onChange={(event) => {
          const index = event.target.value === '' ? -1 : Number(event.target.value);
          onChange(setAt(settings, field.path, index < 0 ? undefined : options[index]));
        }}
      >
        <option value="">
          {field.schema.default !== undefined
            ? t('admin.plugins.default', { value: shown(field.schema.default) })
            : t('admin.plugins.choose')}
        </option>
        {options.map((option, index) => (
          <option key={shown(option)} value={String(index)}>
            {shown(option)}
          </option>
        ))}
      </select>
      {error && (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
};

const CheckboxField = ({ pluginId, field, settings, errors, onChange }: OneFieldProps) => {
  const id = useId();
  const value = getAt(settings, field.path);
  const checked = typeof value === 'boolean' ? value : field.schema.default === true;
  const error = errors[field.path];
  return (
    <div className="field plugins-admin__check">
      <input
        id={id}
        type="checkbox"
        data-testid={`setting-${pluginId}-${field.path}`}
        checked={checked}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(setAt(settings, field.path, event.target.checked))}
      />
      <label htmlFor={id}>{field.label}</label>
      {error && (
        <p className="field__error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
};

const OneField = (props: OneFieldProps) => {
  const t = useT();
  const { pluginId, field, settings, errors, onChange } = props;
  switch (field.kind) {
    case 'group':
      return (
        <fieldset className="plugins-admin__group">
          <legend>{field.label}</legend>
          {field.description && <p className="field__hint">{field.description}</p>}
          <SettingsFields {...props} fields={field.children} />
        </fieldset>
      );
    case 'select':
      return <SelectField {...props} />;
    case 'boolean':
      return <CheckboxField {...props} />;
    case 'number':
    case 'integer':
    case 'text': {
      const numeric = field.kind !== 'text';
      // A number keeps the browser's number keyboard; text is taken as typed (no spelling fixes).
      const typing: InputHTMLAttributes<HTMLInputElement> = numeric
        ? { step: field.kind === 'integer' ? 1 : 'any', inputMode: field.kind === 'integer' ? 'numeric' : 'decimal' }
        : { spellCheck: false, autoComplete: 'off' };
      return (
        <TextField
          label={labelOf(t, field)}
          hint={defaultHint(t, field)}
          testId={`setting-${pluginId}-${field.path}`}
          type={numeric ? 'number' : 'text'}
          {...typing}
          error={errors[field.path] ?? null}
          value={shown(getAt(settings, field.path))}
          onChange={(event) => {
            const raw = event.target.value;
            onChange(setAt(settings, field.path, raw === '' ? undefined : numeric ? Number(raw) : raw));
          }}
        />
      );
    }
    default:
      return (
        <p className="field__hint">
          {t('admin.plugins.notEditable', {
            label: field.label,
            value: JSON.stringify(getAt(settings, field.path) ?? null),
          })}
        </p>
      );
  }
};

/** The fields a plugin's settings schema describes, with inline errors by path. */
export const SettingsFields = (props: SettingsFieldsProps) => (
  <>
    {props.fields.map((field) => (
      <OneField key={field.path} {...props} field={field} />
    ))}
  </>
);
