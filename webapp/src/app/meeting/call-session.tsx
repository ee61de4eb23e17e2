import { lazy, Suspense, useEffect, useRef } from 'react';

import type { MeetingInfo, Role } from '@/config/app-config';
import { CallStatus, type EndReason } from '@/features/call/call-state';
import { CallEnded } from '@/features/call/components/call-ended';
import { ChatPanel } from '@/features/call/components/chat-panel';
import { ConnectingScreen } from '@/features/call/components/connecting-screen';
import { ConnectionError } from '@/features/call/components/connection-error';
import { InCallView } from '@/features/call/components/in-call-view';
import { LobbyScreen } from '@/features/call/components/lobby-screen';
import type { JoinRequest } from '@/features/call/call-state';
import { useCall } from '@/features/call/hooks/use-call';
import { useChat } from '@/features/call/hooks/use-chat';
import { useEndWhenCallerLeaves } from '@/features/call/hooks/use-end-when-caller-leaves';
import { useMeetingClock } from '@/features/call/hooks/use-meeting-clock';
import { waitReasonOf } from '@/features/call/room-state';
import { PinScreen } from '@/features/pin/components/pin-screen';
import { useAppConfig } from '@/lib/app-config-context';
import { useT } from '@/lib/i18n';
import { usePluginSlots } from '@/lib/plugin-slots';

/** How long the "ended" screen shows before a plugin's disconnect destination opens. */
const DESTINATION_DELAY_MS = 1000;

const loadStaffPanel = () => import('@/features/staff/components/staff-panel');
const StaffPanel = lazy(loadStaffPanel);

/** How a call's end reaches the page that holds it (a device page goes back to waiting). */
export interface CallEnding {
  /** The call is over (ended: why; failed: null): a device page goes back to waiting. */
  onEnded?: (reason: EndReason | null) => void;
  /** A called device: its call ends as soon as the host who rang (`caller`) has left. */
  endsWithCaller?: { caller: string | null } | undefined;
}

export interface CallSessionProps extends CallEnding {
  request: JoinRequest;
  expectedRole: Role | undefined;
  /** The booked meeting (a grant): named on the waiting screen. */
  meeting?: MeetingInfo;
  /** The speaker chosen on the preflight ('' = default). */
  speakerId?: string;
  localStream: MediaStream | null;
  /** Lets go of camera and microphone once the call is over. */
  stopMedia: () => void;
  onRetry: () => void;
}

/** (PIN) → call → ended/error: the part that needs the Infinity client. Joins on mount. */
export const CallSession = ({
  request,
  expectedRole,
  meeting,
  speakerId,
  localStream,
  stopMedia,
  onRetry,
  onEnded,
  endsWithCaller,
}: CallSessionProps) => {
  const call = useCall();
  const { state } = call;
  const t = useT();
  const config = useAppConfig();
  const citizenChat = config.features?.citizenChat !== false;
  // From the first moment of the call: no message is lost before anyone looks.
  const chat = useChat(call.session, request.displayName);
  const over = state.status === CallStatus.Ended || state.status === CallStatus.Error;
  const isHost = state.status === CallStatus.Connected ? state.role === 'host' : expectedRole === 'host';

  const endReason = state.status === CallStatus.Ended ? state.reason : null;
  useEffect(() => {
    if (over) stopMedia();
    if (over) onEnded?.(endReason);
  }, [over, stopMedia, onEnded, endReason]);
  useEndWhenCallerLeaves(
    endsWithCaller !== undefined && state.status === CallStatus.Connected,
    endsWithCaller?.caller ?? null,
    call.others,
    call.endAsHostsLeft,
  );

  useEffect(() => {
    // Fetch the staff chunk early so no chat message arrives before it is listening.
    if (isHost) void loadStaffPanel();
  }, [isHost]);

  const plugins = usePluginSlots();
  const { session } = call;
  // Before the join below: plugins hear the call from its very first event.
  useEffect(() => plugins?.attachCall(session), [plugins, session]);
  const inMeeting = state.status === CallStatus.Connected;
  // In the call on a grant: the BFF keeps the meeting open past its booked end meanwhile.
  const clock = useMeetingClock(inMeeting && request.granted === true);
  const role = state.status === CallStatus.Connected ? state.role : expectedRole;
  useEffect(() => plugins?.setCallState(inMeeting, role), [plugins, inMeeting, role]);
  useEffect(() => {
    // A plugin may send the person elsewhere once she leaves or the host ends the meeting:
    // after a moment on the "ended" screen, in which plugins hear the end and finish up.
    const destination = plugins?.disconnectDestination();
    if (!destination || (endReason !== 'left' && endReason !== 'host-ended')) return undefined;
    const timer = window.setTimeout(() => window.location.assign(destination), DESTINATION_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [plugins, endReason]);
  const leave = () => {
    plugins?.userInitiatedDisconnect();
    call.leave();
  };

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
      return <ConnectingScreen onCancel={leave} />;
    case CallStatus.Preparing:
      return <ConnectingScreen preparing onCancel={leave} />;
    case CallStatus.PinRequired:
      return (
        <PinScreen
          hostPinOnly={state.hostPinOnly}
          rejected={state.pinRejected}
          checking={state.checking}
          onSubmit={call.submitPin}
          onCancel={leave}
        />
      );
    case CallStatus.Connected: {
      const waitReason = waitReasonOf(state.role, call.room);
      if (waitReason) return <LobbyScreen reason={waitReason} meeting={meeting} onLeave={leave} />;
      const isHostView = state.role === 'host';
      return (
        <InCallView
          role={state.role}
          session={call.session}
          localStream={localStream}
          remoteStream={call.remoteStream}
          others={call.others}
          silent={call.silent}
          reconnect={call.reconnect}
          mediaInterrupted={call.mediaInterrupted}
          chat={chat}
          chatInCall={!isHostView && citizenChat}
          speakerId={speakerId}
          clock={clock}
          onLeave={leave}
          aside={
            isHostView && (
              <Suspense fallback={null}>
                <StaffPanel
                  session={call.session}
                  silent={call.silent}
                  onEndForAll={call.endForAll}
                  chat={
                    <ChatPanel
                      chat={chat}
                      note={
                        citizenChat ? null : (
                          <p className="notice" data-testid="chat-citizen-off">
                            {t('staff.citizenChatOff')}
                          </p>
                        )
                      }
                    />
                  }
                />
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
