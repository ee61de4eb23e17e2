import { useEffect, useId, useRef } from 'react';

import { Button } from './button';

export interface ConfirmDialogProps {
  title: string;
  detail: string;
  confirmLabel: string;
  cancelLabel: string;
  testId: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Asks before something that cannot be undone. A native modal <dialog>: focus stays inside,
 * Escape cancels, and focus goes back to what opened it. Mount it to ask, unmount to close.
 */
export const ConfirmDialog = ({
  title,
  detail,
  confirmLabel,
  cancelLabel,
  testId,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) => {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const detailId = useId();
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog confirm-dialog"
      data-testid={testId}
      aria-labelledby={titleId}
      aria-describedby={detailId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p id={detailId}>{detail}</p>
      <div className="confirm-dialog__actions">
        <Button variant="secondary" testId={`${testId}-cancel`} onClick={onCancel} autoFocus>
          {cancelLabel}
        </Button>
        <Button variant="danger" testId={`${testId}-confirm`} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
};
