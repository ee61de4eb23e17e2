import { useEffect, useState } from 'react';

import type { CallSession } from './call-session';

/** The call code (Infinity client included); one shared promise, so calling it early only warms it up. */
export const loadCallSession = () => import('./call-session');

export type CallCode =
  { status: 'loading' } | { status: 'ready'; CallSession: typeof CallSession } | { status: 'failed' };

/**
 * The longest the call code waits for `now` (the person at the browser's camera prompt: the
 * page is idle meanwhile).
 */
export const CALL_CODE_LATEST_MS = 1500;

/**
 * The call code as state rather than React.lazy: a Suspense fallback would
 * hold back the screen after it (React throttles reveals by ~300 ms).
 * It loads once `now` is true (the preview shows, or join was pressed), or
 * CALL_CODE_LATEST_MS after the first render: its 800 KB (Infinity's API
 * client) fetched and evaluated any earlier compete with the camera's first frame.
 */
export const useCallCode = (now: boolean): CallCode => {
  const [code, setCode] = useState<CallCode>({ status: 'loading' });
  const [late, setLate] = useState(false);
  useEffect(() => {
    const timer = window.setTimeout(() => setLate(true), CALL_CODE_LATEST_MS);
    return () => window.clearTimeout(timer);
  }, []);
  const wanted = now || late;
  useEffect(() => {
    if (!wanted) return undefined;
    let live = true;
    loadCallSession().then(
      (module) => live && setCode({ status: 'ready', CallSession: module.CallSession }),
      () => live && setCode({ status: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, [wanted]);
  return code;
};
