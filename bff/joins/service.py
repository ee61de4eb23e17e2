"""The join grant and the browser session, from one owner: a meeting's link or launch is
checked open, the grant is sealed under the meeting's key, and a browser's old session ends
(its seat released at the node) before its new one starts. Joins, staff, devices and the
phonebook all make their sessions here."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from litestar import Request

from bff.core import store
from bff.core.deps import (
    Connection,
    provide_node_http,
    provide_redis,
    provide_sealer,
    provide_settings,
)
from bff.core.errors import DomainError, Gone, NotFound, TooEarly
from bff.core.i18n import Moment
from bff.core.sealing import DataSealer, Sealer, SealError
from bff.core.security import sha256_hex
from bff.core.store import Redis
from bff.joins.models import JoinGrant, Role, Session
from bff.joins.sessions import (
    cookie_sid,
    create_link_session,
    create_session,
    end_session,
    end_session_ref,
    load_session,
)
from bff.meetings.keys import open_meeting_key
from bff.meetings.models import COPENHAGEN, Meeting
from bff.meetings.overrun import cookie_seconds
from bff.meetings.service import decode_guest_link, get_meeting, meeting_and_key, ttl_seconds
from bff.ops.ratelimit import RedeemLimits
from bff.parties.deps import provide_parties
from bff.parties.models import Party
from bff.proxy.seats import release_seat

log = logging.getLogger("bff.joins")
ASK_SENDER = "Kontakt dem, der har inviteret dig, for at få et nyt link."


def check_open(meeting: Meeting | None, now: datetime, opens_before: timedelta) -> Meeting:
    """The page says what it is in the citizen's language (bff/locales `errorPage.link.*`):
    a cancelled meeting names its time, a not-yet-open one when it opens and when it starts."""
    if meeting is None or meeting.status_at(now) == "ended":
        raise Gone("Linket er udløbet, fordi mødet er slut.", hint=ASK_SENDER, key="link.ended")
    if meeting.status == "cancelled":
        raise Gone(
            "Mødet er aflyst.",
            hint=ASK_SENDER,
            key="link.cancelled",
            params={"when": when_of(meeting)},
        )
    opens = meeting.opens_at(opens_before)  # the link's opening or the room's, the later
    if now < opens:
        local = opens.astimezone(COPENHAGEN)
        raise TooEarly(
            f"Mødet er ikke åbent endnu. Du kan deltage fra {local:%d.%m.%Y} kl. {local:%H.%M}.",
            title=f"Mødet åbner kl. {local:%H.%M}",
            hint="Lad siden være åben: du kommer ind i mødet af dig selv, når det åbner.",
            key="link.tooEarly",
            params={
                "opens": Moment(opens),
                "opensDay": Moment(opens, "day"),
                "start": Moment(meeting.start),
                "startDay": Moment(meeting.start, "day"),
            },
        )
    return meeting


class _When(Moment, frozen=True):
    """ "tirsdag 26. november kl. 10.00" / "Tuesday 26 November at 10:00"."""

    def render(self, lang: str) -> str:
        day, time = Moment(self.at, "day").render(lang), Moment(self.at).render(lang)
        return f"{day} kl. {time}" if lang == "da" else f"on {day} at {time}"


def when_of(meeting: Meeting) -> Moment:
    return _When(meeting.start)


async def release_ended(request: Connection, ended: Session | None) -> None:
    """An ended session's participant leaves the call now (its token is refused already)."""
    if ended is not None:
        await release_seat(
            provide_redis(request),
            provide_node_http(request),
            provide_sealer(request),
            ended.grant.seat,
        )


async def browser_session(request: Connection) -> Session | None:
    """The browser's meeting session (its cookie), if it has one."""
    sid = cookie_sid(request, provide_settings(request))
    return await load_session(provide_redis(request), sid)


async def session_meeting(request: Connection, session: Session) -> tuple[Party, Meeting] | None:
    """The session's party and meeting while the meeting is on; None once it is over or
    cancelled (or its party left the installation)."""
    party = provide_parties(request).get(session.party)
    meeting = await get_meeting(provide_redis(request), session.grant.meeting_id)
    if party is None or meeting is None or meeting.party != party.id:
        return None
    if meeting.status_at(datetime.now(UTC)) != "scheduled":
        return None
    return party, meeting


class SessionMeeting(NamedTuple):
    """A browser's meeting session while its meeting is on."""

    party: Party
    session: Session
    meeting: Meeting


