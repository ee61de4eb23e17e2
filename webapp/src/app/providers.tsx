import type { ReactNode } from 'react';

import type { AppConfig } from '@/config/app-config';
import { AppConfigProvider } from '@/lib/app-config-context';
import { I18nProvider, type LoadedLanguage } from '@/lib/i18n';

export const AppProviders = ({
  config,
  language,
  children,
}: {
  config: AppConfig;
  language: LoadedLanguage;
  children: ReactNode;
}) => (
  <AppConfigProvider config={config}>
    <I18nProvider initial={language} translations={config.manifest.translations}>
      {children}
    </I18nProvider>
  </AppConfigProvider>
);
