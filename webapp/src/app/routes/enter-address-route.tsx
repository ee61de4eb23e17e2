import { PageShell } from '@/components/page-shell';
import { EnterAddressForm } from '@/features/join/components/enter-address-form';
import { useAppConfig } from '@/lib/app-config-context';
import { navigate } from '@/lib/location';

export const EnterAddressRoute = () => {
  const { basePath } = useAppConfig();
  return (
    <PageShell>
      <EnterAddressForm
        onSubmit={(alias) => navigate(basePath, `/m/${encodeURIComponent(alias).replace('%40', '@')}`)}
      />
    </PageShell>
  );
};