async def meeting_of_session(
    request: Connection, *, refused: DomainError, over: DomainError, role: Role | None = None
) -> SessionMeeting:
    """The browser's session (of `role`, when one is named) and its party and meeting while
    the meeting is on: `refused` without such a session, `over` once the meeting is not."""
    session = await browser_session(request)
    if session is None or (role is not None and session.grant.role != role):
        raise refused
    found = await session_meeting(request, session)
    if found is None:
        raise over
    party, meeting = found
    return SessionMeeting(party, session, meeting)


async def end_browser_session(request: Request[Any, Any, Any]) -> None:
    """The browser's meeting session ends, and its participant leaves the call."""
    sid = cookie_sid(request, provide_settings(request))
    await release_ended(request, await end_session(provide_redis(request), sid))


async def replace_session(request: Request[Any, Any, Any], session: Session, ttl: int) -> str:
    """A fresh session id for every redemption (no fixation); the browser's old one ends."""
    await end_browser_session(request)
    return await create_session(provide_redis(request), session, ttl)


async def start_session(
    request: Request[Any, Any, Any], party: Party, meeting: Meeting, grant: JoinGrant, now: datetime
) -> str:
    """The browser's one session: `grant` for `meeting`, until the meeting ends; the
    browser's previous session, and its participant, end (one browser, one meeting)."""
    session = Session(party=party.id, grant=grant)
    return await replace_session(request, session, ttl_seconds(meeting.end, now))


async def meeting_cipher(redis: Redis, sealer: DataSealer, meeting: Meeting) -> Sealer:
    cipher = await open_meeting_key(redis, sealer, meeting.id)
    if cipher is None:  # over, or sealed under a data key this installation no longer has
        raise Gone("Linket virker ikke længere.", hint=ASK_SENDER, key="link.broken")
    return cipher


class Redemption(NamedTuple):
    """A redeemed guest link: the browser's new session id and its cookie's lifetime; the
    session, its meeting and the meeting's key as just written, and the session's seconds."""

    sid: str
    cookie_ttl: int
    session: Session
    meeting: Meeting
    cipher: Sealer
    session_ttl: int


async def redeem_guest_link(
    request: Request[Any, Any, Any], party: Party, token: str
) -> Redemption:
    """A citizen's SMS link: checked (rate limits in Redis, the link, the meeting open), its
    grant sealed under the meeting's key, a new session made (the link's previous one and the
    browser's end). Raises what the citizen's error page says."""
    redis, sealer, settings = (
        provide_redis(request),
        provide_sealer(request),
        provide_settings(request),
    )
    digest = sha256_hex(token)
    limits = RedeemLimits(request, digest)  # shared by every instance
    async with redis.pipeline(transaction=False) as pipe:  # one round trip for the three
        limits.queue(pipe)
        pipe.get(store.GUEST_LINK + digest)
        *counts, raw_link = await pipe.execute()
    limits.check(counts)
    link = decode_guest_link(raw_link) if 16 <= len(token) <= 64 else None
    if link is None or link.party != party.id:  # another party's link: as unknown here
        raise NotFound(
            "Linket findes ikke.",
            hint="Tjek, at du har brugt hele linket fra din SMS. " + ASK_SENDER,
            key="link.unknown",
        )
    now = datetime.now(UTC)
    opens_before = timedelta(minutes=party.options.link_opens_minutes_before)
    found, cipher, stored = await meeting_and_key(redis, sealer, link.meeting_id)
    meeting = check_open(found, now, opens_before)
    ttl = ttl_seconds(meeting.end, now)
    if cipher is None or stored is None:  # over, or sealed under a data key no longer here
        raise Gone("Linket virker ikke længere.", hint=ASK_SENDER, key="link.broken")
    try:
        name = link.display_name(cipher)
    except SealError:
        raise Gone("Linket virker ikke længere.", hint=ASK_SENDER, key="link.broken") from None
    seat = sha256_hex("seat:" + digest)  # the link's one seat, however often it is redeemed
    grant = JoinGrant.sealed(cipher, meeting.id, "guest", name, seat)
    grant.person = link.person  # the phonebook: the guest's pseudonym, if booked with one
    # A fresh session id for every redemption (no fixation); the browser's old one ends,
    # and so does the session (and the seat) a previous redemption of the link held.
    await release_ended(request, await end_session(redis, cookie_sid(request, settings)))
    session = Session(party=party.id, grant=grant)
    sid, previous = await create_link_session(redis, session, ttl, digest, stored)
    if previous:
        await release_ended(request, await end_session_ref(redis, previous))
    log.info("guest link redeemed party=%s meeting=%s", party.id, meeting.id)
    return Redemption(sid, cookie_seconds(meeting, party, now), session, meeting, cipher, ttl)
