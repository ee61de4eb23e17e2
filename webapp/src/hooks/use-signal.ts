import type { Signal } from '@pexip/signal';
import { useEffect, useRef } from 'react';

/**
 * Subscribes `handler` to a @pexip/signal for the component's lifetime and
 * detaches on cleanup (StrictMode mounts twice: every add has its remove).
 * The latest handler is used without resubscribing.
 */
export const useSignal = <Observable>(
  signal: Signal<unknown, Observable> | undefined,
  handler: (subject: Observable) => void,
): void => {
  const handlerRef = useRef(handler);
  useEffect(() => {
    handlerRef.current = handler;
  });
  useEffect(() => {
    if (!signal) return undefined;
    return signal.add((subject) => handlerRef.current(subject));
  }, [signal]);
};
