"""Staff login through the party's OIDC broker (the route to KOMBIT Context Handler).

Authorisation code flow with PKCE (S256), `state` bound to the browser by a short-lived
HttpOnly cookie and used once, `nonce` checked in the ID token, the ID token checked against
the broker's JWKS (bff.auth.idp). The BFF is a confidential client (client_secret_basic); the
tokens it receives never leave it and are not kept: the session holds the party, the roles,
the name (sealed) and a CSRF token. Logout: RP-initiated (the broker's end_session_endpoint)
and back-channel (the broker's logout token ends the sessions of its `sid` or `sub`).

authlib builds the authorisation request, the PKCE challenge and the token request; the
token request goes through the BFF's own HTTP client.
"""

from __future__ import annotations

import base64
import logging
import re
import secrets
import time
from typing import Annotated, Any, NamedTuple
from urllib.parse import quote

import httpx
import msgspec
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from litestar import Request, Response, Router, get, post
from litestar.datastructures import Cookie
from litestar.params import FromQuery, QueryParameter

from bff.auth.deps import provide_issuers
from bff.auth.idp import Issuer, Issuers, TokenRefused
from bff.auth.sessions import (
    BY_SID,
    BY_SUB,
    ROLES,
    broker_session_ref,
    cookie_value,
    create_staff_session,
    end_sessions_of,
    end_staff_session,
    grants_of,
    session_ref,
    staff_cookie,
    subject_ref,
)
from bff.core import store
from bff.core.deps import Connection, Injected, provide, provide_redis
from bff.core.errors import Forbidden, NotFound, Unauthenticated, UpstreamFailed
from bff.core.http import http_only_cookie, see_other
from bff.core.sealing import DataSealer
from bff.core.security import same, sha256_hex
from bff.core.settings import Settings
from bff.core.text import UNSAFE_TEXT
from bff.joins.service import release_ended
from bff.joins.sessions import end_session_ref
from bff.ops.outbound import calling
from bff.ops.ratelimit import limit_launch
from bff.parties.deps import require_party
from bff.parties.models import LoadedOidc, Party

log = logging.getLogger("bff.auth")

FLOW = store.STAFF + "flow:"  # + sha256 of state → the login in progress
LOGOUT_JTI = store.STAFF + "logout-jti:"
# A logout token is used at once: older than this (by `iat`), or living longer (`exp`), it
# is refused; its `jti` is remembered for longer than any token is accepted.
LOGOUT_MAX_AGE = 300
LOGOUT_JTI_KEEP = 2 * LOGOUT_MAX_AGE
FLOW_TTL = 600  # seconds from the redirect to the broker until the answer must be back
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
RETRY = "Prøv at logge ind igen. Kontakt jeres IT-support, hvis det bliver ved."


class LoginFlow(msgspec.Struct):
    party: str
    browser: str  # sha256 of the login cookie that started it
    nonce: str
    verifier: str
    created: int
    back: str = ""  # where the browser goes after the login (a checked path); "": the portal


MAX_BACK = 300
# A path of the app's own pages: unreserved characters and `/` (no `%`: an encoded dot or
# slash could make a segment the check did not see), then an optional plain query.
BACK_PATH = re.compile(r"/[A-Za-z0-9._~/-]*(\?[A-Za-z0-9._~=&%+-]*)?")


def return_path(party: Party, wanted: str) -> str:
    """`next` of a login: kept only when it is a relative path of this party's own pages,
    `/{party}/...`, so the login can never send the browser to another site (`//host`, a
    scheme, a backslash) or out of the party (`..`). Anything else: "" (the portal)."""
    path = wanted.split("?", 1)[0]
    if (
        len(wanted) > MAX_BACK
        or not BACK_PATH.fullmatch(wanted)
        or not path.startswith(f"/{party.id}/")
        or "//" in path
        or any(segment in (".", "..") for segment in path.split("/"))
    ):
        return ""
    return wanted


def login_cookie_name(settings: Settings) -> str:
    return "__Host-bv_login" if settings.serving.secure_cookies else "bv_login"


def _login_cookie(settings: Settings, value: str, *, clear: bool = False) -> Cookie:
    """Lax, not Strict: it must come back on the broker's redirect to the callback."""
    return http_only_cookie(
        settings, login_cookie_name(settings), "" if clear else value, 0 if clear else FLOW_TTL
    )


class LoginBroker(NamedTuple):
    """The party a staff login is for, its OIDC client and the broker that client is at."""

    party: Party
    oidc: LoadedOidc
    issuer: Issuer


