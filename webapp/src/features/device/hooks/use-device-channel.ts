import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';

import { type ChannelStatus, DeviceChannel, type DeviceMessage, type IncomingCall } from '../device-channel';
import type { DeviceIdentity } from '../device-identity';

const MAX_SHOWN = 5;

export interface UseDeviceChannel {
  status: ChannelStatus;
  refusal: string | null;
  messages: DeviceMessage[];
  call: IncomingCall | null;
  /** Sends the chosen answer to a message back to the party, then hides the message. */
  reply: (message: DeviceMessage, answer: string) => void;
  dismiss: (message: DeviceMessage) => void;
  clearCall: () => void;
}

/**
 * The device's channel while the page is open: status, messages, an incoming call. `onRing`
 * hears of a call as it rings; when it takes the call (a promise), the call is cleared after.
 */
export const useDeviceChannel = (
  identity: DeviceIdentity | null,
  onRing?: (call: IncomingCall) => Promise<void> | undefined,
): UseDeviceChannel => {
  const [status, setStatus] = useState<ChannelStatus>('connecting');
  const [refusal, setRefusal] = useState<string | null>(null);
  const [messages, setMessages] = useState<DeviceMessage[]>([]);
  const [call, setCall] = useState<IncomingCall | null>(null);
  const channelRef = useRef<DeviceChannel | null>(null);
  const ring = useEffectEvent((incoming: IncomingCall) => {
    setCall(incoming);
    void onRing?.(incoming)?.finally(() => setCall((current) => (current?.id === incoming.id ? null : current)));
  });

  useEffect(() => {
    if (!identity) return undefined;
    const channel = new DeviceChannel(identity, {
      onStatus: (next, reason) => {
        setStatus(next);
        setRefusal(next === 'refused' ? (reason ?? '') : null);
        if (next !== 'online') setCall(null);
      },
      onMessage: (message) => setMessages((shown) => [message, ...shown].slice(0, MAX_SHOWN)),
      onRing: (incoming) => ring(incoming),
      onRingEnd: (callId) => setCall((current) => (current?.id === callId ? null : current)),
      onSent: () => undefined,
    });
    channelRef.current = channel;
    channel.start();
    return () => {
      channel.stop();
      channelRef.current = null;
    };
  }, [identity]);

  // A ring stops by itself when nobody answers in time.
  useEffect(() => {
    if (!call) return undefined;
    const timer = window.setTimeout(() => setCall(null), call.secondsLeft * 1000);
    return () => window.clearTimeout(timer);
  }, [call]);

  const dismiss = useCallback((message: DeviceMessage) => {
    setMessages((shown) => shown.filter((m) => m.id !== message.id));
  }, []);

  const reply = useCallback(
    (message: DeviceMessage, answer: string) => {
      // Offline: the message stays, so the answer can be given again once connected.
      if (channelRef.current?.send({ in_reply_to: message.id, answer })) dismiss(message);
    },
    [dismiss],
  );

  const clearCall = useCallback(() => setCall(null), []);
  return { status, refusal, messages, call, reply, dismiss, clearCall };
};
