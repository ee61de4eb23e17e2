import { lazy, Suspense, useEffect, useRef, useState } from 'react';

import type { MeetingInfo, Role } from '@/config/app-config';
import { CallStatus } from '@/features/call/call-state';
import { CallEnded } from '@/features/call/components/call-ended';
import { ConnectingScreen } from '@/features/call/components/connecting-screen';
import { ConnectionError } from '@/features/call/components/connection-error';
import { InCallView } from '@/features/call/components/in-call-view';
import { useCall } from '@/features/call/hooks/use-call';
import { DisplayNameField } from '@/features/join/components/display-name-field';
import { displayNameProblem } from '@/features/join/meeting-address';
import { PinScreen } from '@/features/pin/components/pin-screen';
import { PreflightScreen } from '@/features/preflight/components/preflight-screen';
import { useLocalMedia } from '@/features/preflight/hooks/use-local-media';

const loadStaffPanel = () => import('@/features/staff/components/staff-panel');
const StaffPanel = lazy(loadStaffPanel);

export interface MeetingSessionProps {
  conferenceAlias: string;
  fixedDisplayName: string | undefined;
  rememberedName: string;
  onNameChosen: (name: string) => void;
  meeting: MeetingInfo | undefined;
  heading: string | undefined;
  expectedRole: Role | undefined;
  /** Join as soon as the camera is ready (a retry: the person already chose to join). */
  autoJoin: boolean;
  onRetry: () => void;
}

/** Preflight → (PIN) → call → ended/error, for one attempt. */
export const MeetingSession = (props: MeetingSessionProps) => {
  const { conferenceAlias, fixedDisplayName, meeting, heading, expectedRole, autoJoin, onRetry } = props;
  const media = useLocalMedia();
  const call = useCall();
  const [name, setName] = useState(props.rememberedName);
  const [nameError, setNameError] = useState<string | null>(null);
  const { state } = call;
  const displayName = fixedDisplayName ?? name.trim();
  const over = state.status === CallStatus.Ended || state.status === CallStatus.Error;
  const isHost = state.status === CallStatus.Connected ? state.role === 'host' : expectedRole === 'host';

  const stopMedia = media.stop;
  useEffect(() => {
    if (over) stopMedia();
  }, [over, stopMedia]);

  useEffect(() => {
    // Fetch the staff chunk early so no chat message arrives before it is listening.
    if (isHost) void loadStaffPanel();
  }, [isHost]);

  const handleJoin = () => {
    if (fixedDisplayName === undefined) {
      const problem = displayNameProblem(name);
      setNameError(problem);
      if (problem) return;
      props.onNameChosen(displayName);
    }
    call.join({ conferenceAlias, displayName, stream: media.stream });
  };

  const autoJoinedRef = useRef(false);
  const mediaSettled = media.status !== 'pending';
  useEffect(() => {
    if (!autoJoin || !mediaSettled || autoJoinedRef.current) return;
    autoJoinedRef.current = true;
    handleJoin();
  });

  switch (state.status) {
    case CallStatus.Preflight:
      return (
        <PreflightScreen media={media} meeting={meeting ?? null} heading={heading} onJoin={handleJoin}>
          {fixedDisplayName === undefined && (
            <DisplayNameField value={name} error={nameError} onChange={setName} />
          )}
        </PreflightScreen>
      );
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
    case CallStatus.Connected:
      return (
        <InCallView
          role={state.role}
          session={call.session}
          localStream={media.stream}
          remoteStream={call.remoteStream}
          othersPresent={call.othersPresent}
          onLeave={call.leave}
          aside={
            state.role === 'host' && (
              <Suspense fallback={null}>
                <StaffPanel session={call.session} displayName={displayName} />
              </Suspense>
            )
          }
        />
      );
    case CallStatus.Ended:
      return <CallEnded reason={state.reason} canRejoin={state.canRejoin} onRejoin={onRetry} />;
    case CallStatus.Error:
      return <ConnectionError kind={state.kind} onRetry={onRetry} />;
  }
};
