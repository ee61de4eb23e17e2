import { PageShell } from '@/components/page-shell';
import { DevicesPage } from '@/features/admin/devices/components/devices-page';
import { useAppConfig } from '@/lib/app-config-context';

/** `/{party}/admin/devices`: the party's lent tablets (its admin key). */
export const AdminDevicesRoute = () => {
  const { party } = useAppConfig();
  return (
    <PageShell>
      <DevicesPage partyId={party.id} partyName={party.name} />
    </PageShell>
  );
};
