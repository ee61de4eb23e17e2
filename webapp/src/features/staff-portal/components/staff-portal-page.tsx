import '../staff-portal.css';

import { useCallback, useEffect, useState } from 'react';

import { Button } from '@/components/button';
import { SelectField } from '@/components/select-field';
import { TextField } from '@/components/text-field';
import type { PartyPageProps } from '@/config/app-config';
import { useFocusOnMount } from '@/hooks/use-focus-on-mount';
import { ADMIN_PAGES, adminPagePath } from '@/lib/admin-pages';
import { type Translator, useI18n } from '@/lib/i18n';

import {
  type Booking,
  bookMeeting,
  type DayScope,
  cancelMeeting,
  fetchDay,
  fetchSession,
  logout,
  openAsHost,
  StaffApiError,
  type StaffDay,
  type StaffMeeting,
  type StaffSession,
} from '../api';
import { localDate, longDay, noonOf } from '../time';
import { BookForm } from './book-form';
import { MeetingItem } from './meeting-item';

type Login =
  | { status: 'loading' }
  | { status: 'out' }
  | { status: 'refused'; message: string }
  | { status: 'in'; session: StaffSession };

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/** A failed request in words: what went wrong (by status) and what it was for. */
const errorText = (t: Translator['t'], error: unknown, fallback: string): string => {
  if (!(error instanceof StaffApiError)) return fallback;
  const action = t(`portal.action.${error.action}`);
  const known = [0, 400, 401, 403, 410, 429].includes(error.status) ? error.status : 'other';
  return t(`portal.error.s${known}`, { action });
};

/**
 * `/{party}/staff`: the staff portal. After logging in through the municipality's login
 * service: her meetings of a day (today first; her team's, or for a scheduler the party's, by
 * choice), book one, open it as host, cancel it, log out.
 * The login lives in an HttpOnly cookie; no token reaches this page.
 */
export const StaffPortalPage = ({ partyId, partyName }: PartyPageProps) => {
  const { t, language } = useI18n();
  const message = (error: unknown, fallback: string): string => errorText(t, error, fallback);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [login, setLogin] = useState<Login>({ status: 'loading' });
  const [shownDay, setShownDay] = useState(() => localDate(new Date()));
  const [scope, setScope] = useState<DayScope>('mine');
  const [day, setDay] = useState<StaffDay | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const loggedOut = useCallback(
    (error: unknown): boolean => {
      if (error instanceof StaffApiError && error.status === 401) {
        setLogin({ status: 'out' });
        setNotice({ kind: 'error', text: errorText(t, error, '') });
        return true;
      }
      return false;
    },
    [t],
  );

  const reload = useCallback(async () => {
    try {
      setDay(await fetchDay(partyId, shownDay, scope));
    } catch (error) {
      if (!loggedOut(error)) setNotice({ kind: 'error', text: errorText(t, error, t('portal.failed.day')) });
    }
  }, [partyId, shownDay, scope, loggedOut, t]);

  useEffect(() => {
    let live = true;
    fetchSession(partyId)
      .then((session) => {
        if (!live) return;
        setLogin(session ? { status: 'in', session } : { status: 'out' });
      })
      .catch((error: unknown) => {
        if (!live) return;
        const refused = error instanceof StaffApiError && error.status === 403;
        setLogin({
          status: 'refused',
          message: refused
            ? t('portal.otherParty', { party: partyName })
            : errorText(t, error, t('portal.failed.session')),
        });
      });
    return () => {
      live = false;
    };
  }, [partyId, partyName, reload, t]);

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
        if (live && !loggedOut(error)) setNotice({ kind: 'error', text: errorText(t, error, t('portal.failed.day')) });
      },
    );
    return () => {
      live = false;
    };
  }, [isStaff, partyId, shownDay, scope, loggedOut, t]);

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
        setNotice({ kind: 'ok', text: t('portal.booked', { subject: meeting.subject }) });
        const bookedDay = localDate(new Date(meeting.start));
        if (bookedDay === shownDay) await reload();
        else setShownDay(bookedDay); // the list follows to the booked day
      } catch (error) {
        if (!loggedOut(error)) setNotice({ kind: 'error', text: message(error, t('portal.failed.book')) });
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
        if (!loggedOut(error)) setNotice({ kind: 'error', text: message(error, t('portal.failed.open')) });
      }
    });

  const handleCancel = (meeting: StaffMeeting) =>
    void act(async () => {
      if (!session) return;
      try {
        await cancelMeeting(partyId, session.csrf_token, meeting.id);
        setNotice({ kind: 'ok', text: t('portal.cancelled', { subject: meeting.subject }) });
        await reload();
      } catch (error) {
        if (!loggedOut(error)) setNotice({ kind: 'error', text: message(error, t('portal.failed.cancel')) });
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
          setNotice({ kind: 'error', text: message(error, t('portal.failed.logout')) });
          return;
        }
      }
      setLogin({ status: 'out' });
      setDay(null);
    });

  const loginLink = (
    <a className="btn btn--primary btn--normal" href={`/${partyId}/staff/login`} data-testid="staff-login">
      {t('portal.login')}
    </a>
  );

  return (
    <div className="staff-portal" data-testid="staff-portal">
      <section className="panel stack" aria-labelledby="staff-heading">
        <h1 id="staff-heading" ref={headingRef} tabIndex={-1}>
          {t('portal.title', { party: partyName })}
        </h1>
        {login.status === 'loading' && <p role="status">{t('portal.loadingLogin')}</p>}
        {login.status === 'out' && (
          <>
            <p>{t('portal.loginIntro')}</p>
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
              {t('portal.loggedInAs')} <strong>{session.name}</strong>
            </p>
            <Button variant="secondary" testId="staff-logout" disabled={busy} onClick={handleLogout}>
              {t('portal.logout')}
            </Button>
          </div>
        )}
        {session && !session.roles.includes('staff') && <p data-testid="staff-no-role">{t('portal.noStaffRole')}</p>}
        {session?.roles.includes('party_admin') && (
          <nav aria-label={t('admin.nav.label')}>
            <ul className="staff-portal__admin">
              {ADMIN_PAGES.map((page) => (
                <li key={page}>
                  <a href={adminPagePath(partyId, page)}>{t(`admin.nav.${page}`)}</a>
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
            <h2 id="staff-day-heading">{t('portal.dayHeading', { day: longDay(noonOf(shownDay), language) })}</h2>
            <TextField
              label={t('portal.showDay')}
              testId="staff-shown-day"
              type="date"
              value={shownDay}
              onChange={(e) => {
                if (e.target.value) setShownDay(e.target.value);
              }}
            />
            {session && (session.teams.length > 0 || isScheduler) && (
              <SelectField
                label={t('portal.scope.label')}
                testId="staff-scope"
                value={scope}
                onChange={(e) => setScope(e.target.value as DayScope)}
              >
                <option value="mine">{t('portal.scope.mine')}</option>
                {session.teams.length > 0 && (
                  <option value="team">{t('portal.scope.team', { teams: session.teams.join(', ') })}</option>
                )}
                {isScheduler && <option value="party">{t('portal.scope.party', { party: partyName })}</option>}
              </SelectField>
            )}
            {day === null && <p role="status">{t('portal.loadingDay')}</p>}
            {day !== null && day.meetings.length === 0 && (
              <p data-testid="staff-no-meetings">{t('portal.noMeetings')}</p>
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
            <h2 id="staff-book-heading">{t('portal.bookHeading')}</h2>
            <BookForm busy={busy} onBook={handleBook} />
          </section>
        </>
      )}
    </div>
  );
};
