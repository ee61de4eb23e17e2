import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { SelectField } from '@/components/select-field';
import { useT } from '@/lib/i18n';

import type { PluginHost } from '../host/plugin-host';
import type { FormModal, PluginModal, PromptModal } from '../host/ui-state';
import { type FieldValue, type FormElement, initialValue } from '../protocol/forms';
import { useUiState } from '../use-ui-state';

/** A native modal <dialog>: focus kept inside, Escape closes (as "Luk" does). */
const Dialog = ({
  title,
  description,
  onClose,
  children,
}: {
  title: string;
  description?: string | undefined;
  onClose: () => void;
  children: ReactNode;
}) => {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog plugin-dialog"
      data-testid="plugin-dialog"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {description && <p id={descriptionId}>{description}</p>}
      {children}
      <button type="button" className="plugin-dialog__close" aria-label={t('plugins.close')} onClick={onClose}>
        ×
      </button>
    </dialog>
  );
};

/** A control under its label (the label names it by its id). */
const LabelledField = ({ id, label, children }: { id: string; label: string; children: ReactNode }) => (
  <div className="field">
    <label className="field__label" htmlFor={id}>
      {label}
    </label>
    {children}
  </div>
);

/** Radio buttons or checkboxes under their legend: each option's box (`box`), then its label. */
const Choices = <Option extends { id: string; label: string }>({
  testId,
  label,
  options,
  box,
}: {
  testId: string;
  label: string;
  options: Option[];
  box: (option: Option) => ReactNode;
}) => (
  <fieldset className="field plugin-choices" data-testid={testId}>
    <legend className="field__label">{label}</legend>
    {options.map((option) => (
      <label key={option.id} className="plugin-choice">
        {box(option)}
        {option.label}
      </label>
    ))}
  </fieldset>
);

const Field = ({
  name,
  element,
  value,
  onChange,
}: {
  name: string;
  element: FormElement;
  value: FieldValue;
  onChange: (value: FieldValue) => void;
}) => {
  const id = useId();
  const required = element.type !== 'range' && !element.isOptional;
  const text = typeof value === 'string' ? value : '';
  const testId = `plugin-field-${name}`;
  // What every one-value control has: its id (for the label), name, required, value.
  const control = {
    id,
    name,
    required,
    value: text,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
  };
  // A control of our own markup: known by its test id, labelled as SelectField labels its select.
  const own = { ...control, 'data-testid': testId };
  const labelled = (input: ReactNode) => (
    <LabelledField id={id} label={element.name}>
      {input}
    </LabelledField>
  );
  const choices = <Option extends { id: string; label: string }>(
    options: Option[],
    box: (option: Option) => ReactNode,
  ) => <Choices testId={testId} label={element.name} options={options} box={box} />;
  switch (element.type) {
    case 'select':
      return (
        <SelectField {...control} label={element.name} testId={testId}>
          {element.options.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </SelectField>
      );
    case 'checklist': {
      const checked = typeof value === 'object' ? value : {};
      return choices(element.options, (option) => (
        <input
          type="checkbox"
          name={`${name}.${option.id}`}
          required={option.required}
          checked={Boolean(checked[option.id])}
          onChange={(event) => onChange({ ...checked, [option.id]: event.target.checked })}
        />
      ));
    }
    case 'radio':
      return choices(element.options, (option) => (
        <input
          type="radio"
          name={`${id}-${element.groupName}`}
          value={option.value}
          required={required}
          disabled={option.isDisabled}
          checked={text === option.value}
          onChange={() => onChange(option.value)}
        />
      ));
    case 'range':
      return labelled(
        <>
          <input {...own} type="range" min={element.min} max={element.max} step={element.step} />
          <output htmlFor={id}>{text}</output>
        </>,
      );
    case 'textarea':
    default: {
      const typed = { ...own, className: 'field__input', placeholder: element.placeholder };
      return labelled(
        element.type === 'textarea' ? (
          <textarea {...typed} autoComplete={element.autoComplete} />
        ) : (
          <input
            {...typed}
            type={element.type}
            autoComplete={element.autoComplete ?? 'off'}
            inputMode={element.type === 'number' ? 'decimal' : undefined}
            step={element.type === 'number' ? 'any' : undefined}
          />
        ),
      );
    }
  }
};

const PluginForm = ({ host, modal }: { host: PluginHost; modal: FormModal }) => {
  const { spec } = modal;
  const [values, setValues] = useState<Record<string, FieldValue>>(() =>
    Object.fromEntries(spec.elements.map(([key, element]) => [key, initialValue(element)])),
  );
  const [sent, setSent] = useState(false);
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    host.submitForm(modal.id, values);
    setSent(true);
  };
  return (
    <Dialog title={spec.title} description={spec.description} onClose={() => host.dismissModal(modal.id)}>
      <form className="plugin-form" onSubmit={handleSubmit} data-testid="plugin-form">
        {spec.elements.map(([key, element]) => (
          <Field
            key={key}
            name={key}
            element={element}
            value={values[key] ?? initialValue(element)}
            onChange={(value) => setValues((current) => ({ ...current, [key]: value }))}
          />
        ))}
        <Button type="submit" testId="plugin-form-submit">
          {spec.submitBtnTitle}
        </Button>
        <p className="visually-hidden" role="status">
          {sent ? 'Sendt' : ''}
        </p>
      </form>
    </Dialog>
  );
};

const PluginPrompt = ({ host, modal }: { host: PluginHost; modal: PromptModal }) => (
  <Dialog title={modal.title} description={modal.description} onClose={() => host.dismissModal(modal.id)}>
    <div className="plugin-prompt__actions">
      {modal.secondaryAction && (
        <Button
          variant="secondary"
          testId="plugin-prompt-secondary"
          onClick={() => host.answerPrompt(modal.id, modal.secondaryAction ?? '')}
        >
          {modal.secondaryAction}
        </Button>
      )}
      <Button testId="plugin-prompt-primary" onClick={() => host.answerPrompt(modal.id, modal.primaryAction)}>
        {modal.primaryAction}
      </Button>
    </div>
  </Dialog>
);

/** The first open form or prompt (one at a time, in the order plugins opened them). */
export const PluginModals = ({ host }: { host: PluginHost }) => {
  const { modals } = useUiState(host);
  const current: PluginModal | undefined = modals.find((modal) => !modal.dismissed);
  if (!current) return null;
  return current.kind === 'form' ? (
    <PluginForm key={current.id} host={host} modal={current} />
  ) : (
    <PluginPrompt key={current.id} host={host} modal={current} />
  );
};
