import type { ButtonHTMLAttributes, ReactNode } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'toggle';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: 'normal' | 'large';
  testId?: string;
  children: ReactNode;
}

export const Button = ({
  variant = 'primary',
  size = 'normal',
  testId,
  className,
  type = 'button',
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
  </button>
);