def provide_login_broker(request: Connection) -> LoginBroker:
    """The path's party and its broker; 404 for an unknown party or one without staff login."""
    party = require_party(request)
    if party.oidc is None:
        raise NotFound(
            f"Medarbejderlogin er ikke sat op for {party.name}.",
            hint="Åbn møder fra jeres fagsystem, eller kontakt jeres IT-support.",
        )
    return LoginBroker(party, party.oidc, provide_issuers(request).get(party.oidc.issuer))


def redirect_uri(settings: Settings, party: Party) -> str:
    return f"{settings.serving.public_url}/{party.id}/staff/callback"


def portal_url(settings: Settings, party: Party) -> str:
    return f"{settings.serving.public_url}/{party.id}/staff"


@get("/login")
async def start_login(
    request: Request[Any, Any, Any],
    broker: Injected[LoginBroker],
    settings: Injected[Settings],
    redis: Injected[store.Redis],
    next_: Annotated[str, QueryParameter(name="next")] = "",
) -> Response[None]:
    """Off to the broker: code flow, PKCE S256, a fresh state and nonce. `next`: a page of
    the party's own to come back to after the login (see return_path), kept with the flow."""
    party, oidc, issuer = broker
    await limit_launch(request)  # each start stores a little: bounded per client address
    meta = await issuer.metadata()
    browser = request.cookies.get(login_cookie_name(settings)) or ""
    if not 30 <= len(browser) <= 100:
        browser = secrets.token_urlsafe(32)
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    verifier = generate_token(64)  # PKCE: 64 unreserved characters (RFC 7636: 43..128)
    back = return_path(party, next_)
    if next_ and not back:
        log.info("login next refused party=%s", party.id)
    flow = LoginFlow(party.id, sha256_hex(browser), nonce, verifier, int(time.time()), back)
    await redis.set(FLOW + sha256_hex(state), msgspec.json.encode(flow), ex=FLOW_TTL)
    url = prepare_grant_uri(
        meta["authorization_endpoint"],
        oidc.client_id,
        "code",
        redirect_uri(settings, party),
        list(oidc.scopes),
        state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )
    return see_other(url, [_login_cookie(settings, browser)])


async def _exchange(
    issuer: Issuer, settings: Settings, party: Party, oidc: LoadedOidc, code: str, flow: LoginFlow
) -> dict[str, Any]:
    """The code for tokens at the broker's token endpoint (client_secret_basic), through the
    BFF's shared client (the issuer's)."""
    meta = await issuer.metadata()
    body = prepare_token_request(
        "authorization_code",
        code=code,
        redirect_uri=redirect_uri(settings, party),
        code_verifier=flow.verifier,
    )
    basic = base64.b64encode(
        f"{quote(oidc.client_id, safe='')}:{quote(oidc.client_secret, safe='')}".encode()
    ).decode()
    try:
        answer = await issuer.http.post(
            meta["token_endpoint"],
            content=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Authorization": f"Basic {basic}",
            },
            timeout=10,
            extensions=calling("identity-provider", "POST token"),
        )
    except httpx.HTTPError as exc:
        raise UpstreamFailed("Login-tjenesten svarer ikke.") from exc
    if answer.status_code != 200:
        log.warning("token endpoint answered %s party=%s", answer.status_code, party.id)
        raise Unauthenticated("Login-tjenesten afviste login.", hint=RETRY)
    try:
        tokens = answer.json()
    except ValueError as exc:
        raise UpstreamFailed("Login-tjenesten svarede uforståeligt.") from exc
    if not isinstance(tokens, dict) or not isinstance(tokens.get("id_token"), str):
        raise Unauthenticated("Login-tjenesten sendte ingen ID-token.", hint=RETRY)
    return tokens


async def verify_id_token(
    issuer: Issuer, oidc: LoadedOidc, token: str, nonce: str
) -> dict[str, Any]:
    """OIDC Core 3.1.3.7: signature (JWKS), iss, aud, azp, exp, iat, nonce."""
    claims = await issuer.verify(token, audience=oidc.client_id, required=("exp", "iat", "sub"))
    aud = claims.get("aud")
    if isinstance(aud, list) and len(aud) > 1 and claims.get("azp") != oidc.client_id:
        raise TokenRefused("azp must name this client when there are several audiences")
    if "azp" in claims and claims["azp"] != oidc.client_id:
        raise TokenRefused("wrong authorized party (azp)")
    got = claims.get("nonce")
    if not isinstance(got, str) or not same(got, nonce):
        raise TokenRefused("nonce does not match the login")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise TokenRefused("sub missing")
    return claims


