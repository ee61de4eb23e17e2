import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';

import { Button } from '@/components/button';
import { QuietInput } from '@/components/quiet-input';
import { useI18n } from '@/lib/i18n';
import { clockTime } from '@/lib/meeting-time';

import type { UseChat } from '../hooks/use-chat';

const MAX_LENGTH = 2000;

export interface ChatPanelProps {
  chat: UseChat;
  /** Shown under the heading (e.g. that the citizen cannot see the chat). */
  note?: ReactNode;
  /** A close button (the citizen's chat sheet); absent where the chat is always shown. */
  onClose?: () => void;
  /** Put the cursor in the message field when it appears. */
  autoFocus?: boolean;
}

export const ChatPanel = ({ chat, note, onClose, autoFocus = false }: ChatPanelProps) => {
  const { language, t } = useI18n();
  const [text, setText] = useState('');
  const [failed, setFailed] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const headingId = useId();

  useEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [chat.messages.length]);

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    const sent = await chat.send(message);
    setFailed(!sent);
    if (sent) setText('');
  };

  return (
    <section className="staff__section chat" aria-labelledby={headingId} data-testid="chat-panel">
      <div className="chat__header">
        <h2 id={headingId}>{t('chat.heading')}</h2>
        {onClose && (
          <Button variant="secondary" testId="chat-close" onClick={onClose}>
            {t('chat.close')}
          </Button>
        )}
      </div>
      {note}
      <ol className="chat__messages" ref={listRef} aria-live="polite" aria-label={t('chat.messages')}>
        {chat.messages.length === 0 && <li className="chat__empty">{t('chat.empty')}</li>}
        {chat.messages.map((message) => (
          <li
            key={message.id}
            className={message.mine ? 'chat__message chat__message--mine' : 'chat__message'}
            data-testid="chat-message"
          >
            <span className="chat__meta">
              {message.mine ? t('chat.me') : message.from} · {clockTime(message.at, language)}
            </span>
            <span className="chat__text">{message.text}</span>
          </li>
        ))}
      </ol>
      <form className="chat__form" onSubmit={(event) => void handleSubmit(event)}>
        <QuietInput
          label={t('chat.message')}
          testId="chat-input"
          autoComplete="off"
          maxLength={MAX_LENGTH}
          placeholder={t('chat.placeholder')}
          autoFocus={autoFocus}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <Button type="submit" testId="chat-send">
          {t('chat.send')}
        </Button>
      </form>
      {failed && (
        <p className="field__error" role="alert">
          {t('chat.notSent')}
        </p>
      )}
    </section>
  );
};
