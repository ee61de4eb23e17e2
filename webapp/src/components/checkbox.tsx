import { type ReactNode, useId } from 'react';

export interface CheckboxProps {
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** Its label. */
  children: ReactNode;
  /** The row's class (each page lays its checkboxes out). */
  className: string;
  testId?: string;
  /** An id of its own where a page links to it; else one is made. */
  id?: string;
}

/** A labelled checkbox: the box, then its label. */
export const Checkbox = ({ checked, onChange, children, className, testId, id }: CheckboxProps) => {
  const madeId = useId();
  const inputId = id ?? madeId;
  return (
    <div className={className}>
      <input
        id={inputId}
        type="checkbox"
        data-testid={testId}
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={inputId}>{children}</label>
    </div>
  );
};
