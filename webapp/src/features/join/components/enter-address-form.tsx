import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { useT } from '@/lib/i18n';

import { aliasProblem, normaliseAlias } from '../meeting-address';

export interface EnterAddressFormProps {
  onSubmit: (alias: string) => void;
}

export const EnterAddressForm = ({ onSubmit }: EnterAddressFormProps) => {
  const t = useT();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const alias = normaliseAlias(text);
    const problem = aliasProblem(alias);
    setError(problem);
    if (!problem) onSubmit(alias);
  };

  return (
    <section className="panel" aria-labelledby="enter-address-heading">
      <h1 id="enter-address-heading">{t('join.enterAddressHeading')}</h1>
      <form className="stack" onSubmit={handleSubmit} noValidate>
        <TextField
          label={t('join.addressLabel')}
          hint={t('join.addressHint')}
          testId="alias-input"
          error={error ? t(error) : null}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          inputMode="email"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <Button type="submit" size="large" testId="alias-submit">
          {t('common.continue')}
        </Button>
      </form>
    </section>
  );
};
