import { PageShell } from '@/components/page-shell';
import { useAppConfig } from '@/lib/app-config-context';

import { MeetingRoute } from '../meeting/meeting-route';
import { PluginsBoundary } from '../plugins/plugins-boundary';

/** The citizen's SMS link or the staff deep link: everything is in the grant. */
export const GrantMeetingRoute = () => {
  const { grant } = useAppConfig();
  if (!grant) return null;
  return (
    <PluginsBoundary>
      <PageShell>
        <MeetingRoute
          conferenceAlias={grant.conferenceAlias}
          fixedDisplayName={grant.displayName}
          meeting={grant.meeting}
          expectedRole={grant.role}
        />
      </PageShell>
    </PluginsBoundary>
  );
};
