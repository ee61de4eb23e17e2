import type { ButtonHTMLAttributes, ReactNode } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'toggle';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: 'normal' | 'large';
  testId?: string;
  /**
   * Read after the visible text by screen readers only, where alike buttons stand together:
   * what this one acts on (`: Version 2`, ` bv-chat version 1.0.0`), as written.
   */
  srText?: string;
  children: ReactNode;
}

export const Button = ({
  variant = 'primary',
  size = 'normal',
  testId,
  className,
  type = 'button',
  srText,
  children,
  ...rest
}: ButtonProps) => (
  <button
    type={type}
    data-testid={testId}
    className={['btn', `btn--${variant}`, `btn--${size}`, className].filter(Boolean).join(' ')}
    {...rest}
  >
    {children}
    {srText && <span className="visually-hidden">{srText}</span>}
  </button>
);
