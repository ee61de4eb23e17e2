import type { ReactNode } from 'react';

export interface ToggleButtonProps {
  /** true when the thing is switched OFF (muted), i.e. the button is "pressed". */
  pressed: boolean;
  label: string;
  icon: ReactNode;
  testId: string;
  disabled?: boolean;
  onToggle: () => void;
}

/** A real button with aria-pressed; the label says what pressing it will do. */
export const ToggleButton = ({ pressed, label, icon, testId, disabled, onToggle }: ToggleButtonProps) => (
  <button
    type="button"
    className="btn btn--toggle"
    data-testid={testId}
    aria-pressed={pressed}
    aria-label={label}
    title={label}
    disabled={disabled}
    onClick={onToggle}
  >
    {icon}
    <span className="btn__caption" aria-hidden="true">
      {label}
    </span>
  </button>
);
