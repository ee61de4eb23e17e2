import { useEffect, useId, useRef, useState } from 'react';

/**
 * A disclosure (a button that shows a list): Escape (focus back on the button) or a click
 * outside `rootRef` closes it. WAI-ARIA's disclosure pattern; the caller closes it on a choice.
 */
export const useDisclosure = () => {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return undefined;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== 'Escape') return;
      if (event instanceof MouseEvent && rootRef.current?.contains(event.target as Node)) return;
      setOpen(false);
      if (event instanceof KeyboardEvent) toggleRef.current?.focus();
    };
    document.addEventListener('keydown', close);
    document.addEventListener('mousedown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('mousedown', close);
    };
  }, [open]);
  return { open, setOpen, listId, rootRef, toggleRef };
};
