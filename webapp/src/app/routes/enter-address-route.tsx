import { useNavigate } from 'react-router-dom';

import { PageShell } from '@/components/page-shell';
import { EnterAddressForm } from '@/features/join/components/enter-address-form';

export const EnterAddressRoute = () => {
  const navigate = useNavigate();
  return (
    <PageShell>
      <EnterAddressForm onSubmit={(alias) => void navigate(`/m/${encodeURIComponent(alias).replace('%40', '@')}`)} />
    </PageShell>
  );
};
