import '../staff-portal.css';

import { useCallback, useEffect, useState } from 'react';

import { Button } from '@/components/button';
import { TextField } from '@/components/text-field';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { ADMIN_PAGES, adminPagePath } from '@/lib/admin-pages';
import { ApiError } from '@/lib/api-client';

import {
  type Booking,
  bookMeeting,
  type DayScope,
  cancelMeeting,
  fetchDay,
  fetchSession,
  logout,
  openAsHost,
  type StaffDay,
  type StaffMeeting,
  type StaffSession,
} from '../api';
import { localDate, longDay, noonOf } from '../time';
import { BookForm } from './book-form';
import { MeetingItem } from './meeting-item';

export interface StaffPortalPageProps {
  partyId: string;
  partyName: string;
}

type Login =
  | { status: 'loading' }
  | { status: 'out' }
  | { status: 'refused'; message: string }
  | { status: 'in'; session: StaffSession };

type Notice = { kind: 'ok' | 'error'; text: string } | null;

const message = (error: unknown, fallback: string): string =>
  error instanceof ApiError ? error.message : fallback;

/**
 * `/{party}/staff`: the staff portal. After logging in through the municipality's login
 * service: her meetings of a day (today first; her team's, or for a scheduler the party's, by
 * choice), book one, open it as host, cancel it, log out.
 * The login lives in an HttpOnly cookie; no token reaches this page.
 */
