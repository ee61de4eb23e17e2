import { useState } from 'react';

import { Button } from './button';

interface Step {
  label: string;
  testId: string;
}

export interface TwoStepButtonProps {
  busy: boolean;
  /** The first press only asks (`srText`: what it acts on, see Button). */
  ask: Step & { srText?: string };
  /** The second press does it. */
  confirm: Step;
  /** A way back beside it, where the page offers one. */
  undo?: Step;
  onConfirm: () => void;
}

/**
 * A button for what cannot be undone, asked twice in place: the first press turns it into the
 * confirming one. It stays the same element, so the keyboard's focus stays on it.
 */
export const TwoStepButton = ({ busy, ask, confirm, undo, onConfirm }: TwoStepButtonProps) => {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Button
        variant={confirming ? 'danger' : 'secondary'}
        testId={confirming ? confirm.testId : ask.testId}
        srText={confirming ? undefined : ask.srText}
        disabled={busy}
        onClick={confirming ? onConfirm : () => setConfirming(true)}
      >
        {confirming ? confirm.label : ask.label}
      </Button>
      {confirming && undo && (
        <Button variant="secondary" testId={undo.testId} disabled={busy} onClick={() => setConfirming(false)}>
          {undo.label}
        </Button>
      )}
    </>
  );
};
