import { useEffect } from 'react';

import { Button } from '@/components/button';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { useI18n } from '@/lib/i18n';

import type { IncomingCall } from '../device-channel';
import { startRingTone } from '../ring-tone';

export interface RingingScreenProps {
  call: IncomingCall;
  answering: boolean;
  onAnswer: () => void;
  onDecline: () => void;
}

/** The whole screen rings: who calls, one very large button to take the call. */
export const RingingScreen = ({ call, answering, onAnswer, onDecline }: RingingScreenProps) => {
  const { t } = useI18n();
  const answerRef = useFocusOnMount<HTMLButtonElement>();
  useEffect(() => (call.autoAnswer ? undefined : startRingTone()), [call.autoAnswer]);
  const caller = call.caller || call.party;
  return (
    <section className="kiosk__ringing" data-testid="ringing-screen" aria-labelledby="ringing-heading">
      <div role="alert">
        <h1 id="ringing-heading" className="kiosk__ringing-title">
          {t('tablet.ringing.calls', { caller })}
        </h1>
      </div>
      {call.party && call.party !== caller && <p className="kiosk__lead">{call.party}</p>}
      {call.autoAnswer || answering ? (
        <p className="kiosk__lead" role="status">
          {t('tablet.ringing.answering')}
        </p>
      ) : (
        <div className="kiosk__ring-actions">
          <button
            ref={answerRef}
            type="button"
            className="btn btn--primary btn--large kiosk__answer"
            data-testid="answer-button"
            onClick={onAnswer}
          >
            {t('tablet.ringing.answer')}
          </button>
          <Button variant="secondary" className="kiosk__decline" testId="decline-button" onClick={onDecline}>
            {t('tablet.ringing.decline')}
          </Button>
        </div>
      )}
    </section>
  );
};
