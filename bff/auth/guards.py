"""Who may do what: the guards of staff logins, party administrators, case systems and the
statistics API, one guard per rule (the phonebook's callers: bff.phonebook.callers; device
and plugin tokens: their domains).

- `requires_staff`: a staff login (the party's broker, role `staff`) of the path's party.
- `requires_party_admin`: a login with role `party_admin` of the path's party, or (an option,
  on by default only in the development stack: `BV_ADMIN_KEYS`) the party's X-Admin-Key.
- `requires_api_client(read=, write=)`: a case system. An OAuth2 access token (JWT) from the
  party's broker with the operation's scope (`read` for GET/HEAD, else `write`), or (an
  option: `BV_API_KEYS`) the party's X-API-Key, which may do everything.
- `stats_reader`: the statistics API's reader (see bff.stats): the steering group's key or
  login (every party), else a party's client with `stats:read`, key or login.

A staff login's unsafe requests (POST, PUT, PATCH, DELETE) must also carry its CSRF token in
`X-CSRF-Token`, besides coming from the app's own origin (bff.core.security.RequestGuard).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Controller
from litestar.datastructures import CacheControlHeader
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import SecurityRequirement

from bff.auth.deps import provide_issuers
from bff.auth.idp import TokenRefused, unverified_claims
from bff.auth.sessions import MAX_SID, STAFF_WRITE, StaffLogin, StaffSession, load_staff_session
from bff.core.deps import Connection, provide_redis, provide_settings
from bff.core.errors import Forbidden, Unauthenticated
from bff.core.http import bearer_token, single_header
from bff.core.security import UNSAFE_METHODS, same, sha256_hex
from bff.parties.deps import provide_parties, require_party
from bff.parties.models import Party

MAX_KEY = 200
# `requires_party_admin` in the OpenAPI document: the party's admin key, or a login with role
# party_admin (the staff login's cookie; its CSRF token on POST, PUT, PATCH and DELETE).
PARTY_ADMIN_SECURITY: list[SecurityRequirement] = [{"adminKey": []}, *STAFF_WRITE]
PARTY_ADMIN_REFUSED = (
    "A login of another party or without the role party_admin, X-CSRF-Token missing or wrong "
    "on a change, or a change from another site"
)
READ_METHODS = frozenset({"GET", "HEAD"})
Guard = Callable[[Connection, BaseRouteHandler], Awaitable[None]]


# -- keys (options) ------------------------------------------------------------------------
def party_admin_key_id(party: Party, key: str) -> str | None:
    """The id of the party's admin key `key` is, comparing every hash without stopping early."""
    digest = sha256_hex(key)
    found = None
    for key_id, known in party.admin_keys:
        if same(digest, known):
            found = key_id
    return found


def find_party_by_key(parties: dict[str, Party], key: str) -> Party | None:
    """The party whose Meetings API key `key` is, comparing every hash without stopping early."""
    digest = sha256_hex(key)
    found = None
    for party in parties.values():
        for known in party.api_key_hashes:
            if same(digest, known):
                found = party
    return found


# -- staff logins --------------------------------------------------------------------------
async def staff_login(connection: Connection) -> tuple[str, StaffSession] | None:
    """The request's live staff session (its idle timer renewed), once per request."""
    cache = connection.scope.setdefault("state", {})
    if "bv_staff_login" not in cache:
        settings = provide_settings(connection)
        value = connection.cookies.get(settings.serving.staff_cookie_name)
        cache["bv_staff_login"] = (
            await load_staff_session(provide_redis(connection), settings, value)
            if value and len(value) <= MAX_SID
            else None
        )
    return cache["bv_staff_login"]  # type: ignore[no-any-return]


def check_csrf(connection: Connection, session: StaffSession) -> None:
    if connection.scope.get("method") in UNSAFE_METHODS and not same(
        single_header(connection, "X-CSRF-Token"), session.csrf
    ):
        raise Forbidden("X-CSRF-Token missing or wrong (reload the page)")


