import { Button } from '@/components/button';
import { type Language, useI18n } from '@/lib/i18n';
import { dateFormat, TIME_ZONE } from '@/lib/meeting-time';

import type { ChannelStatus, DeviceMessage } from '../device-channel';
import { useClock } from '../hooks/use-clock';

const timeFormat = (language: Language) =>
  dateFormat(language, { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE });
const dayFormat = (language: Language) =>
  dateFormat(language, { weekday: 'long', day: 'numeric', month: 'long', timeZone: TIME_ZONE });

export interface WaitingScreenProps {
  status: ChannelStatus;
  messages: DeviceMessage[];
  onReply: (message: DeviceMessage, answer: string) => void;
  onDismiss: (message: DeviceMessage) => void;
}

const textOf = (message: DeviceMessage, fallback: string): string =>
  typeof message.body.text === 'string' ? message.body.text : fallback;

const optionsOf = (message: DeviceMessage): string[] =>
  Array.isArray(message.body.reply_options)
    ? message.body.reply_options.filter((o): o is string => typeof o === 'string').slice(0, 4)
    : [];

/** The resting screen: the time, whether calls can come through, and messages. */
export const WaitingScreen = ({ status, messages, onReply, onDismiss }: WaitingScreenProps) => {
  const { t, language } = useI18n();
  const now = useClock();
  const online = status === 'online';
  return (
    <section className="kiosk__waiting" data-testid="device-waiting" data-status={status} aria-labelledby="clock">
      <h1 id="clock" className="kiosk__clock" data-testid="device-clock">
        <span className="visually-hidden">{t('tablet.clock')} </span>
        {timeFormat(language).format(now)}
      </h1>
      <p className="kiosk__date">{dayFormat(language).format(now)}</p>
      <p
        className={online ? 'kiosk__state' : 'kiosk__state kiosk__state--offline'}
        role="status"
        data-testid="device-state"
      >
        {online && t('tablet.waiting')}
        {status === 'connecting' && t('tablet.connecting')}
        {status === 'offline' && t('tablet.offline')}
      </p>
      {messages.length > 0 && (
        <ul className="kiosk__messages" aria-label={t('tablet.messages')}>
          {messages.map((message) => (
            <li key={message.id} className="kiosk__message" data-testid="device-message" data-message-id={message.id}>
              <p className="kiosk__message-text">{textOf(message, t('tablet.message'))}</p>
              <div className="kiosk__message-actions">
                {optionsOf(message).map((option) => (
                  <Button key={option} size="large" testId="message-reply" onClick={() => onReply(message, option)}>
                    {option}
                  </Button>
                ))}
                {optionsOf(message).length === 0 && (
                  <Button variant="secondary" size="large" testId="message-dismiss" onClick={() => onDismiss(message)}>
                    {t('tablet.ok')}
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
