"""Sessions in Redis: the cookie's opaque id → {party, JoinGrant}.

The id itself is never stored: records are keyed by its sha256 (the session's `ref`), so a
copy of the Redis files holds no cookie value that would open a session.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import msgspec
from litestar import Response
from litestar.datastructures import Cookie
from litestar.openapi.spec import SecurityRequirement, SecurityScheme

from bff.core import store
from bff.core.deps import Connection
from bff.core.http import cookie_security_scheme, http_only_cookie, see_other
from bff.core.security import new_session_id, sha256_hex
from bff.core.settings import Settings
from bff.joins.models import Session
from bff.meetings.models import StoredMeeting

MAX_SID = 100
BROWSER_SESSION: list[SecurityRequirement] = [{"browserSession": []}]
# Session ref → its grant's meeting id, for sessions this process made or read: a grant never
# changes, so the proxy reads a known session together with its meeting (one round trip). A
# hint only: the session read with it decides.
_meeting_of: dict[str, str] = {}
MAX_HINTS = 10_000


def _remember(ref: str, meeting_id: str) -> None:
    if len(_meeting_of) >= MAX_HINTS:
        _meeting_of.clear()
    _meeting_of[ref] = meeting_id


def session_ref(sid: str) -> str:
    return sha256_hex(sid)


def cookie_sid(request: Connection, settings: Settings) -> str | None:
    sid = request.cookies.get(settings.serving.cookie_name)
    return sid if sid and len(sid) <= MAX_SID else None


async def create_session(redis: store.Redis, session: Session, ttl: int) -> str:
    """A new session; listed under its meeting, so a call running over can keep the session
    and its seat alive as long as the meeting (bff.meetings.overrun)."""
    sid = new_session_id()
    async with redis.pipeline(transaction=False) as pipe:
        _queue_session(pipe, session_ref(sid), session, ttl)
        await pipe.execute()
    _remember(session_ref(sid), session.grant.meeting_id)
    return sid


async def create_link_session(
    redis: store.Redis, session: Session, ttl: int, link_digest: str, meeting: StoredMeeting
) -> tuple[str, str | None]:
    """`create_session` for a redeemed guest link, which now holds this session: (the new
    session id, the ref of the session the link held before, to end), one round trip. The
    session's records (with `meeting`'s, as read) are what its request_token starts from."""
    sid = new_session_id()
    ref = session_ref(sid)
    async with redis.pipeline(transaction=False) as pipe:
        raw = _queue_session(pipe, ref, session, ttl)
        pipe.set(store.LINK_SESSION + link_digest, ref, ex=ttl, get=True)
        *_, previous = await pipe.execute()
    _remember(ref, session.grant.meeting_id)
    _keep_records(ref, JoinRecords(raw, *meeting))
    return sid, previous.decode() if previous else None


def _queue_session(pipe: Any, ref: str, session: Session, ttl: int) -> bytes:
    index = store.MEETING_SESSIONS + session.grant.meeting_id
    raw = msgspec.json.encode(session)
    pipe.set(store.SESSION + ref, raw, ex=ttl)
    pipe.sadd(index, f"{ref} {session.grant.seat}")
    pipe.expire(index, ttl)  # every session of a meeting lives until its end
    return raw


async def load_session(redis: store.Redis, sid: str | None) -> Session | None:
    if not sid or len(sid) > MAX_SID:
        return None
    raw = await redis.get(store.SESSION + session_ref(sid))
    try:
        return None if raw is None else msgspec.json.decode(raw, type=Session)
    except msgspec.ValidationError:  # a record of an older layout: join again
        return None


class JoinRecords(NamedTuple):
    """A session, its grant's meeting record and wrapped meeting key, as stored (bytes)."""

    session: bytes
    meeting: bytes
    meeting_key: bytes


