import { type ComponentType, lazy } from 'react';

import type { PartyPageProps } from '@/config/app-config';
import { AdminLayout } from '@/features/admin/admin-layout';
import type { AdminPageId } from '@/lib/admin-pages';
import { useAppConfig } from '@/lib/app-config-context';

// Each page a chunk of its own.
const PAGES: Record<AdminPageId, ComponentType<PartyPageProps>> = {
  stats: lazy(() => import('@/features/admin/stats/components/stats-page').then((m) => ({ default: m.StatsPage }))),
  plugins: lazy(() =>
    import('@/features/admin/plugins/components/plugins-page').then((m) => ({ default: m.PluginsPage })),
  ),
  branding: lazy(() =>
    import('@/features/admin/branding/components/branding-page').then((m) => ({ default: m.BrandingPage })),
  ),
  devices: lazy(() =>
    import('@/features/admin/devices/components/devices-page').then((m) => ({ default: m.DevicesPage })),
  ),
  phonebook: lazy(() =>
    import('@/features/admin/phonebook/components/phonebook-page').then((m) => ({ default: m.PhonebookPage })),
  ),
};

/**
 * `/{party}/admin/{page}`: a party administrator's page (its login, or its admin key where keys
 * are on) in the one admin layout: statistics, plugins, branding, lent tablets, phonebook.
 */
export const AdminRoute = ({ page }: { page: AdminPageId }) => {
  const { party } = useAppConfig();
  const Page = PAGES[page];
  return (
    <AdminLayout current={page}>
      <Page partyId={party.id} partyName={party.name} />
    </AdminLayout>
  );
};
