import { lazy, Suspense, useEffect } from 'react';

import type { AppConfig } from '@/config/app-config';
import { matchRoute, navigate, usePathname } from '@/lib/location';

import { GrantMeetingRoute } from './routes/grant-meeting-route';
import { RouteFallback } from './routes/route-fallback';

// The link's meeting screen is in the first chunk: behind React.lazy its reveal
// would wait for React's Suspense throttle. The other screens are chunks of their own.
const EnterAddressRoute = lazy(() =>
  import('./routes/enter-address-route').then((m) => ({ default: m.EnterAddressRoute })),
);
const AddressMeetingRoute = lazy(() =>
  import('./routes/address-meeting-route').then((m) => ({ default: m.AddressMeetingRoute })),
);
const AdminRoute = lazy(() => import('./routes/admin-route').then((m) => ({ default: m.AdminRoute })));
const StaffPortalRoute = lazy(() =>
  import('./routes/staff-portal-route').then((m) => ({ default: m.StaffPortalRoute })),
);
const DeviceRoute = lazy(() => import('./routes/device-route').then((m) => ({ default: m.DeviceRoute })));

const GoHome = ({ basePath }: { basePath: string }) => {
  useEffect(() => navigate(basePath, '/', { replace: true }), [basePath]);
  return null;
};

/**
 * `/{party}/` is the meeting when the session holds a grant, otherwise the
 * "enter a meeting address" page; `/{party}/m/{alias}` joins by address.
 */
export const AppRouter = ({ config }: { config: AppConfig }) => {
  const route = matchRoute(usePathname(), config.basePath);
  const screen = (() => {
    switch (route.name) {
      case 'home':
        return config.grant ? <GrantMeetingRoute /> : <EnterAddressRoute />;
      case 'address':
        return <AddressMeetingRoute key={route.alias} alias={route.alias} />;
      case 'admin':
        return <AdminRoute page={route.page} />;
      case 'device':
        return <DeviceRoute />;
      case 'staff-portal':
        return <StaffPortalRoute />;
      case 'unknown':
        return <GoHome basePath={config.basePath} />;
      case 'outside':
        return null;
    }
  })();
  return <Suspense fallback={<RouteFallback />}>{screen}</Suspense>;
};
