import { PageShell } from '@/components/page-shell';
import { DevicePage } from '@/features/device/components/device-page';

import { MeetingRoute } from '../meeting/meeting-route';

/** `/{party}/device`: the lent tablet's page; an answered call joins at once, as a guest. */
export const DeviceRoute = () => (
  <DevicePage
    renderCall={(grant, onEnded) => (
      <PageShell>
        <MeetingRoute
          conferenceAlias={grant.conferenceAlias}
          fixedDisplayName={grant.displayName}
          meeting={grant.meeting}
          expectedRole="guest"
          autoJoin
          endsWithCaller={{ caller: grant.caller ?? null }}
          onEnded={onEnded}
        />
      </PageShell>
    )}
  />
);
