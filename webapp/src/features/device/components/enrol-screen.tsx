import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { useI18n } from '@/lib/i18n';

export interface EnrolScreenProps {
  busy: boolean;
  error: string | null;
  onEnrol: (code: string) => void;
}

/** First start: the code from the municipality (typed, or in the QR code's link). */
export const EnrolScreen = ({ busy, error, onEnrol }: EnrolScreenProps) => {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (code.trim()) onEnrol(code.trim());
  };
  return (
    <section className="kiosk__panel" aria-labelledby="enrol-heading" data-testid="device-enrol">
      <h1 id="enrol-heading" tabIndex={-1} ref={headingRef}>
        {t('tablet.enrol.title')}
      </h1>
      <p className="kiosk__lead">{t('tablet.enrol.intro')}</p>
      <form className="kiosk__form" onSubmit={handleSubmit}>
        <TextField
          label={t('tablet.enrol.code')}
          testId="enrol-code-input"
          hint={t('tablet.enrol.codeHint')}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={20}
          value={code}
          error={error}
          errorTestId="enrol-error"
          onChange={(event) => setCode(event.target.value)}
        />
        <Button type="submit" size="large" testId="enrol-submit" disabled={busy}>
          {busy ? t('tablet.enrol.busy') : t('tablet.enrol.submit')}
        </Button>
      </form>
    </section>
  );
};
