"""Sessions in Redis: the cookie's opaque id → {party, JoinGrant}.

The id itself is never stored: records are keyed by its sha256 (the session's `ref`), so a
copy of the Redis files holds no cookie value that would open a session.
"""

from __future__ import annotations

import msgspec
from litestar import Request, Response
from litestar.datastructures import Cookie

from bff.core import store
from bff.core.security import new_session_id, sha256_hex
from bff.core.settings import Settings
from bff.joins.models import Session

MAX_SID = 100


def session_ref(sid: str) -> str:
    return sha256_hex(sid)


def cookie_sid(request: Request, settings: Settings) -> str | None:
    sid = request.cookies.get(settings.cookie_name)
    return sid if sid and len(sid) <= MAX_SID else None


async def create_session(redis: store.Redis, session: Session, ttl: int) -> str:
    """A new session; listed under its meeting, so a call running over can keep the session
    and its seat alive as long as the meeting (bff.meetings.overrun)."""
    sid = new_session_id()
    ref = session_ref(sid)
    index = store.MEETING_SESSIONS + session.grant.meeting_id
    async with redis.pipeline(transaction=False) as pipe:
        pipe.set(store.SESSION + ref, msgspec.json.encode(session), ex=ttl)
        pipe.sadd(index, f"{ref} {session.grant.seat}")
        pipe.expire(index, ttl)  # every session of a meeting lives until its end
        await pipe.execute()
    return sid


async def load_session(redis: store.Redis, sid: str | None) -> Session | None:
    if not sid or len(sid) > MAX_SID:
        return None
    raw = await redis.get(store.SESSION + session_ref(sid))
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
    return Cookie(
        key=settings.cookie_name,
        value=sid,
        max_age=ttl,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def redirect_with_session(location: str, sid: str, ttl: int, settings: Settings) -> Response[None]:
    return Response(
        None,
        status_code=303,
        headers={
            "Location": location,
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
        cookies=[session_cookie(settings, sid, ttl)],
    )
