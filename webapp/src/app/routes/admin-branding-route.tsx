import { PageShell } from '@/components/page-shell';
import { BrandingPage } from '@/features/admin/branding/components/branding-page';
import { useAppConfig } from '@/lib/app-config-context';

/** `/{party}/admin/branding`: the party's branding packages (its admin key). */
export const AdminBrandingRoute = () => {
  const { party } = useAppConfig();
  return (
    <PageShell>
      <BrandingPage partyId={party.id} partyName={party.name} />
    </PageShell>
  );
};
