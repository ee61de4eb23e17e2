import { type InputHTMLAttributes, type Ref, useId } from 'react';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  testId: string;
  hint?: string;
  error?: string | null;
  errorTestId?: string | undefined;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input; hint and error are tied to it with aria-describedby. */
export const TextField = ({ label, testId, hint, error, errorTestId, ref, ...rest }: TextFieldProps) => {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      <input
        ref={ref}
        id={id}
        data-testid={testId}
        className="field__input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
      {error && (
        <p className="field__error" id={errorId} role="alert" data-testid={errorTestId}>
          {error}
        </p>
      )}
    </div>
  );
};
