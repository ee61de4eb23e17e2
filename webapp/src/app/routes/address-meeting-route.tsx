import { Navigate, useParams } from 'react-router-dom';

import { PageShell } from '@/components/page-shell';
import { aliasProblem } from '@/features/join/meeting-address';

import { MeetingRoute } from '../meeting/meeting-route';

/** `/{party}/m/{alias}`: join by address, with a name and (when asked) a PIN. */
export const AddressMeetingRoute = () => {
  const alias = useParams().alias ?? '';
  if (aliasProblem(alias)) return <Navigate to="/" replace />;
  return (
    <PageShell>
      <MeetingRoute conferenceAlias={alias} heading={`Deltag i mødet ${alias}`} />
    </PageShell>
  );
};
