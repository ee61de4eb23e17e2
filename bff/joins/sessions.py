"""Sessions in Redis: an opaque cookie id → {party, JoinGrant}."""

from __future__ import annotations

import msgspec
from litestar import Response
from litestar.datastructures import Cookie

from bff import store
from bff.joins.models import Session
from bff.security import new_session_id

COOKIE = "bv_session"


async def create_session(redis: store.Redis, session: Session, ttl: int) -> str:
    sid = new_session_id()
    await redis.set(store.SESSION + sid, msgspec.json.encode(session), ex=ttl)
    return sid


async def load_session(redis: store.Redis, sid: str | None) -> Session | None:
    if not sid or len(sid) > 100:
        return None
    raw = await redis.get(store.SESSION + sid)
    try:
        return None if raw is None else msgspec.json.decode(raw, type=Session)
    except msgspec.ValidationError:  # a record from before names were sealed: log in again
        return None


async def end_session(redis: store.Redis, sid: str | None) -> None:
    if sid and len(sid) <= 100:
        await redis.delete(store.SESSION + sid)


def session_cookie(sid: str, ttl: int, secure: bool) -> Cookie:
    return Cookie(
        key=COOKIE, value=sid, max_age=ttl, path="/", httponly=True, samesite="lax", secure=secure
    )


def redirect_with_session(location: str, sid: str, ttl: int, secure: bool) -> Response[None]:
    return Response(
        None,
        status_code=303,
        headers={
            "Location": location,
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
        cookies=[session_cookie(sid, ttl, secure)],
    )