# Session ref → the records it was last written or read with in this process (a link
# redemption, the app shell, the proxy):
# the proxy's request_token starts from them and takes the seat only while Redis still holds
# exactly these (bff.proxy.seats.take_seat_if_current). Sealed as stored, nothing opened.
_records_of: dict[str, JoinRecords] = {}
MAX_RECORDS = 10_000


def known_join_records(ref: str) -> JoinRecords | None:
    return _records_of.get(ref)


def forget_join_records(ref: str) -> None:
    _records_of.pop(ref, None)


async def load_join_records(redis: store.Redis, sid: str | None) -> tuple[JoinRecords | None, int]:
    """The session with its grant's meeting record and wrapped meeting key, as stored (None
    when one is missing), and the session's seconds left (-2: none): one round trip for a
    session this process knows, two for another."""
    if not sid or len(sid) > MAX_SID:
        return None, -2
    ref = session_ref(sid)
    hint = _meeting_of.get(ref)
    async with redis.pipeline(transaction=False) as pipe:
        pipe.get(store.SESSION + ref)
        pipe.ttl(store.SESSION + ref)
        if hint is not None:
            pipe.get(store.MEETING + hint)
            pipe.get(store.MEETING_KEY + hint)
        raw, ttl, *meeting = await pipe.execute()
    session = decode_session(raw)
    if raw is None or session is None:
        _meeting_of.pop(ref, None)
        _records_of.pop(ref, None)
        return None, -2  # none, or of an older layout: as good as none
    meeting_id = session.grant.meeting_id
    if hint != meeting_id:
        async with redis.pipeline(transaction=False) as pipe:
            pipe.get(store.MEETING + meeting_id)
            pipe.get(store.MEETING_KEY + meeting_id)
            meeting = await pipe.execute()
        _remember(ref, meeting_id)
    if meeting[0] is None or meeting[1] is None:
        _records_of.pop(ref, None)
        return None, int(ttl)
    records = JoinRecords(raw, meeting[0], meeting[1])
    _keep_records(ref, records)
    return records, int(ttl)


def _keep_records(ref: str, records: JoinRecords) -> None:
    if len(_records_of) >= MAX_RECORDS and ref not in _records_of:
        _records_of.clear()
    _records_of[ref] = records


def decode_session(raw: bytes | None) -> Session | None:
    try:
        return None if raw is None else msgspec.json.decode(raw, type=Session)
    except msgspec.ValidationError:  # a record of an older layout: join again
        return None


async def end_session_ref(redis: store.Redis, ref: str) -> Session | None:
    """End the session with this ref; the ended session, to release what it held."""
    raw = await redis.getdel(store.SESSION + ref)
    try:
        return None if raw is None else msgspec.json.decode(raw, type=Session)
    except msgspec.ValidationError:
        return None


async def end_session(redis: store.Redis, sid: str | None) -> Session | None:
    if not sid or len(sid) > MAX_SID:
        return None
    return await end_session_ref(redis, session_ref(sid))


def session_cookie(settings: Settings, sid: str, ttl: int) -> Cookie:
    """The browser's meeting session ("" and 0: dropped)."""
    return http_only_cookie(settings, settings.serving.cookie_name, sid, ttl)


def redirect_with_session(location: str, sid: str, ttl: int, settings: Settings) -> Response[None]:
    return see_other(location, [session_cookie(settings, sid, ttl)])


def browser_security_schemes(settings: Settings) -> dict[str, SecurityScheme]:
    """A meeting's join session as an OpenAPI security scheme (its cookie as named here)."""
    return {
        "browserSession": cookie_security_scheme(
            settings.serving.cookie_name,
            "A meeting's join session: an HttpOnly, SameSite=Lax cookie the BFF "
            "sets when a browser redeems a guest link (GET /{party}/j/{token}), opens an EOJ "
            "launch link (GET /{party}/launch) or a staff member opens her meeting as host "
            "(StaffHost). It holds the grant (host or guest) of one meeting. POST and DELETE "
            "with it must come from the app's own origin (Origin or Sec-Fetch-Site), else 403.",
        ),
    }
