import { useSyncExternalStore } from 'react';

import type { PluginHost } from './host/plugin-host';
import type { UiState } from './host/ui-state';

/** The plugins' UI as it stands; re-renders when a plugin changes it. */
export const useUiState = (host: PluginHost): UiState => useSyncExternalStore(host.subscribe, host.getSnapshot);
