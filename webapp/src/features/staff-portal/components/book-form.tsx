import { type FormEvent, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';

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
  const [subject, setSubject] = useState('');
  const [first] = useState(() => nextQuarter());
  const [date, setDate] = useState(first.date);
  const [time, setTime] = useState(first.time);
  const [minutes, setMinutes] = useState(30);
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Errors>({});

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found: Errors = {};
    if (!subject.trim()) found.subject = 'Skriv et emne.';
    else if (CPR_LIKE.test(subject)) found.subject = 'Emnet må ikke indeholde et CPR-nummer. Brug sagens reference.';
    const start = atLocal(date, time);
    if (!atLocal(date, '12:00')) found.date = 'Vælg en dato.';
    else if (!start) found.time = 'Vælg et tidspunkt.';
    else if (start.getTime() + minutes * 60_000 <= Date.now()) found.time = 'Tidspunktet er allerede gået.';
    if (!name.trim()) found.name = 'Skriv borgerens navn.';
    else if (CPR_LIKE.test(name)) found.name = 'Navnet må ikke indeholde et CPR-nummer.';
    const e164 = phone.trim() ? phoneE164(phone) : undefined;
    if (e164 === null) found.phone = 'Skriv et mobilnummer med 8 cifre, fx 12 34 56 78.';
    setErrors(found);
    if (Object.keys(found).length > 0 || !start) {
      // After the errors render: focus the first field that has one.
      window.setTimeout(() => document.querySelector<HTMLInputElement>('.staff-book [aria-invalid="true"]')?.focus(), 0);
      return;
    }
    const end = new Date(start.getTime() + minutes * 60_000);
    const booked = await onBook({
      subject: subject.trim(),
      start: start.toISOString(),
      end: end.toISOString(),
      guests: [{ display_name: name.trim(), ...(e164 ? { phone: e164 } : {}) }],
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
        label="Emne"
        hint="Fx sagens reference. Aldrig CPR-nummer."
        testId="staff-subject"
        maxLength={100}
        value={subject}
        error={errors.subject ?? null}
        onChange={(e) => setSubject(e.target.value)}
      />
      <div className="staff-book__when">
        <TextField
          label="Dato"
          testId="staff-date"
          type="date"
          min={localDate(new Date())}
          value={date}
          error={errors.date ?? null}
          onChange={(e) => setDate(e.target.value)}
        />
        <TextField
          label="Tidspunkt"
          testId="staff-time"
          type="time"
          step={300}
          value={time}
          error={errors.time ?? null}
          onChange={(e) => setTime(e.target.value)}
        />
        <div className="field">
          <label className="field__label" htmlFor="staff-duration">
            Varighed
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
                {m} minutter
              </option>
            ))}
          </select>
        </div>
      </div>
      <TextField
        label="Borgerens navn"
        testId="staff-citizen-name"
        autoComplete="off"
        maxLength={80}
        value={name}
        error={errors.name ?? null}
        onChange={(e) => setName(e.target.value)}
      />
      <TextField
        label="Borgerens mobilnummer"
        hint="Borgeren får linket til mødet på SMS. Nummeret gemmes ikke."
        testId="staff-citizen-phone"
        type="tel"
        inputMode="tel"
        autoComplete="off"
        value={phone}
        error={errors.phone ?? null}
        onChange={(e) => setPhone(e.target.value)}
      />
      <Button type="submit" testId="staff-book-submit" disabled={busy}>
        Book møde
      </Button>
    </form>
  );
};
