import { type RefObject, useEffect, useRef } from 'react';

/** Moves focus to the element when it appears, so screen readers announce the new screen. */
export const useFocusOnMount = <T extends HTMLElement>(): RefObject<T | null> => {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
};
