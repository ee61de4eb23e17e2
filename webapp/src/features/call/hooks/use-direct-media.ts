import { useSignal } from '@/hooks/use-signal';
import { CALL_BANDWIDTH, callTypeFor, infinityHost, type InfinitySession, restartCallOf } from '@/lib/infinity';

import type { JoinRequest } from '../call-state';

export interface DirectMediaOptions {
  session: InfinitySession;
  requestRef: { current: JoinRequest | null };
  abandonedRef: { current: boolean };
  onRemoteGone: () => void;
}

/**
 * What a room with direct media (two browsers peer to peer, the node only signals)
 * asks of the app; @pexip/infinity leaves both to it:
 * - `peer_disconnect`: the other side left, so restart our call; it waits for the next peer.
 * - `refer` (a transfer): a third participant joined and the node moves us to a
 *   transcoded call: leave, then join again with the one-time token it gave.
 */
export const useDirectMedia = ({ session, requestRef, abandonedRef, onRemoteGone }: DirectMediaOptions): void => {
  useSignal(session.signals.onPeerDisconnect, () => {
    const request = requestRef.current;
    if (!request || abandonedRef.current) return;
    onRemoteGone();
    void restartCallOf(session, request.stream).catch(() => undefined);
  });

  useSignal(session.signals.onTransfer, ({ alias, token }) => {
    const request = requestRef.current;
    if (!request || abandonedRef.current) return;
    const transfer = async () => {
      await session.client.disconnect({ reason: 'Transfer' }).catch(() => undefined);
      if (abandonedRef.current) return;
      // Refusals arrive as signals (onError), like on the first join.
      await session.client.call({
        conferenceAlias: alias,
        token,
        displayName: request.displayName,
        host: infinityHost(),
        bandwidth: CALL_BANDWIDTH,
        mediaStream: request.stream ?? undefined,
        callType: callTypeFor(request.stream),
      });
    };
    onRemoteGone();
    void transfer().catch(() => undefined);
  });
};
