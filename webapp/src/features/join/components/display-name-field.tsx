import { TextField } from '@/components/text-field';

export interface DisplayNameFieldProps {
  value: string;
  error: string | null;
  onChange: (value: string) => void;
}

export const DisplayNameField = ({ value, error, onChange }: DisplayNameFieldProps) => (
  <TextField
    label="Dit navn"
    hint="Navnet kan ses af de andre i mødet."
    testId="display-name-input"
    error={error}
    autoComplete="name"
    maxLength={60}
    value={value}
    onChange={(event) => onChange(event.target.value)}
  />
);
