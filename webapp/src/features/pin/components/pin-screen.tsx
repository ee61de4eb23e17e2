import { type FormEvent, useEffect, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { useT } from '@/lib/i18n';

export interface PinScreenProps {
  /** The room has a host PIN only: guests join with an empty field. */
  hostPinOnly: boolean;
  rejected: boolean;
  checking: boolean;
  onSubmit: (pin: string) => void;
  onCancel: () => void;
}

const PIN_PATTERN = /^[0-9]{0,20}$/;

/** Asks for the meeting PIN; the PIN lives only in this component's state. */
export const PinScreen = ({ hostPinOnly, rejected, checking, onSubmit, onCancel }: PinScreenProps) => {
  const t = useT();
  const [pin, setPin] = useState('');
  const [missing, setMissing] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  // A refused PIN is cleared as the refusal arrives (while rendering, not after: no flash of it).
  const [refusalSeen, setRefusalSeen] = useState(rejected);
  if (rejected !== refusalSeen) {
    setRefusalSeen(rejected);
    if (rejected) setPin('');
  }
  useEffect(() => {
    if (rejected) inputRef.current?.focus();
  }, [rejected]);

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pin === '' && !hostPinOnly) {
      setMissing(true);
      inputRef.current?.focus();
      return;
    }
    setMissing(false);
    onSubmit(pin);
  };

  const error = rejected ? t('pin.wrong') : missing ? t('pin.missing') : null;

  return (
    <section className="panel" data-testid="pin-screen" aria-labelledby="pin-heading">
      <h1 id="pin-heading">{t('pin.heading')}</h1>
      <form className="stack" onSubmit={handleSubmit} noValidate>
        <TextField
          ref={inputRef}
          label={t('pin.label')}
          testId="pin-input"
          hint={t(hostPinOnly ? 'pin.hintGuestEmpty' : 'pin.hint')}
          error={error}
          errorTestId={rejected ? 'pin-error' : undefined}
          type="text"
          spellCheck={false}
          autoCapitalize="off"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          value={pin}
          onChange={(event) => {
            if (PIN_PATTERN.test(event.target.value)) setPin(event.target.value);
          }}
        />
        <Button type="submit" size="large" testId="pin-submit" disabled={checking}>
          {checking ? t('pin.checking') : t('common.continue')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </form>
    </section>
  );
};
