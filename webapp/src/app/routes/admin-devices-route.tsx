import { AdminLayout } from '@/features/admin/admin-layout';
import { DevicesPage } from '@/features/admin/devices/components/devices-page';
import { useAppConfig } from '@/lib/app-config-context';

/** `/{party}/admin/devices`: the party's lent tablets (its admin key). */
export const AdminDevicesRoute = () => {
  const { party } = useAppConfig();
  return (
    <AdminLayout current="devices">
      <DevicesPage partyId={party.id} partyName={party.name} />
    </AdminLayout>
  );
};
