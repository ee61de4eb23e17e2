import { useEffect, useState } from 'react';

import type { CallSession } from './call-session';

/** The call code (Infinity client included); one shared promise, so calling it early only warms it up. */
export const loadCallSession = () => import('./call-session');

export type CallCode =
  { status: 'loading' } | { status: 'ready'; CallSession: typeof CallSession } | { status: 'failed' };

/**
 * The call code as state rather than React.lazy: a Suspense fallback would
 * hold back the screen after it (React throttles reveals by ~300 ms).
 */
export const useCallCode = (): CallCode => {
  const [code, setCode] = useState<CallCode>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    loadCallSession().then(
      (module) => live && setCode({ status: 'ready', CallSession: module.CallSession }),
      () => live && setCode({ status: 'failed' }),
    );
    return () => {
      live = false;
    };
  }, []);
  return code;
};
