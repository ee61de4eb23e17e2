import { useId } from 'react';

import { MicIcon } from '@/components/icons';
import { useT } from '@/lib/i18n';

import { useMicLevel } from '../hooks/use-mic-level';
import { litBars } from '../mic-level';

const BARS = 10;

/** "Does my microphone work?": a row of bars that follows the voice. Nothing without a microphone. */
export const MicLevel = ({ stream }: { stream: MediaStream | null }) => {
  const t = useT();
  const captionId = useId();
  const level = useMicLevel(stream);
  if (level === null) return null;
  const lit = litBars(level, BARS);
  return (
    <div className="mic-level">
      <div className="mic-level__row">
        <MicIcon />
        <div
          className="mic-level__meter"
          role="meter"
          aria-label={t('preflight.micLevel.label')}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={level}
          aria-describedby={captionId}
          aria-live="off"
          data-testid="mic-level"
        >
          {Array.from({ length: BARS }, (_, index) => (
            <span key={index} className={index < lit ? 'mic-level__bar mic-level__bar--on' : 'mic-level__bar'} />
          ))}
        </div>
      </div>
      <p id={captionId} className="mic-level__caption">
        {t('preflight.micLevel.caption')}
      </p>
    </div>
  );
};
