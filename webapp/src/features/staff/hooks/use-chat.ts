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
  send: (text: string) => Promise<boolean>;
}

const MAX_MESSAGES = 200;

export const useChat = (session: InfinitySession, ownName: string): UseChat => {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const append = (message: ChatMessage) => setMessages((list) => [...list, message].slice(-MAX_MESSAGES));

  useSignal(session.signals.onMessage, (message) =>
    append({ id: message.id, from: message.displayName, text: message.message, at: message.at, mine: false }),
  );

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

  return { messages, send };
};