async def _login_with(connection: Connection, party: Party, role: str) -> StaffSession | None:
    """The staff session for `party` holding `role`; None without a login. Another party's
    login, or one without the role, is refused (403)."""
    found = await staff_login(connection)
    if found is None:
        return None
    ref, session = found
    if session.party != party.id:
        raise Forbidden(f"You are logged in at another party, not at {party.name}")
    if role not in session.roles:
        raise Forbidden(f"Your login at {party.name} does not have the role {role}")
    check_csrf(connection, session)
    connection.state.staff = StaffLogin(session, ref)
    return session


async def requires_staff(connection: Connection, _: BaseRouteHandler) -> None:
    """A staff login of the path's party (`party_id`). Sets `state.party`, `state.staff`."""
    party = require_party(connection)
    if await _login_with(connection, party, "staff") is None:
        raise Unauthenticated("Not logged in (or the login has timed out)")
    connection.state.party = party


async def requires_staff_login(connection: Connection, _: BaseRouteHandler) -> None:
    """Any role's login of the path's party (the session and logout endpoints)."""
    party = require_party(connection)
    found = await staff_login(connection)
    if found is None:
        raise Unauthenticated("Not logged in (or the login has timed out)")
    ref, session = found
    if session.party != party.id:
        raise Forbidden(f"You are logged in at another party, not at {party.name}")
    check_csrf(connection, session)
    connection.state.party = party
    connection.state.staff = StaffLogin(session, ref)


async def requires_party_admin(connection: Connection, _: BaseRouteHandler) -> None:
    """The path's party (`party_id`) and its administrator: a login with role party_admin,
    or the party's X-Admin-Key where those are switched on. Another party's key answers
    exactly like an unknown one. Sets `state.party` and `state.admin` (recorded as who made
    a change, in logs and at rest: the key's id, or `admin:` and a pseudonym of the login's
    subject; never the administrator's name)."""
    party = require_party(connection)
    key = single_header(connection, "X-Admin-Key")
    if key:
        if not provide_settings(connection).admin_keys_on:
            raise Unauthenticated(
                "X-Admin-Key is switched off on this installation: log in as administrator"
            )
        key_id = party_admin_key_id(party, key) if len(key) <= MAX_KEY else None
        if key_id is None:
            raise Unauthenticated("Unknown admin key for this party (X-Admin-Key)")
        connection.state.party = party
        connection.state.admin = key_id
        return
    session = await _login_with(connection, party, "party_admin")
    if session is None:
        hint = " (or header X-Admin-Key)" if provide_settings(connection).admin_keys_on else ""
        raise Unauthenticated(f"Log in as the party's administrator{hint}")
    connection.state.party = party
    connection.state.admin = admin_pseudonym(session)


class PartyAdminController(Controller):
    """What every route of a party's administrator has: `requires_party_admin`, its security
    in the OpenAPI document, and answers that are never cached. A subclass sets its path
    (below `/api/v1/parties/{party_id:str}`), tags and dependencies."""

    guards = [requires_party_admin]
    security = PARTY_ADMIN_SECURITY
    cache_control = CacheControlHeader(no_store=True)


def admin_pseudonym(session: StaffSession) -> str:
    """The same for every login of one administrator (its subject is a hash of the broker's
    issuer and `sub`), and no name."""
    return f"admin:{session.subject[:16]}"


# -- case systems --------------------------------------------------------------------------
def token_scopes(claims: dict[str, Any]) -> set[str]:
    """`scope` (a space-separated string, RFC 9068) or `scp` (a list, as some brokers do)."""
    found: set[str] = set()
    scope = claims.get("scope")
    if isinstance(scope, str):
        found.update(scope.split())
    scp = claims.get("scp")
    if isinstance(scp, list):
        found.update(s for s in scp if isinstance(s, str))
    return found


