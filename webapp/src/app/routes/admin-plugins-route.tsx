import { AdminLayout } from '@/features/admin/admin-layout';
import { PluginsPage } from '@/features/admin/plugins/components/plugins-page';
import { useAppConfig } from '@/lib/app-config-context';

/** `/{party}/admin/plugins`: the party's plugin set (its admin key). */
export const AdminPluginsRoute = () => {
  const { party } = useAppConfig();
  return (
    <AdminLayout current="plugins">
      <PluginsPage partyId={party.id} partyName={party.name} />
    </AdminLayout>
  );
};