export const StaffPortalPage = ({ partyId, partyName }: StaffPortalPageProps) => {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [login, setLogin] = useState<Login>({ status: 'loading' });
  const [shownDay, setShownDay] = useState(() => localDate(new Date()));
  const [scope, setScope] = useState<DayScope>('mine');
  const [day, setDay] = useState<StaffDay | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const loggedOut = useCallback((error: unknown): boolean => {
    if (error instanceof ApiError && error.status === 401) {
      setLogin({ status: 'out' });
      setNotice({ kind: 'error', text: error.message });
      return true;
    }
    return false;
  }, []);

  const reload = useCallback(async () => {
    try {
      setDay(await fetchDay(partyId, shownDay, scope));
    } catch (error) {
      if (!loggedOut(error)) setNotice({ kind: 'error', text: message(error, 'Dagens møder kunne ikke hentes.') });
    }
  }, [partyId, shownDay, scope, loggedOut]);

  useEffect(() => {
    let live = true;
    fetchSession(partyId)
      .then((session) => {
        if (!live) return;
        setLogin(session ? { status: 'in', session } : { status: 'out' });
      })
      .catch((error: unknown) => {
        if (!live) return;
        const refused = error instanceof ApiError && error.status === 403;
        setLogin({
          status: 'refused',
          message: refused
            ? `Du er logget ind hos en anden myndighed, ikke hos ${partyName}. Log ind igen for at skifte.`
            : message(error, 'Dit login kunne ikke hentes.'),
        });
      });
    return () => {
      live = false;
    };
  }, [partyId, partyName, reload]);

  const session = login.status === 'in' ? login.session : null;
  const isStaff = session?.roles.includes('staff') ?? false;
  const isScheduler = session?.roles.includes('scheduler') ?? false;

  // The day's meetings, again when the day or the scope changes (an answer for an earlier one is dropped).
  useEffect(() => {
    if (!isStaff) return undefined;
    let live = true;
    fetchDay(partyId, shownDay, scope).then(
      (found) => {
        if (live) setDay(found);
      },
      (error: unknown) => {
        if (live && !loggedOut(error)) setNotice({ kind: 'error', text: message(error, 'Dagens møder kunne ikke hentes.') });
      },
    );
    return () => {
      live = false;
    };
  }, [isStaff, partyId, shownDay, scope, loggedOut]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setNotice(null);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };

  const handleBook = async (booking: Booking): Promise<boolean> => {
    if (!session) return false;
    let booked = false;
    await act(async () => {
      try {
        const meeting = await bookMeeting(partyId, session.csrf_token, booking);
        booked = true;
        setNotice({ kind: 'ok', text: `Mødet "${meeting.subject}" er booket. Borgeren får linket på SMS.` });
        const bookedDay = localDate(new Date(meeting.start));
        if (bookedDay === shownDay) await reload();
        else setShownDay(bookedDay); // the list follows to the booked day
      } catch (error) {
        if (!loggedOut(error)) setNotice({ kind: 'error', text: message(error, 'Mødet kunne ikke bookes.') });
      }
    });
    return booked;
  };

  const handleOpen = (meeting: StaffMeeting) =>
    void act(async () => {
      if (!session) return;
      try {
        window.location.assign(await openAsHost(partyId, session.csrf_token, meeting.id));
      } catch (error) {
        if (!loggedOut(error)) setNotice({ kind: 'error', text: message(error, 'Mødet kunne ikke åbnes.') });
      }
    });

  const handleCancel = (meeting: StaffMeeting) =>
    void act(async () => {
      if (!session) return;
      try {
        await cancelMeeting(partyId, session.csrf_token, meeting.id);
        setNotice({ kind: 'ok', text: `Mødet "${meeting.subject}" er aflyst.` });
        await reload();
      } catch (error) {
        if (!loggedOut(error)) setNotice({ kind: 'error', text: message(error, 'Mødet kunne ikke aflyses.') });
      }
    });

  const handleLogout = () =>
    void act(async () => {
      if (!session) return;
      try {
        const next = await logout(partyId, session.csrf_token);
        if (next) {
          window.location.assign(next);
          return;
        }
      } catch (error) {
        if (!loggedOut(error)) {
          setNotice({ kind: 'error', text: message(error, 'Du kunne ikke logges ud.') });
          return;
        }
      }
      setLogin({ status: 'out' });
      setDay(null);
    });

  const loginLink = (
    <a className="btn btn--primary btn--normal" href={`/${partyId}/staff/login`} data-testid="staff-login">
      Log ind
    </a>
  );

  return (
    <div className="staff-portal" data-testid="staff-portal">
      <section className="panel stack" aria-labelledby="staff-heading">
        <h1 id="staff-heading" ref={headingRef} tabIndex={-1}>
          Videomøder – {partyName}
        </h1>
        {login.status === 'loading' && <p role="status">Henter dit login…</p>}
        {login.status === 'out' && (
          <>
            <p>Log ind med din arbejdskonto for at se, booke og åbne dagens videomøder med borgere.</p>
            {loginLink}
          </>
        )}
        {login.status === 'refused' && (
          <>
            <p data-testid="staff-refused">{login.message}</p>
            {loginLink}
          </>
        )}
        {session && (
          <div className="staff-portal__who">
            <p data-testid="staff-user">
              Logget ind som <strong>{session.name}</strong>
            </p>
            <Button variant="secondary" testId="staff-logout" disabled={busy} onClick={handleLogout}>
              Log ud
            </Button>
          </div>
        )}
        {session && !session.roles.includes('staff') && (
          <p data-testid="staff-no-role">Dit login giver ikke adgang til møder. Brug administrationssiderne.</p>
        )}
        {session?.roles.includes('party_admin') && (
          <nav aria-label="Administration">
            <ul className="staff-portal__admin">
              {ADMIN_PAGES.map((page) => (
                <li key={page.id}>
                  <a href={adminPagePath(partyId, page.id)}>{page.label}</a>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </section>
      <div aria-live="polite" className="staff-portal__notice">
        {notice && (
          <p
            className={notice.kind === 'error' ? 'field__error' : 'staff-portal__ok'}
            role={notice.kind === 'error' ? 'alert' : 'status'}
            data-testid={notice.kind === 'error' ? 'staff-error' : 'staff-done'}
          >
            {notice.text}
          </p>
        )}
      </div>
      {isStaff && (
        <>
          <section className="panel stack" aria-labelledby="staff-day-heading" data-testid="staff-meetings">
            <h2 id="staff-day-heading">Møder {longDay(noonOf(shownDay))}</h2>
            <TextField
              label="Vis dag"
              testId="staff-shown-day"
              type="date"
              value={shownDay}
              onChange={(e) => {
                if (e.target.value) setShownDay(e.target.value);
              }}
            />
            {session && (session.teams.length > 0 || isScheduler) && (
              <div className="field">
                <label className="field__label" htmlFor="staff-scope">
                  Vis møder
                </label>
                <select
                  id="staff-scope"
                  className="field__input"
                  data-testid="staff-scope"
                  value={scope}
                  onChange={(e) => setScope(e.target.value as DayScope)}
                >
                  <option value="mine">Mine møder</option>
                  {session.teams.length > 0 && <option value="team">Mit team ({session.teams.join(', ')})</option>}
                  {isScheduler && <option value="party">Hele {partyName}</option>}
                </select>
              </div>
            )}
            {day === null && <p role="status">Henter møder…</p>}
            {day !== null && day.meetings.length === 0 && (
              <p data-testid="staff-no-meetings">Ingen møder denne dag.</p>
            )}
            {day !== null && day.meetings.length > 0 && (
              <ul className="staff-portal__list">
                {day.meetings.map((meeting) => (
                  <MeetingItem
                    key={meeting.id}
                    meeting={meeting}
                    manageable={meeting.mine || isScheduler}
                    busy={busy}
                    onOpen={handleOpen}
                    onCancel={handleCancel}
                  />
                ))}
              </ul>
            )}
          </section>
          <section className="panel stack" aria-labelledby="staff-book-heading">
            <h2 id="staff-book-heading">Book et møde</h2>
            <BookForm busy={busy} onBook={handleBook} />
          </section>
        </>
      )}
    </div>
  );
};
