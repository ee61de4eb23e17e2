import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { SelectField } from '@/components/select-field';
import { TextField } from '@/components/text-field';
import { type Language, LANGUAGE_NAMES, LANGUAGES, useI18n } from '@/lib/i18n';

import type { Booking } from '../api';
import { atLocal, localDate, nextQuarter, phoneE164 } from '../time';

export interface BookFormProps {
  busy: boolean;
  onBook: (booking: Booking) => Promise<boolean>;
}

const DURATIONS = [15, 30, 45, 60, 90];
const CPR_LIKE = /\d{6}-?\d{4}/;

interface Errors {
  subject?: string;
  date?: string;
  time?: string;
  name?: string;
  phone?: string;
}

/** Book a meeting: subject, day, time, length, the citizen's name and mobile number. */
export const BookForm = ({ busy, onBook }: BookFormProps) => {
  const { t } = useI18n();
  const [subject, setSubject] = useState('');
  const [first] = useState(() => nextQuarter());
  const [date, setDate] = useState(first.date);
  const [time, setTime] = useState(first.time);
  const [minutes, setMinutes] = useState(30);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [smsLanguage, setSmsLanguage] = useState<Language>('da');
  const [errors, setErrors] = useState<Errors>({});

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Errors = {};
    if (!subject.trim()) found.subject = t('portal.book.error.subject');
    else if (CPR_LIKE.test(subject)) found.subject = t('portal.book.error.subjectCpr');
    const start = atLocal(date, time);
    if (!atLocal(date, '12:00')) found.date = t('portal.book.error.date');
    else if (!start) found.time = t('portal.book.error.time');
    else if (start.getTime() + minutes * 60_000 <= Date.now()) found.time = t('portal.book.error.past');
    if (!name.trim()) found.name = t('portal.book.error.name');
    else if (CPR_LIKE.test(name)) found.name = t('portal.book.error.nameCpr');
    const e164 = phone.trim() ? phoneE164(phone) : undefined;
    if (e164 === null) found.phone = t('portal.book.error.phone');
    setErrors(found);
    if (Object.keys(found).length > 0 || !start) {
      // After the errors render: focus the first field that has one.
      window.setTimeout(
        () => document.querySelector<HTMLInputElement>('.staff-book [aria-invalid="true"]')?.focus(),
        0,
      );
      return;
    }
    const end = new Date(start.getTime() + minutes * 60_000);
    const booked = await onBook({
      subject: subject.trim(),
      start: start.toISOString(),
      end: end.toISOString(),
      // The SMS's language: without a phone number there is no SMS and it changes nothing.
      guests: [{ display_name: name.trim(), language: smsLanguage, ...(e164 ? { phone: e164 } : {}) }],
    });
    if (booked) {
      setSubject('');
      setName('');
      setPhone('');
    }
  };

  return (
    <form className="stack staff-book" data-testid="staff-book-form" onSubmit={(e) => void handleSubmit(e)} noValidate>
      <TextField
        label={t('portal.book.subject')}
        hint={t('portal.book.subjectHint')}
        testId="staff-subject"
        maxLength={100}
        value={subject}
        error={errors.subject ?? null}
        onChange={(e) => setSubject(e.target.value)}
      />
      <div className="staff-book__when">
        <TextField
          label={t('portal.book.date')}
          testId="staff-date"
          type="date"
          min={localDate(new Date())}
          value={date}
          error={errors.date ?? null}
          onChange={(e) => setDate(e.target.value)}
        />
        <TextField
          label={t('portal.book.time')}
          testId="staff-time"
          type="time"
          step={300}
          value={time}
          error={errors.time ?? null}
          onChange={(e) => setTime(e.target.value)}
        />
        <div className="field">
          <label className="field__label" htmlFor="staff-duration">
            {t('portal.book.duration')}
          </label>
          <select
            id="staff-duration"
            className="field__input"
            data-testid="staff-duration"
            value={minutes}
            onChange={(e) => setMinutes(Number(e.target.value))}
          >
            {DURATIONS.map((m) => (
              <option key={m} value={m}>
                {t('portal.book.minutes', { count: m })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <TextField
        label={t('portal.book.name')}
        testId="staff-citizen-name"
        autoComplete="off"
        maxLength={80}
        value={name}
        error={errors.name ?? null}
        onChange={(e) => setName(e.target.value)}
      />
      <TextField
        label={t('portal.book.phone')}
        hint={t('portal.book.phoneHint')}
        testId="staff-citizen-phone"
        type="tel"
        inputMode="tel"
        autoComplete="off"
        value={phone}
        error={errors.phone ?? null}
        onChange={(e) => setPhone(e.target.value)}
      />
      <SelectField
        id="staff-sms-language"
        label={t('portal.book.smsLanguage')}
        testId="staff-sms-language"
        value={smsLanguage}
        onChange={(e) => setSmsLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {LANGUAGE_NAMES[language]}
          </option>
        ))}
      </SelectField>
      <Button type="submit" testId="staff-book-submit" disabled={busy}>
        {t('portal.book.submit')}
      </Button>
    </form>
  );
};