async def machine_client(connection: Connection, token: str) -> tuple[Party, set[str]]:
    """The party an access token is for (its issuer and audience) and the token's scopes,
    after its signature (the broker's JWKS), issuer, audience, lifetime and client."""
    parties = provide_parties(connection)
    try:
        claims = unverified_claims(token)
    except TokenRefused as exc:
        raise Unauthenticated(f"Access token refused: {exc}") from None
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    party = next(
        (
            p
            for p in parties.values()
            if p.oidc is not None
            and p.oidc.issuer == claims.get("iss")
            and p.oidc.api_audience in audiences
        ),
        None,
    )
    if party is None or party.oidc is None:
        raise Unauthenticated("Access token refused: unknown issuer or audience")
    issuer = provide_issuers(connection).get(party.oidc.issuer)
    try:
        verified = await issuer.verify(token, audience=party.oidc.api_audience)
    except TokenRefused as exc:
        raise Unauthenticated(f"Access token refused: {exc}") from None
    if verified.get("typ") in ("ID", "Logout") or "nonce" in verified:
        raise Unauthenticated("Access token refused: an ID token is no access token")
    client = verified.get("azp") or verified.get("client_id")
    if party.oidc.api_clients and client not in party.oidc.api_clients:
        raise Unauthenticated("Access token refused: client not allowed for this party")
    connection.state.client = client if isinstance(client, str) else None
    connection.state.token_claims = verified  # a domain's own claims (the phonebook's)
    return party, token_scopes(verified)


def _api_key_party(connection: Connection) -> Party | None:
    """X-API-Key's party where keys are switched on; None without the header."""
    key = single_header(connection, "X-API-Key")
    if not key:
        return None
    if not provide_settings(connection).api_keys_on:
        raise Unauthenticated(
            "X-API-Key is switched off on this installation: use an OAuth2 access token "
            "(Authorization: Bearer) from the party's identity provider"
        )
    party = find_party_by_key(provide_parties(connection), key) if len(key) <= MAX_KEY else None
    if party is None:
        raise Unauthenticated("Unknown API key in X-API-Key")
    return party


def requires_api_client(*, read: str, write: str) -> Guard:
    """A case system of some party, allowed the operation: `read` scope for GET/HEAD, else
    `write`. Sets `state.party`."""

    async def guard(connection: Connection, _: BaseRouteHandler) -> None:
        scope = read if connection.scope.get("method") in READ_METHODS else write
        token = bearer_token(connection)
        if token is not None:
            party, scopes = await machine_client(connection, token)
            if scope not in scopes:
                raise Forbidden(f"The access token lacks the scope {scope}")
            connection.state.party = party
            return
        keyed = _api_key_party(connection)
        if keyed is None:
            keys = " or header X-API-Key" if provide_settings(connection).api_keys_on else ""
            raise Unauthenticated(f"Missing Authorization: Bearer <access token>{keys}")
        connection.state.party = keyed

    guard.__name__ = f"requires_api_client_{read}_{write}".replace(":", "_")
    return guard


async def stats_reader(connection: Connection, steering_key: str | None) -> str | None:
    """Who reads statistics: None for every party (the steering group's key or login), else
    the one party's id (its client with stats:read, its API key, or a login of it)."""
    key = single_header(connection, "X-API-Key")
    if key and steering_key and len(key) <= MAX_KEY and same(sha256_hex(key), steering_key):
        return None
    token = bearer_token(connection)
    if token is not None:
        party, scopes = await machine_client(connection, token)
        if "stats:read" not in scopes:
            raise Forbidden("The access token lacks the scope stats:read")
        return party.id
    if key:
        keyed = _api_key_party(connection)
        return keyed.id if keyed is not None else None
    found = await staff_login(connection)
    if found is not None:
        _, session = found
        if "steering_group" in session.roles:
            return None
        if "party_admin" in session.roles:
            return session.party
        raise Forbidden("Your login does not have the role party_admin or steering_group")
    raise Unauthenticated("Missing Authorization: Bearer <access token> (or X-API-Key)")
