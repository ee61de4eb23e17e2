import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';

export interface EnrolScreenProps {
  busy: boolean;
  error: string | null;
  onEnrol: (code: string) => void;
}

/** First start: the code from the municipality (typed, or in the QR code's link). */
export const EnrolScreen = ({ busy, error, onEnrol }: EnrolScreenProps) => {
  const [code, setCode] = useState('');
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (code.trim()) onEnrol(code.trim());
  };
  return (
    <section className="kiosk__panel" aria-labelledby="enrol-heading" data-testid="device-enrol">
      <h1 id="enrol-heading" tabIndex={-1} ref={headingRef}>
        Tilmeld skærmen
      </h1>
      <p className="kiosk__lead">Skriv koden, du har fået af kommunen. Du kan også scanne QR-koden med kameraet.</p>
      <form className="kiosk__form" onSubmit={handleSubmit}>
        <TextField
          label="Kode"
          testId="enrol-code-input"
          hint="8 tegn, fx KX7P-M3QD"
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
          {busy ? 'Tilmelder …' : 'Tilmeld'}
        </Button>
      </form>
    </section>
  );
};
