import { setLogger as setInfinityLogger } from '@pexip/infinity';
import { setLogger as setPeerConnectionLogger } from '@pexip/peer-connection';
import { setLogger as setSignalLogger } from '@pexip/signal';

type LogMethod = (meta: unknown, message?: string) => void;

const noop: LogMethod = () => undefined;

/**
 * The Pexip packages log request bodies (display names), participant data,
 * every signal emitted without an observer and, in the peer connection's logger
 * (@pexip/peer-connection dist/logger.js, its own), each SDP, ICE candidate and
 * state change with a snapshot of the connection. We keep only the message text
 * of warnings (Infinity, the peer connection) and errors, never the meta object.
 */
const quietLogger = (minimum: 'warn' | 'error') => {
  const error: LogMethod = (_meta, message) => console.error(message ?? 'error');
  const warn: LogMethod = minimum === 'warn' ? (_meta, message) => console.warn(message ?? 'warning') : noop;
  return {
    fatal: error,
    error,
    warn,
    info: noop,
    debug: noop,
    trace: noop,
    silent: noop,
    redact: (text: string) => text,
    addRedactPattern: () => undefined,
  };
};

export const quietPexipLogs = (): void => {
  setInfinityLogger(quietLogger('warn'));
  setPeerConnectionLogger(quietLogger('warn'));
  setSignalLogger(quietLogger('error'));
};
