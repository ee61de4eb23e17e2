import { useEffect } from 'react';

import { useT } from '@/lib/i18n';

import type { PluginHost } from '../host/plugin-host';
import { useUiState } from '../use-ui-state';

/**
 * Plugin toasts, one at a time. The live region is always in the page so screen readers
 * hear each new toast; a danger toast is an alert.
 */
export const Toasts = ({ host }: { host: PluginHost }) => {
  const t = useT();
  const { toasts } = useUiState(host);
  const toast = toasts[0];
  useEffect(() => {
    if (!toast || toast.timeout === 0) return undefined;
    const timer = window.setTimeout(() => host.dismissToast(toast.id), toast.timeout);
    return () => window.clearTimeout(timer);
  }, [host, toast]);
  return (
    <div className={`plugin-toasts plugin-toasts--${toast?.position ?? 'topCenter'}`} role="status" aria-live="polite">
      {toast && (
        <div
          className={toast.isDanger ? 'plugin-toast plugin-toast--danger' : 'plugin-toast'}
          data-testid="plugin-toast"
        >
          <span className="plugin-toast__message">{toast.message}</span>
          {toast.canDismiss && (
            <button
              type="button"
              className="plugin-toast__close"
              aria-label={t('plugins.closeToast')}
              onClick={() => host.dismissToast(toast.id)}
            >
              ×
            </button>
          )}
        </div>
      )}
    </div>
  );
};
