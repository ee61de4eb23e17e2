import { type ChangeEvent, useState } from 'react';

/**
 * A text a form is not sent without (one TextField): `field` goes on the TextField (value,
 * error, onChange); `take` gives the trimmed text, or null after the field says `missing`
 * (until the next sending); `clear` empties the field once the text is used.
 */
export const useRequiredText = (missing: string) => {
  const [value, setValue] = useState('');
  const [isMissing, setMissing] = useState(false);
  const take = (): string | null => {
    const text = value.trim();
    setMissing(!text);
    return text || null;
  };
  return {
    field: {
      value,
      error: isMissing ? missing : null,
      onChange: (event: ChangeEvent<HTMLInputElement>) => setValue(event.target.value),
    },
    take,
    clear: () => setValue(''),
  };
};