def claim_at(claims: dict[str, Any], path: str) -> Any:
    """A dotted path into the claims: `roles`, `realm_access.roles`. A claim whose own name
    holds dots (a URI) is found whole first."""
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def map_roles(oidc: LoadedOidc, claims: dict[str, Any]) -> list[str]:
    """Borgervideo's roles from the claim's values (a list, or one string; a
    space-separated string counts as several)."""
    raw = claim_at(claims, oidc.roles_claim)
    values: set[str] = set()
    if isinstance(raw, str):
        values.update(raw.split())
    elif isinstance(raw, list):
        values.update(v for v in raw if isinstance(v, str))
    return [role for role in ROLES if values.intersection(oidc.roles.get(role, ()))]


def map_teams(oidc: LoadedOidc, claims: dict[str, Any]) -> list[str]:
    """The login's teams from the party's `teams_claim` (a list, or one string), at most 20
    of at most 100 characters; none without a configured claim."""
    raw = claim_at(claims, oidc.teams_claim) if oidc.teams_claim else None
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    teams = [v.strip() for v in values if isinstance(v, str) and 0 < len(v.strip()) <= 100]
    return sorted(set(teams))[:20]


def display_name(oidc: LoadedOidc, claims: dict[str, Any]) -> str:
    for path in (oidc.name_claim, "name", "preferred_username"):
        value = claim_at(claims, path)
        if isinstance(value, str) and value.strip() and not UNSAFE_TEXT.search(value):
            return value.strip()[:80]
    return "Medarbejder"


@get("/callback")
async def finish_login(
    request: Request[Any, Any, Any],
    broker: Injected[LoginBroker],
    settings: Injected[Settings],
    redis: Injected[store.Redis],
    sealer: Injected[DataSealer],
    code: FromQuery[str] = "",
    state_: Annotated[str, QueryParameter(name="state")] = "",
    error: FromQuery[str] = "",
    iss: FromQuery[str] = "",
) -> Response[None]:
    state = state_
    party, oidc, issuer = broker
    clear_login = _login_cookie(settings, "", clear=True)
    if not state or len(state) > 200:
        raise Unauthenticated("Login-svaret mangler sin state.", hint=RETRY)
    raw = await redis.getdel(FLOW + sha256_hex(state))  # once only
    if raw is None:
        raise Unauthenticated("Login-forsøget er ukendt, brugt eller udløbet.", hint=RETRY)
    flow = msgspec.json.decode(raw, type=LoginFlow)
    browser = request.cookies.get(login_cookie_name(settings)) or ""
    if flow.party != party.id or not same(sha256_hex(browser), flow.browser):
        log.warning("login answer for another browser or party party=%s", party.id)
        raise Unauthenticated("Login-svaret hører ikke til denne browser.", hint=RETRY)
    if iss and iss != oidc.issuer:  # RFC 9207: an answer from another provider (mix-up)
        raise Unauthenticated("Login-svaret kommer fra en anden login-tjeneste.", hint=RETRY)
    if error:
        raise Unauthenticated("Login blev afbrudt hos login-tjenesten.", hint=RETRY)
    if not code or len(code) > 2000:
        raise Unauthenticated("Login-svaret mangler sin kode.", hint=RETRY)
    tokens = await _exchange(issuer, settings, party, oidc, code, flow)
    try:
        claims = await verify_id_token(issuer, oidc, tokens["id_token"], flow.nonce)
    except TokenRefused as exc:
        log.warning("id token refused party=%s: %s", party.id, exc)
        raise Unauthenticated("Login-tjenestens svar kunne ikke godkendes.", hint=RETRY) from None
    roles = map_roles(oidc, claims)
    if not roles:
        log.info("staff login without a role party=%s", party.id)
        raise Forbidden(
            f"Du er logget ind, men har ingen rolle i Borgervideo hos {party.name}.",
            hint="Bed jeres administrator om adgang.",
        )
    sid = claims.get("sid") if isinstance(claims.get("sid"), str) else None
    previous = cookie_value(request, settings)
    if previous:  # a new login replaces this browser's earlier one (and its host meetings)
        await end_staff_session(redis, session_ref(previous))
        await end_host_grants(request, session_ref(previous))
    value, _ = await create_staff_session(
        redis,
        sealer,
        settings,
        party=party.id,
        roles=roles,
        name=display_name(oidc, claims),
        issuer=oidc.issuer,
        sub=claims["sub"],
        broker_sid=sid,
        teams=map_teams(oidc, claims),
    )
    log.info("staff login party=%s roles=%s", party.id, ",".join(roles))
    cookie = staff_cookie(settings, value)
    back = return_path(party, flow.back) or f"/{party.id}/staff"  # checked again, to be sure
    return see_other(back, [cookie, clear_login])


