import { useEffect } from 'react';

import { PageShell } from '@/components/page-shell';
import { aliasProblem } from '@/features/join/meeting-address';
import { useAppConfig } from '@/lib/app-config-context';
import { useT } from '@/lib/i18n';
import { navigate } from '@/lib/location';

import { MeetingRoute } from '../meeting/meeting-route';
import { PluginsBoundary } from '../plugins/plugins-boundary';

/** `/{party}/m/{alias}`: join by address, with a name and (when asked) a PIN. */
export const AddressMeetingRoute = ({ alias }: { alias: string }) => {
  const { basePath } = useAppConfig();
  const t = useT();
  const invalid = aliasProblem(alias) !== null;
  useEffect(() => {
    if (invalid) navigate(basePath, '/', { replace: true });
  }, [invalid, basePath]);
  if (invalid) return null;
  return (
    <PluginsBoundary>
      <PageShell>
        <MeetingRoute conferenceAlias={alias} heading={t('join.addressHeading', { alias })} />
      </PageShell>
    </PluginsBoundary>
  );
};
