import type { ReactNode } from 'react';

import type { AppConfig } from '@/config/app-config';
import { AppConfigProvider } from '@/lib/app-config-context';

export const AppProviders = ({ config, children }: { config: AppConfig; children: ReactNode }) => (
  <AppConfigProvider config={config}>{children}</AppConfigProvider>
);