async def end_session_url(
    issuers: Issuers, settings: Settings, party: Party, oidc: LoadedOidc
) -> str | None:
    """Where the browser goes to log out at the broker too (RP-initiated logout). By
    client_id, not id_token_hint: no token ever reaches the browser."""
    try:
        meta = await issuers.get(oidc.issuer).metadata()
    except UpstreamFailed:
        return None
    endpoint = meta.get("end_session_endpoint")
    if not isinstance(endpoint, str):
        return None
    url: str = add_params_to_uri(
        endpoint,
        [("client_id", oidc.client_id), ("post_logout_redirect_uri", portal_url(settings, party))],
    )
    return url


async def end_host_grants(request: Connection, staff_ref: str) -> None:
    """The meetings a login opened as host end with it: their sessions go and their
    participants are released at the node."""
    redis = provide_redis(request)
    for ref in await grants_of(redis, staff_ref):
        await release_ended(request, await end_session_ref(redis, ref))


def _logout_error(reason: str) -> Response[dict[str, str]]:
    return Response(
        {"error": "invalid_request", "error_description": reason},
        status_code=400,
        headers={"Cache-Control": "no-store"},
    )


def _fresh_logout(claims: dict[str, Any]) -> None:
    """`iat` at most LOGOUT_MAX_AGE ago and `exp` at most LOGOUT_MAX_AGE after it (both are
    there and numbers: Issuer.verify checked), so a remembered `jti` outlives the token."""
    now = int(time.time())
    iat, exp = int(claims["iat"]), int(claims["exp"])
    if iat < now - LOGOUT_MAX_AGE:
        raise TokenRefused(f"logout token too old (iat more than {LOGOUT_MAX_AGE} s ago)")
    if exp - iat > LOGOUT_MAX_AGE:
        raise TokenRefused(f"logout token lives too long (exp over {LOGOUT_MAX_AGE} s after iat)")


@post(
    "/backchannel-logout",
    status_code=200,
    request_max_body_size=32 * 1024,  # a logout token is a few hundred bytes
)
async def backchannel_logout(
    request: Request[Any, Any, Any],
    broker: Injected[LoginBroker],
    redis: Injected[store.Redis],
) -> Response[Any]:
    """OpenID Connect Back-Channel Logout 1.0: the broker posts a logout token; the sessions
    of its `sid` (else of its `sub`) end, for every instance at once (they live in Redis)."""
    party, oidc, issuer = broker
    form = await request.form()
    token = form.get("logout_token")
    if not isinstance(token, str):
        return _logout_error("logout_token missing")
    try:
        claims = await issuer.verify(
            token, audience=oidc.client_id, required=("iat", "exp", "jti", "events")
        )
        _fresh_logout(claims)
    except TokenRefused as exc:
        log.warning("logout token refused party=%s: %s", party.id, exc)
        return _logout_error(str(exc))
    events = claims.get("events")
    sid, sub = claims.get("sid"), claims.get("sub")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_EVENT), dict):
        return _logout_error("events must hold the back-channel logout event")
    if "nonce" in claims:
        return _logout_error("a logout token carries no nonce")
    if not isinstance(sid, str) and not isinstance(sub, str):
        return _logout_error("sid or sub required")
    jti_key = LOGOUT_JTI + sha256_hex(f"{oidc.issuer}\n{claims['jti']}")
    if not await redis.set(jti_key, 1, nx=True, ex=LOGOUT_JTI_KEEP):
        return _logout_error("logout token already used (jti)")
    ended: list[str] = []
    if isinstance(sid, str):
        ended = await end_sessions_of(redis, BY_SID + broker_session_ref(oidc.issuer, sid))
    if not ended and isinstance(sub, str):  # no sid, or sessions made without one: all of sub
        ended = await end_sessions_of(redis, BY_SUB + subject_ref(oidc.issuer, sub))
    for ref in ended:
        await end_host_grants(request, ref)
    log.info("back-channel logout party=%s sessions_ended=%d", party.id, len(ended))
    return Response(None, status_code=200, headers={"Cache-Control": "no-store"})


# The party's staff login, under its own path; the broker resolved once for each route.
login_routes = Router(
    "/{party_id:str}/staff",
    route_handlers=[start_login, finish_login, backchannel_logout],
    dependencies={"broker": provide(provide_login_broker)},
    include_in_schema=False,
)
