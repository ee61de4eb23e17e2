import { type ChangeEvent, type FormEvent, useState } from 'react';

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

/** The form's typed fields (the length and the SMS language are chosen from lists). */
type TextKey = 'subject' | 'date' | 'time' | 'name' | 'phone';

type Errors = Partial<Record<TextKey, string>>;

const blank = (): Record<TextKey, string> => ({ subject: '', ...nextQuarter(), name: '', phone: '' });

/** Book a meeting: subject, day, time, length, the citizen's name and mobile number. */
export const BookForm = ({ busy, onBook }: BookFormProps) => {
  const { t } = useI18n();
  const [values, setValues] = useState(blank);
  const [minutes, setMinutes] = useState(30);
  const [smsLanguage, setSmsLanguage] = useState<Language>('da');
  const [errors, setErrors] = useState<Errors>({});
  /** A typed field's value, its error and its change. */
  const field = (key: TextKey) => ({
    value: values[key],
    error: errors[key] ?? null,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const { value } = event.target;
      setValues((now) => ({ ...now, [key]: value }));
    },
  });

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { subject, date, time, name, phone } = values;
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
    if (booked) setValues((now) => ({ ...now, subject: '', name: '', phone: '' }));
  };

  return (
    <form className="stack staff-book" data-testid="staff-book-form" onSubmit={(e) => void handleSubmit(e)} noValidate>
      <TextField
        label={t('portal.book.subject')}
        hint={t('portal.book.subjectHint')}
        testId="staff-subject"
        maxLength={100}
        {...field('subject')}
      />
      <div className="staff-book__when">
        <TextField
          label={t('portal.book.date')}
          testId="staff-date"
          type="date"
          min={localDate(new Date())}
          {...field('date')}
        />
        <TextField label={t('portal.book.time')} testId="staff-time" type="time" step={300} {...field('time')} />
        <SelectField
          label={t('portal.book.duration')}
          testId="staff-duration"
          value={minutes}
          onChange={(e) => setMinutes(Number(e.target.value))}
        >
          {DURATIONS.map((m) => (
            <option key={m} value={m}>
              {t('portal.book.minutes', { count: m })}
            </option>
          ))}
        </SelectField>
      </div>
      <TextField
        label={t('portal.book.name')}
        testId="staff-citizen-name"
        autoComplete="off"
        maxLength={80}
        {...field('name')}
      />
      <TextField
        label={t('portal.book.phone')}
        hint={t('portal.book.phoneHint')}
        testId="staff-citizen-phone"
        type="tel"
        inputMode="tel"
        autoComplete="off"
        {...field('phone')}
      />
      <SelectField
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
