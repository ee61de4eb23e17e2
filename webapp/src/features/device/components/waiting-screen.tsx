import { Button } from '@/components/button';

import type { ChannelStatus, DeviceMessage } from '../device-channel';
import { useClock } from '../hooks/use-clock';

const TIME = new Intl.DateTimeFormat('da-DK', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Copenhagen' });
const DATE = new Intl.DateTimeFormat('da-DK', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  timeZone: 'Europe/Copenhagen',
});

export interface WaitingScreenProps {
  status: ChannelStatus;
  messages: DeviceMessage[];
  onReply: (message: DeviceMessage, answer: string) => void;
  onDismiss: (message: DeviceMessage) => void;
}

const textOf = (message: DeviceMessage): string =>
  typeof message.body.text === 'string' ? message.body.text : 'Du har fået en besked.';

const optionsOf = (message: DeviceMessage): string[] =>
  Array.isArray(message.body.reply_options)
    ? message.body.reply_options.filter((o): o is string => typeof o === 'string').slice(0, 4)
    : [];

/** The resting screen: the time, whether calls can come through, and messages. */
export const WaitingScreen = ({ status, messages, onReply, onDismiss }: WaitingScreenProps) => {
  const now = useClock();
  const online = status === 'online';
  return (
    <section className="kiosk__waiting" data-testid="device-waiting" data-status={status} aria-labelledby="clock">
      <h1 id="clock" className="kiosk__clock" data-testid="device-clock">
        <span className="visually-hidden">Klokken er </span>
        {TIME.format(now)}
      </h1>
      <p className="kiosk__date">{DATE.format(now)}</p>
      <p className={online ? 'kiosk__state' : 'kiosk__state kiosk__state--offline'} role="status" data-testid="device-state">
        {online && 'Venter på opkald'}
        {status === 'connecting' && 'Forbinder …'}
        {status === 'offline' && 'Ingen forbindelse. Opkald kan ikke komme igennem. Vi prøver igen.'}
      </p>
      {messages.length > 0 && (
        <ul className="kiosk__messages" aria-label="Beskeder">
          {messages.map((message) => (
            <li key={message.id} className="kiosk__message" data-testid="device-message" data-message-id={message.id}>
              <p className="kiosk__message-text">{textOf(message)}</p>
              <div className="kiosk__message-actions">
                {optionsOf(message).map((option) => (
                  <Button key={option} size="large" testId="message-reply" onClick={() => onReply(message, option)}>
                    {option}
                  </Button>
                ))}
                {optionsOf(message).length === 0 && (
                  <Button variant="secondary" size="large" testId="message-dismiss" onClick={() => onDismiss(message)}>
                    OK
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
