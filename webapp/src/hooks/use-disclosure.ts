import { useEffect, useId, useRef, useState } from 'react';

/**
 * A disclosure (a button that shows a list): Escape (focus back on the button) or a click
 * outside `rootRef` closes it, and so does a choice (`choose`). `toggle` goes on the button,
 * `list` on the list. WAI-ARIA's disclosure pattern.
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
  /** The button's attributes: it says whether the list is open and which list it opens. */
  const toggle = {
    ref: toggleRef,
    type: 'button' as const,
    'aria-expanded': open,
    'aria-controls': listId,
    onClick: () => setOpen((value) => !value),
  };
  /** The list's attributes: the id the button names, hidden while closed. */
  const list = { id: listId, hidden: !open };
  /** A choice in the list: it closes the list, then does `action`. */
  const choose = (action: () => void) => () => {
    setOpen(false);
    action();
  };
  return { open, setOpen, rootRef, toggle, list, choose };
};
