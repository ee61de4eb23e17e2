import { type FormEvent, useEffect, useRef, useState } from 'react';

import { Button } from '@/components/button';

import type { UseChat } from '../hooks/use-chat';

const timeFormat = new Intl.DateTimeFormat('da-DK', { hour: '2-digit', minute: '2-digit' });
const MAX_LENGTH = 2000;

export const Chat = ({ chat }: { chat: UseChat }) => {
  const [text, setText] = useState('');
  const [failed, setFailed] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);

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
    <section className="staff__section chat" aria-labelledby="chat-heading">
      <h2 id="chat-heading">Chat</h2>
      <ol className="chat__messages" ref={listRef} aria-live="polite">
        {chat.messages.map((message) => (
          <li key={message.id} className={message.mine ? 'chat__message chat__message--mine' : 'chat__message'} data-testid="chat-message">
            <span className="chat__meta">
              {message.from} · {timeFormat.format(message.at)}
            </span>
            <span className="chat__text">{message.text}</span>
          </li>
        ))}
      </ol>
      <form className="chat__form" onSubmit={(event) => void handleSubmit(event)}>
        <label className="visually-hidden" htmlFor="chat-input">
          Besked
        </label>
        <input
          id="chat-input"
          className="field__input"
          data-testid="chat-input"
          autoComplete="off"
          maxLength={MAX_LENGTH}
          placeholder="Skriv en besked"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <Button type="submit" testId="chat-send">
          Send
        </Button>
      </form>
      {failed && (
        <p className="field__error" role="alert">
          Beskeden blev ikke sendt. Prøv igen.
        </p>
      )}
    </section>
  );
};
