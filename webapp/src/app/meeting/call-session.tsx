import { lazy, Suspense, useEffect, useRef } from 'react';

import type { Role } from '@/config/app-config';
import { CallStatus } from '@/features/call/call-state';
import { CallEnded } from '@/features/call/components/call-ended';
import { ConnectingScreen } from '@/features/call/components/connecting-screen';
import { ConnectionError } from '@/features/call/components/connection-error';
import { InCallView } from '@/features/call/components/in-call-view';
import { LobbyScreen } from '@/features/call/components/lobby-screen';
import { type JoinRequest, useCall } from '@/features/call/hooks/use-call';
import { waitReasonOf } from '@/features/call/room-state';
import { PinScreen } from '@/features/pin/components/pin-screen';

const loadStaffPanel = () => import('@/features/staff/components/staff-panel');
const StaffPanel = lazy(loadStaffPanel);

export interface CallSessionProps {
  request: JoinRequest;
  expectedRole: Role | undefined;
  localStream: MediaStream | null;
  /** Lets go of camera and microphone once the call is over. */
  stopMedia: () => void;
  onRetry: () => void;
}

/** (PIN) → call → ended/error: the part that needs the Infinity client. Joins on mount. */
export const CallSession = ({ request, expectedRole, localStream, stopMedia, onRetry }: CallSessionProps) => {
  const call = useCall();
  const { state } = call;
  const over = state.status === CallStatus.Ended || state.status === CallStatus.Error;
  const isHost = state.status === CallStatus.Connected ? state.role === 'host' : expectedRole === 'host';

  useEffect(() => {
    if (over) stopMedia();
  }, [over, stopMedia]);

  useEffect(() => {
    // Fetch the staff chunk early so no chat message arrives before it is listening.
    if (isHost) void loadStaffPanel();
  }, [isHost]);

  const joinedRef = useRef(false);
  const { join } = call;
  useEffect(() => {
    if (joinedRef.current) return;
    joinedRef.current = true;
    join(request);
  }, [join, request]);

  switch (state.status) {
    case CallStatus.Preflight:
    case CallStatus.Connecting:
      return <ConnectingScreen onCancel={call.leave} />;
    case CallStatus.PinRequired:
      return (
        <PinScreen
          hostPinOnly={state.hostPinOnly}
          rejected={state.pinRejected}
          checking={state.checking}
          onSubmit={call.submitPin}
          onCancel={call.leave}
        />
      );
    case CallStatus.Connected: {
      const waitReason = waitReasonOf(state.role, call.room);
      if (waitReason) return <LobbyScreen reason={waitReason} onLeave={call.leave} />;
      return (
        <InCallView
          role={state.role}
          session={call.session}
          localStream={localStream}
          remoteStream={call.remoteStream}
          othersPresent={call.othersPresent}
          onLeave={call.leave}
          aside={
            state.role === 'host' && (
              <Suspense fallback={null}>
                <StaffPanel session={call.session} displayName={request.displayName} />
              </Suspense>
            )
          }
        />
      );
    }
    case CallStatus.Ended:
      return <CallEnded reason={state.reason} canRejoin={state.canRejoin} onRejoin={onRetry} />;
    case CallStatus.Error:
      return <ConnectionError kind={state.kind} onRetry={onRetry} />;
  }
};
