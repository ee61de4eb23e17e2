import { type ReactNode, useEffect, useRef, useState } from 'react';

import type { AppConfig } from '@/config/app-config';
import type { ManifestPlugin } from '@/features/plugins/host/plugin-host';
import { useAppConfig } from '@/lib/app-config-context';
import { useI18n } from '@/lib/i18n';
import { type PluginSlots, PluginSlotsProvider } from '@/lib/plugin-slots';

/** The runtime manifest's plugins for this page (the BFF lists only those for the session's role). */
export const manifestPlugins = (config: AppConfig): ManifestPlugin[] =>
  (config.manifest.plugins ?? []).filter(
    (entry): entry is ManifestPlugin =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as ManifestPlugin).id === 'string' &&
      typeof (entry as ManifestPlugin).src === 'string',
  );

/**
 * Runs the party's plugins around a meeting page: they load (hidden iframes) while the person
 * is still on the preflight, and the views find them through the plugin slots. With no plugins
 * for this page, nothing of the plugin host is downloaded.
 */
export const PluginsBoundary = ({ children }: { children: ReactNode }) => {
  const config = useAppConfig();
  const [slots, setSlots] = useState<PluginSlots | null>(null);
  const plugins = manifestPlugins(config);
  const wanted = plugins.length > 0;
  const expectedRole = config.grant?.role;
  const { language } = useI18n();
  const languageRef = useRef(language);
  const setLanguageRef = useRef<((language: string) => void) | null>(null);

  // The person's language and its changes reach the plugins (event:languageSelect).
  useEffect(() => {
    languageRef.current = language;
    setLanguageRef.current?.(language);
  }, [language]);

  useEffect(() => {
    if (!wanted) return undefined;
    let live = true;
    let stop: (() => void) | undefined;
    import('@/features/plugins/plugin-runtime').then(
      ({ startPluginRuntime }) => {
        if (!live) return;
        const runtime = startPluginRuntime({
          plugins: manifestPlugins(config),
          expectedRole,
          language: languageRef.current,
        });
        setLanguageRef.current = runtime.setLanguage;
        stop = runtime.stop;
        setSlots(runtime.slots);
      },
      () => undefined, // the meeting works without its plugins
    );
    return () => {
      live = false;
      setLanguageRef.current = null;
      stop?.();
      setSlots(null);
    };
  }, [wanted, config, expectedRole]);

  return (
    <PluginSlotsProvider slots={slots}>
      {children}
      {slots && <slots.Overlays />}
    </PluginSlotsProvider>
  );
};
