import { type SelectHTMLAttributes, useId } from 'react';

export interface SelectFieldProps extends SelectHTMLAttributes<HTMLSelectElement> {
  label: string;
  testId: string;
}

/** A labelled drop-down (its options are the children), laid out as TextField. */
export const SelectField = ({ label, testId, id, children, ...rest }: SelectFieldProps) => {
  const madeId = useId();
  const selectId = id ?? madeId;
  return (
    <div className="field">
      <label className="field__label" htmlFor={selectId}>
        {label}
      </label>
      <select id={selectId} className="field__input" data-testid={testId} {...rest}>
        {children}
      </select>
    </div>
  );
};
