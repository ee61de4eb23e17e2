import { AdminLayout } from '@/features/admin/admin-layout';
import { StatsPage } from '@/features/admin/stats/components/stats-page';
import { useAppConfig } from '@/lib/app-config-context';

/** `/{party}/admin/stats`: the party's usage statistics (its admin key). */
export const AdminStatsRoute = () => {
  const { party } = useAppConfig();
  return (
    <AdminLayout current="stats">
      <StatsPage partyId={party.id} partyName={party.name} />
    </AdminLayout>
  );
};
