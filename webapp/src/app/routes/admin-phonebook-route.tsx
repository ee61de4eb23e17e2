import { PageShell } from '@/components/page-shell';
import { PhonebookPage } from '@/features/admin/phonebook/components/phonebook-page';
import { useAppConfig } from '@/lib/app-config-context';

/** `/{party}/admin/phonebook`: the party's part of the dynamic phonebook (its admin key or login). */
export const AdminPhonebookRoute = () => {
  const { party } = useAppConfig();
  return (
    <PageShell>
      <PhonebookPage partyId={party.id} partyName={party.name} />
    </PageShell>
  );
};
