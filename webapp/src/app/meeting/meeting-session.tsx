import { useCallback, useEffect, useRef, useState } from 'react';

import type { MeetingInfo, Role } from '@/config/app-config';
import type { EndReason } from '@/features/call/call-state';
import { ConnectingScreen } from '@/features/call/components/connecting-screen';
import { ConnectionError } from '@/features/call/components/connection-error';
import type { JoinRequest } from '@/features/call/call-state';
import { DisplayNameField } from '@/features/join/components/display-name-field';
import { displayNameProblem } from '@/features/join/meeting-address';
import { PreflightScreen } from '@/features/preflight/components/preflight-screen';
import { useLocalMedia } from '@/features/preflight/hooks/use-local-media';

import type { CallEnding } from './call-session';
import { useCallCode } from './load-call-session';
import { rememberInCall, takeRejoin } from './rejoin';

/** The meeting to join and how, as a route gives it (MeetingRoute passes it on as it is). */
export interface MeetingTarget extends CallEnding {
  conferenceAlias: string;
  /** From the grant; when absent the person types their name. */
  fixedDisplayName?: string;
  meeting?: MeetingInfo;
  expectedRole?: Role;
  /** Preflight heading when there is no meeting info (join by address). */
  heading?: string;
}

export interface MeetingSessionProps extends MeetingTarget {
  rememberedName: string;
  onNameChosen: (name: string) => void;
  /** Join as soon as the camera is ready (a retry: the person already chose to join). */
  autoJoin: boolean;
  onRetry: () => void;
}

/** Preflight → (PIN) → call → ended/error, for one attempt. */
export const MeetingSession = (props: MeetingSessionProps) => {
  const { conferenceAlias, fixedDisplayName, meeting, heading, expectedRole, onRetry } = props;
  // Reloaded out of this call a moment ago: join again without the preflight's "Deltag".
  const [rejoining] = useState(() => takeRejoin(conferenceAlias));
  const autoJoin = props.autoJoin || rejoining;
  const media = useLocalMedia();
  const [name, setName] = useState(props.rememberedName);
  const [nameError, setNameError] = useState<string | null>(null);
  const [request, setRequest] = useState<JoinRequest | null>(null);
  const displayName = fixedDisplayName ?? name.trim();

  // The Infinity client is most of the page's code: the preflight (self-view)
  // shows without it, and it loads once the person sees themselves (or has no
  // camera to wait for, or presses join).
  const [previewShown, setPreviewShown] = useState(false);
  const noPreview = media.status !== 'pending' && !media.stream?.getVideoTracks().length;
  const callCode = useCallCode(previewShown || noPreview || request !== null || autoJoin);

  const handleJoin = () => {
    if (fixedDisplayName === undefined) {
      const problem = displayNameProblem(name);
      setNameError(problem);
      if (problem) return;
      props.onNameChosen(displayName);
    }
    setRequest({ conferenceAlias, displayName, stream: media.stream, granted: meeting !== undefined });
  };

  // While joining or in the call, a page that goes away (reload) is remembered (./rejoin).
  const [ended, setEnded] = useState(false);
  const inCallRef = useRef(false);
  const inCall = request !== null && !ended;
  useEffect(() => {
    inCallRef.current = inCall;
  });
  useEffect(() => {
    const onHide = () => {
      if (inCallRef.current) rememberInCall(conferenceAlias);
    };
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, [conferenceAlias]);
  const { onEnded } = props;
  const handleEnded = useCallback(
    (reason: EndReason | null) => {
      setEnded(true);
      onEnded?.(reason);
    },
    [onEnded],
  );

  const autoJoinedRef = useRef(false);
  const mediaSettled = media.status !== 'pending';
  useEffect(() => {
    if (!autoJoin || !mediaSettled || autoJoinedRef.current) return;
    autoJoinedRef.current = true;
    handleJoin();
  });

  // "Med <host>" is for the guests: the host is not told she meets herself.
  const preflightMeeting = meeting && expectedRole === 'host' ? { ...meeting, host: null } : (meeting ?? null);

  if (request && callCode.status === 'ready') {
    return (
      <callCode.CallSession
        request={request}
        expectedRole={expectedRole}
        meeting={meeting}
        speakerId={media.chosen.speaker}
        localStream={media.stream}
        stopMedia={media.stop}
        onRetry={onRetry}
        onEnded={handleEnded}
        endsWithCaller={props.endsWithCaller}
      />
    );
  }
  if (request && callCode.status === 'failed') return <ConnectionError kind="network" onRetry={onRetry} />;
  if (request) return <ConnectingScreen onCancel={() => setRequest(null)} />;
  return (
    <PreflightScreen
      media={media}
      meeting={preflightMeeting}
      heading={heading}
      onJoin={handleJoin}
      onPreviewShown={() => setPreviewShown(true)}
    >
      {fixedDisplayName === undefined && <DisplayNameField value={name} error={nameError} onChange={setName} />}
    </PreflightScreen>
  );
};
