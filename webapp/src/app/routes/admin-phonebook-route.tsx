import { AdminLayout } from '@/features/admin/admin-layout';
import { PhonebookPage } from '@/features/admin/phonebook/components/phonebook-page';
import { useAppConfig } from '@/lib/app-config-context';

/** `/{party}/admin/phonebook`: the party's part of the dynamic phonebook (its admin key or login). */
export const AdminPhonebookRoute = () => {
  const { party } = useAppConfig();
  return (
    <AdminLayout current="phonebook">
      <PhonebookPage partyId={party.id} partyName={party.name} />
    </AdminLayout>
  );
};
