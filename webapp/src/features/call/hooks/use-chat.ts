import { useCallback, useState } from 'react';

import { useSignal } from '@/hooks/use-signal';
import type { InfinitySession } from '@/lib/infinity';

export interface ChatMessage {
  id: string;
  from: string;
  text: string;
  at: Date;
  mine: boolean;
}

export interface UseChat {
  messages: ChatMessage[];
  /** Messages from others not seen yet (the chat was closed when they came). */
  unread: number;
  /** The newest message from someone else, for the "new message" announcement. */
  latest: ChatMessage | null;
  send: (text: string) => Promise<boolean>;
  /** The chat is on screen (or not): on screen, nothing is unread. */
  setVisible: (visible: boolean) => void;
}

const MAX_MESSAGES = 200;

/** The meeting's chat, from the moment the call starts (whoever shows it, and whenever). */
export const useChat = (session: InfinitySession, ownName: string): UseChat => {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [unread, setUnread] = useState(0);
  const [visible, setVisibleState] = useState(false);
  const [latest, setLatest] = useState<ChatMessage | null>(null);
  const append = (message: ChatMessage) => setMessages((list) => [...list, message].slice(-MAX_MESSAGES));

  useSignal(session.signals.onMessage, (message) => {
    const received = { id: message.id, from: message.displayName, text: message.message, at: message.at, mine: false };
    append(received);
    setLatest(received);
    if (!visible) setUnread((n) => n + 1);
  });

  const send = useCallback(
    async (text: string): Promise<boolean> => {
      try {
        await session.client.sendMessage({ payload: text });
      } catch {
        return false;
      }
      // The node does not echo our own messages back.
      append({ id: crypto.randomUUID(), from: ownName, text, at: new Date(), mine: true });
      return true;
    },
    [session, ownName],
  );

  const setVisible = useCallback((shown: boolean) => {
    setVisibleState(shown);
    if (shown) setUnread(0);
  }, []);

  return { messages, unread, latest, send, setVisible };
};
