import { AdminLayout } from '@/features/admin/admin-layout';
import { BrandingPage } from '@/features/admin/branding/components/branding-page';
import { useAppConfig } from '@/lib/app-config-context';

/** `/{party}/admin/branding`: the party's branding packages (its admin key). */
export const AdminBrandingRoute = () => {
  const { party } = useAppConfig();
  return (
    <AdminLayout current="branding">
      <BrandingPage partyId={party.id} partyName={party.name} />
    </AdminLayout>
  );
};
