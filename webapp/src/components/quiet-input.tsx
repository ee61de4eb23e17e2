import { type InputHTMLAttributes, useId } from 'react';

export interface QuietInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  /** The input's name, for screen readers only. */
  label: string;
  testId: string;
}

/**
 * An input without a visible label, where its place says what it is for (a chat line, a
 * search, a row's rename): labelled for screen readers all the same. TextField otherwise.
 */
export const QuietInput = ({ label, testId, ...rest }: QuietInputProps) => {
  const id = useId();
  return (
    <>
      <label className="visually-hidden" htmlFor={id}>
        {label}
      </label>
      <input id={id} className="field__input" data-testid={testId} {...rest} />
    </>
  );
};
