import { PageShell } from '@/components/page-shell';
import { StaffPortalPage } from '@/features/staff-portal/components/staff-portal-page';
import { useAppConfig } from '@/lib/app-config-context';

/** `/{party}/staff`: the staff portal (login through the party's login service). */
export const StaffPortalRoute = () => {
  const { party } = useAppConfig();
  return (
    <PageShell>
      <StaffPortalPage partyId={party.id} partyName={party.name} />
    </PageShell>
  );
};
