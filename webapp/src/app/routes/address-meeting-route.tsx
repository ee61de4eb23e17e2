import { useEffect } from 'react';

import { PageShell } from '@/components/page-shell';
import { aliasProblem } from '@/features/join/meeting-address';
import { useAppConfig } from '@/lib/app-config-context';
import { navigate } from '@/lib/location';

import { MeetingRoute } from '../meeting/meeting-route';

/** `/{party}/m/{alias}`: join by address, with a name and (when asked) a PIN. */
export const AddressMeetingRoute = ({ alias }: { alias: string }) => {
  const { basePath } = useAppConfig();
  const invalid = aliasProblem(alias) !== null;
  useEffect(() => {
    if (invalid) navigate(basePath, '/', { replace: true });
  }, [invalid, basePath]);
  if (invalid) return null;
  return (
    <PageShell>
      <MeetingRoute conferenceAlias={alias} heading={`Deltag i mødet ${alias}`} />
    </PageShell>
  );
};
