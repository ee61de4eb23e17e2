"""Staff login sessions in Redis behind their own HttpOnly cookie (`bv_staff`,
`__Host-bv_staff` over https), beside a meeting's join cookie and like it keyed by the
cookie's sha256, never its value.

A session has an idle timeout (its Redis TTL, renewed on use) and an absolute one (`expires`,
checked on every use). It holds no token of the broker's: only the party, the person's
display name (sealed under the data key), the roles and a CSRF token. Indexes by the broker's
session id (`sid`) and subject (`sub`) let a back-channel logout end them all; since nothing
is cached per process, every BFF instance refuses them from that moment.
"""

from __future__ import annotations

import time
from typing import Literal, NamedTuple

import msgspec
from litestar.datastructures import Cookie
from litestar.openapi.spec import SecurityRequirement, SecurityScheme

from bff.core import store
from bff.core.deps import Connection
from bff.core.http import cookie_security_scheme, http_only_cookie
from bff.core.sealing import Sealer
from bff.core.security import new_session_id, new_token, sha256_hex, staff_key
from bff.core.settings import Settings

Role = Literal["staff", "scheduler", "party_admin", "steering_group"]
ROLES: tuple[Role, ...] = ("staff", "scheduler", "party_admin", "steering_group")
SESSION = store.STAFF + "session:"
BY_SID = store.STAFF + "sid:"
BY_SUB = store.STAFF + "sub:"
GRANTS = store.STAFF + "grants:"  # + a staff session's ref: the host sessions it opened
MAX_SID = 100
# The OpenAPI security of the staff login's API: the cookie, and for unsafe methods the CSRF token.
STAFF_READ: list[SecurityRequirement] = [{"staffSession": []}]
STAFF_WRITE: list[SecurityRequirement] = [{"staffSession": [], "csrfToken": []}]


class StaffSession(msgspec.Struct):
    party: str
    roles: list[str]
    name_sealed: str
    csrf: str  # the synchronizer token the portal sends back as X-CSRF-Token
    subject: str  # sha256 of issuer and sub: who, without the broker's identifier in clear
    created: int
    expires: int  # absolute end (unix seconds); the idle end is the record's TTL
    staff_key: str = ""  # bff.core.security.staff_key of the login's `sub`: "my meetings"
    teams: list[str] = msgspec.field(default_factory=list)  # the party's teams claim

    def name(self, sealer: Sealer, ref: str) -> str:
        return sealer.unseal_or(self.name_sealed, SESSION + ref, "")


class StaffLogin(NamedTuple):
    """The staff login a guard admitted: its record and the record's reference."""

    session: StaffSession
    ref: str

    def name(self, sealer: Sealer) -> str:
        return self.session.name(sealer, self.ref)


def session_ref(sid: str) -> str:
    return sha256_hex(sid)


def subject_ref(issuer: str, sub: str) -> str:
    return sha256_hex(f"{issuer}\n{sub}")


def broker_session_ref(issuer: str, sid: str) -> str:
    return sha256_hex(f"{issuer}\n{sid}")


def cookie_value(request: Connection, settings: Settings) -> str | None:
    value = request.cookies.get(settings.serving.staff_cookie_name)
    return value if value and len(value) <= MAX_SID else None


async def create_staff_session(
    redis: store.Redis,
    sealer: Sealer,
    settings: Settings,
    *,
    party: str,
    roles: list[str],
    name: str,
    issuer: str,
    sub: str,
    broker_sid: str | None,
    teams: list[str] | None = None,
) -> tuple[str, StaffSession]:
    """A fresh cookie value (never reused: no fixation) and its session."""
    sid = new_session_id()
    ref = session_ref(sid)
    now = int(time.time())
    session = StaffSession(
        party=party,
        roles=roles,
        name_sealed=sealer.seal(name, SESSION + ref),
        csrf=new_token(),
        subject=subject_ref(issuer, sub),
        created=now,
        expires=now + settings.identity.staff_max_session,
        staff_key=staff_key(party, sub),
        teams=teams or [],
    )
    idle = min(settings.identity.staff_idle_timeout, settings.identity.staff_max_session)
    await redis.set(SESSION + ref, msgspec.json.encode(session), ex=idle)
    for index in (
        BY_SUB + session.subject,
        *([BY_SID + broker_session_ref(issuer, broker_sid)] if broker_sid else []),
    ):
        await redis.sadd(index, ref)
        await redis.expire(index, settings.identity.staff_max_session)
    return sid, session


