import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';

import type { AppConfig } from '@/config/app-config';

import { RouteFallback } from './routes/route-fallback';

// Each screen is its own chunk: a citizen with a link never loads the others.
// (Declarative routes rather than a data router: ~17 kB less gzipped JS.)
const GrantMeetingRoute = lazy(() =>
  import('./routes/grant-meeting-route').then((m) => ({ default: m.GrantMeetingRoute })),
);
const EnterAddressRoute = lazy(() =>
  import('./routes/enter-address-route').then((m) => ({ default: m.EnterAddressRoute })),
);
const AddressMeetingRoute = lazy(() =>
  import('./routes/address-meeting-route').then((m) => ({ default: m.AddressMeetingRoute })),
);

const basename = (basePath: string): string => basePath.replace(/\/+$/, '') || '/';

/**
 * `/{party}/` is the meeting when the session holds a grant, otherwise the
 * "enter a meeting address" page; `/{party}/m/{alias}` joins by address.
 */
export const AppRouter = ({ config }: { config: AppConfig }) => (
  <BrowserRouter basename={basename(config.basePath)}>
    <Suspense fallback={<RouteFallback />}>
      <Routes>
        <Route index element={config.grant ? <GrantMeetingRoute /> : <EnterAddressRoute />} />
        <Route path="m/:alias" element={<AddressMeetingRoute />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Suspense>
  </BrowserRouter>
);
