import { TextField } from '@/components/text-field';
import { useT } from '@/lib/i18n';

export interface DisplayNameFieldProps {
  value: string;
  /** A message key (displayNameProblem), or null. */
  error: string | null;
  onChange: (value: string) => void;
}

export const DisplayNameField = ({ value, error, onChange }: DisplayNameFieldProps) => {
  const t = useT();
  return (
    <TextField
      label={t('join.nameLabel')}
      hint={t('join.nameHint')}
      testId="display-name-input"
      error={error ? t(error) : null}
      autoComplete="name"
      maxLength={60}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
};