async def load_staff_session(
    redis: store.Redis, settings: Settings, sid: str | None
) -> tuple[str, StaffSession] | None:
    """The live session behind a cookie value, its idle timer renewed; None when there is
    none, it idled out or it passed its absolute end (then it is deleted)."""
    if not sid or len(sid) > MAX_SID:
        return None
    ref = session_ref(sid)
    raw = await redis.getex(SESSION + ref, ex=settings.identity.staff_idle_timeout)
    if raw is None:
        return None
    try:
        session = msgspec.json.decode(raw, type=StaffSession)
    except msgspec.ValidationError:
        await redis.delete(SESSION + ref)
        return None
    if time.time() >= session.expires:
        await redis.delete(SESSION + ref)
        return None
    return ref, session


async def end_staff_session(redis: store.Redis, ref: str) -> bool:
    return bool(await redis.delete(SESSION + ref))


async def end_sessions_of(redis: store.Redis, index_key: str) -> list[str]:
    """End every session an index (a broker session or a subject) names; the refs ended."""
    ended = []
    for ref in await redis.smembers(index_key):
        text = ref.decode() if isinstance(ref, bytes) else str(ref)
        if await redis.delete(SESSION + text):
            ended.append(text)
    await redis.delete(index_key)
    return ended


async def remember_grant(
    redis: store.Redis, settings: Settings, staff_ref: str, join_ref: str
) -> None:
    """A host session opened from this login: it ends with the login."""
    await redis.sadd(GRANTS + staff_ref, join_ref)
    await redis.expire(GRANTS + staff_ref, settings.identity.staff_max_session)


async def grants_of(redis: store.Redis, staff_ref: str) -> list[str]:
    refs = await redis.smembers(GRANTS + staff_ref)
    await redis.delete(GRANTS + staff_ref)
    return [r.decode() if isinstance(r, bytes) else str(r) for r in refs]


def staff_cookie(settings: Settings, value: str, *, clear: bool = False) -> Cookie:
    """HttpOnly, SameSite=Strict (a link from another site never carries it; the portal's
    own requests do), a browser-session cookie: no Max-Age, the server's timeouts rule."""
    return http_only_cookie(
        settings,
        settings.serving.staff_cookie_name,
        "" if clear else value,
        0 if clear else None,
        "strict",
    )


def staff_security_schemes(settings: Settings) -> dict[str, SecurityScheme]:
    """The staff login as OpenAPI security schemes: its cookie (named as this installation
    names it) and the CSRF token its unsafe requests carry."""
    return {
        "staffSession": cookie_security_scheme(
            settings.serving.staff_cookie_name,
            "The staff login's session: an HttpOnly, SameSite=Strict cookie the "
            "BFF sets at the end of the login (GET /{party}/staff/login, the party's OpenID "
            "provider, /{party}/staff/callback). No login: 401; another party's login, or one "
            "without the operation's role: 403. It ends after BV_STAFF_IDLE_TIMEOUT idle "
            "seconds, at BV_STAFF_MAX_SESSION, at StaffLogout and at the provider's "
            "back-channel logout.",
        ),
        "csrfToken": SecurityScheme(
            type="apiKey",
            name="X-CSRF-Token",
            security_scheme_in="header",
            description="The login's CSRF token (`csrf_token` of StaffSession), on POST, PUT, "
            "PATCH and DELETE with the staff cookie; missing or wrong: 403. Such requests must "
            "also come from the app's own origin (Origin or Sec-Fetch-Site), else 403.",
        ),
    }
