"""Phonebook routes: systems report presence, authorised callers look people up, staff act
on a result (join, move); the party's administrator registers systems, sets the policy and
reads the audit. Authorisation of the callers is here, beside bff.auth.guards, whose pieces
it uses (access tokens, staff logins, plugin tokens)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import quote

import aiohttp
import msgspec
from litestar import Controller, Request, Response, delete, get, post, put, route
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader, State
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import SecurityScheme
from litestar.params import FromPath, PathParameter, QueryParameter, RequestBody

from bff.auth.guards import (
    check_csrf,
    machine_client,
    requires_party_admin,
    staff_login,
)
from bff.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Gone,
    NotFound,
    Unauthenticated,
    UpstreamFailed,
    problem_for,
)
from bff.core.http import (
    bearer_token,
    cors_headers,
    cors_preflight,
    decode,
    error_responses,
    required_bearer,
    single_header,
)
from bff.core.sealing import Sealer
from bff.core.security import new_token, sha256_hex
from bff.core.store import GUEST_LINK
from bff.joins.models import JoinGrant, Session
from bff.joins.service import start_session
from bff.joins.sessions import (
    redirect_with_session,
)
from bff.meetings.keys import open_meeting_key
from bff.meetings.models import GuestLink, Meeting
from bff.meetings.overrun import cookie_seconds
from bff.meetings.service import get_meeting
from bff.parties.deps import require_party
from bff.phonebook.models import (
    ActionIn,
    AuditEntry,
    DialOut,
    Entry,
    JoinOut,
    LookupIn,
    LookupOut,
    MoveOut,
    PolicyIn,
    PolicyOut,
    PresenceIn,
    PresenceLeave,
    PresenceOut,
    Role,
    SystemCreated,
    SystemIn,
    SystemOut,
)
from bff.phonebook.refs import PersonRef
from bff.phonebook.service import JOIN_TTL, PB, Caller, PhonebookService
from bff.plugins.deps import provide_plugins

MAX_BODY = 8 * 1024
MAX_RELATIONS = 50
NO_STORE = CacheControlHeader(no_store=True)
SYSTEM_KEY = "X-System-Key"
PHONEBOOK_SCHEME = {
    "systemKey": SecurityScheme(
        type="apiKey",
        name=SYSTEM_KEY,
        security_scheme_in="header",
        description="A phonebook system's key (the party's administrator registers the "
        "system: RegisterPhonebookSystem)",
    )
}
ERRORS = {
    400: "Bad body: the reason names the field (never echoing a reference)",
    401: "No credential, or an unknown one",
    403: "The caller may not do this (scope, system rights, the owning party's policy)",
    404: "Unknown or expired handle, system or party",
    410: "The person has left that meeting, or the meeting is over",
    413: "Body too large",
    429: "Over the caller's limit: see Retry-After",
    502: "The conference node failed",
}
TRANSFER_TIMEOUT = aiohttp.ClientTimeout(total=10.0)
PLUGIN_PATHS = [
    "/api/plugin/v1/phonebook/lookup",
    "/api/plugin/v1/phonebook/join",
    "/api/plugin/v1/phonebook/move",
    "/api/plugin/v1/phonebook/dial",
]
_PERSON_EXAMPLE = {"kind": "cpr", "id": "010190-1234"}


def provide_phonebook(request: Request) -> PhonebookService:
    return request.app.state.phonebook  # type: ignore[no-any-return]


# -- callers ----------------------------------------------------------------------------------
async def api_caller(connection: ASGIConnection, need: str) -> Caller:
    """A registered system (X-System-Key), a party's OAuth2 client (scope `phonebook:<need>`,
    names with the claim `treatment_relation: true`) or, for look-ups, a staff login."""
    service: PhonebookService = connection.app.state.phonebook
    key = single_header(connection, SYSTEM_KEY)
    if key:
        system = await service.system_for_key(key) if len(key) <= 200 else None
        if system is None:
            raise Unauthenticated(f"Unknown phonebook system key ({SYSTEM_KEY})")
        if not getattr(system, need):
            raise Forbidden(f"This system is not registered to {need} (ask the party's admin)")
        return Caller(
            kind="system",
            id=system.id,
            party=connection.app.state.parties[system.party],
            who=system.name,
            lookups_per_minute=system.lookups_per_minute,
            updates_per_minute=system.updates_per_minute,
        )
    token = bearer_token(connection)
    if token is not None:
        party, scopes = await machine_client(connection, token)
        if f"phonebook:{need}" not in scopes:
            raise Forbidden(f"The access token lacks the scope phonebook:{need}")
        claims: dict[str, Any] = getattr(connection.state, "token_claims", {})
        client = connection.state.client or "client"
        relations = token_relations(service, claims.get("treatment_relation"))
        return Caller(
            kind="client",
            id=f"{party.id}:{client}",
            party=party,
            who=client,
            relations=relations,
            basis="access-token" if relations else "none",
        )
    found = await staff_login(connection) if need == "lookup" else None
    if found is not None:
        ref, session = found
        if "staff" not in session.roles:
            raise Forbidden("Your login does not have the role staff")
        check_csrf(connection, session)
        party = connection.app.state.parties.get(session.party)
        if party is None:
            raise Unauthenticated("Not logged in (or the login has timed out)")
        return Caller(
            kind="staff",
            id=sha256_hex("pb-staff:" + ref)[:32],
            party=party,
            who=session.name(connection.app.state.sealer, ref) or "staff",
        )
    raise Unauthenticated(
        f"Missing credential: header {SYSTEM_KEY}, Authorization: Bearer <access token>"
        + (", or a staff login" if need == "lookup" else "")
    )


def token_relations(service: PhonebookService, claim: object) -> frozenset[str]:
    """The persons an access token's `treatment_relation` names: one reference
    (`{"kind": "cpr"|"staff", "id"}`) or a list of at most 50; `true` names nobody."""
    if claim is None or isinstance(claim, bool):
        return frozenset()
    items = claim if isinstance(claim, list) else [claim]
    if len(items) > MAX_RELATIONS:
        raise Unauthenticated(
            f"Access token refused: treatment_relation names over {MAX_RELATIONS}"
        )
    try:
        refs = msgspec.convert(items, list[PersonRef])
        return frozenset(service.person(ref, "treatment_relation") for ref in refs)
    except (msgspec.ValidationError, DomainError):
        raise Unauthenticated(
            'Access token refused: treatment_relation must name persons ({"kind": "cpr", '
            '"id": ...})'
        ) from None


async def booked_persons(state: State, meeting: Meeting) -> frozenset[str]:
    """The pseudonyms of the persons booked as guests of `meeting` (their guest links)."""
    if not meeting.guest_links:
        return frozenset()
    async with state.redis.pipeline(transaction=False) as pipe:  # links: several slots
        for digest in meeting.guest_links:
            pipe.get(GUEST_LINK + digest)
        raws = await pipe.execute()
    links = [msgspec.json.decode(raw, type=GuestLink) for raw in raws if raw is not None]
    return frozenset(link.person for link in links if link.person and link.meeting_id == meeting.id)


async def plugin_caller(request: Request) -> tuple[Caller, Session, Meeting]:
    """The host's plugin token: its session's grant (a treatment relation when its launch JWT
    stated one) and the meeting it is for."""
    state = request.app.state
    token = required_bearer(request, "plugin token")
    holder = await provide_plugins(request).token_holder(token, "phonebook")
    if holder is None:
        raise Unauthenticated("Unknown or expired plugin token")
    record, session, _ = holder
    if session.grant.role != "host":
        raise Forbidden("Only staff (the meeting's host) may use the phonebook")
    party = state.parties.get(session.party)
    meeting = await get_meeting(state.redis, session.grant.meeting_id)
    if party is None or meeting is None:
        raise Unauthenticated("Unknown or expired plugin token")
    cipher = await open_meeting_key(state.redis, state.sealer, meeting.id)
    if cipher is None:
        raise Gone("Your meeting is over")
    # The launch JWT's treatment relation holds for the persons booked in this meeting only,
    # read again at every look-up (a guest added to the meeting later counts too).
    relations = await booked_persons(state, meeting) if session.grant.treatment else frozenset()
    caller = Caller(
        kind="plugin",
        id=sha256_hex("pb-plugin:" + record.session)[:32],
        party=party,
        who=session.grant.display_name(cipher),
        relations=relations,
        basis="booked-guest" if relations else "none",
    )
    return caller, session, meeting


# -- actions on a result ------------------------------------------------------------------
async def make_join(state: State, caller: Caller, handle: str) -> JoinOut:
    """A one-time link (60 s) that opens the person's meeting in this browser with a grant of
    its own (the role the owning party's policy gives)."""
    service: PhonebookService = state.phonebook
    _, _, entry = await service.resolve(caller, handle)
    policy = await service.may(caller, entry, "join")
    token = new_token()
    key = f"{PB}join:{sha256_hex(token)}"
    record = f"{entry.meeting_id}|{policy.join_role}|" + state.sealer.seal(caller.who, key)
    await state.redis.set(key, record, ex=JOIN_TTL)
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=JOIN_TTL)
    return JoinOut(url=f"/{entry.party}/phonebook-join/{token}", expires_at=expires)


async def _node_post(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str], body: dict[str, Any]
) -> dict[str, Any]:
    try:
        async with http.post(url, headers=headers, json=body, timeout=TRANSFER_TIMEOUT) as resp:
            answer = await resp.json(content_type=None)
            status = resp.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise UpstreamFailed("conference node unreachable") from exc
    if status != 200 or not isinstance(answer, dict):
        result = answer.get("result") if isinstance(answer, dict) else None
        if status == 404:
            raise Gone("The person is no longer in that meeting")
        raise UpstreamFailed(f"conference node refused ({status}: {result})")
    return answer


@asynccontextmanager
async def host_on_node(
    state: State, meeting: Meeting, key: Sealer, role: Role = "host"
) -> AsyncIterator[tuple[aiohttp.ClientSession, str, str, str]]:
    """A token of the BFF's own in `meeting` (a host's by default; its PIN from the server),
    released afterwards whatever happened: (the node session, the conference's base URL, the
    token, its participant)."""
    node = state.node_router.for_party(meeting.party)
    base = f"{node}/api/client/v2/conferences/{quote(meeting.alias, safe='')}"
    http: aiohttp.ClientSession = state.node_http
    answer = await _node_post(
        http,
        f"{base}/request_token",
        {"pin": meeting.pin_for(role, key)},
        {"display_name": "Borgervideo telefonbog", "call_tag": f"borgervideo:{meeting.party}"},
    )
    token = str(answer["result"]["token"])
    try:
        yield http, base, token, str(answer["result"].get("participant_uuid", ""))
    finally:
        try:
            async with http.post(
                f"{base}/release_token", headers={"token": token}, timeout=TRANSFER_TIMEOUT
            ):
                pass
        except (aiohttp.ClientError, TimeoutError):
            pass


NO_HOST_TO_KEEP = (
    "Nobody hosts the person's meeting now: moving them would start it for its other guests, "
    "who would be dropped a minute after the phonebook left. Ask its host to join first"
)


async def _leaves_the_hosting_as_it_was(
    state: State, source: Meeting, key: Sealer, participant: str
) -> bool:
    """Whether a host of the phonebook's own may come and go in `source` without changing
    who hosts it. Transfer is a host's call (Pexip client API `participants/{uuid}/transfer`;
    emulator/node/api.py `_require_host`), and a host that joins a hosted room starts it for
    the guests waiting there, who are dropped `guests_only_timeout` (60 s) after the last
    host leaves. So a guest's token looks first (a guest neither starts nor ends anything):
    it is safe when another host is in, when the person is a host themselves (they leave as a
    host would), or when nobody else is in (nobody left behind)."""
    async with host_on_node(state, source, key, "guest") as (http, base, token, mine):
        try:
            async with http.get(
                f"{base}/participants", headers={"token": token}, timeout=TRANSFER_TIMEOUT
            ) as resp:
                answer = await resp.json(content_type=None) if resp.status == 200 else None
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise UpstreamFailed("conference node unreachable") from exc
    listed = answer.get("result") if isinstance(answer, dict) else None
    if not isinstance(listed, list):
        raise UpstreamFailed("conference node did not list the participants")
    people = {str(p.get("uuid")): p for p in listed if isinstance(p, dict)}
    people.pop(mine, None)
    person = people.pop(participant, None)
    if person is None:  # not visible to a guest (a waiting room) or gone: nothing to judge by
        return False
    others = list(people.values())
    hosted = any(p.get("role") == "chair" for p in others)
    return hosted or person.get("role") == "chair" or not others


async def transfer(state: State, entry: Entry, target: Meeting) -> None:
    """Infinity `transfer`: a host token in the person's meeting (the BFF knows its host PIN)
    moves their participant into `target` as a guest (with its guest PIN); then released.
    Only where that host of its own leaves the room hosted as it was (see above)."""
    source = await get_meeting(state.redis, entry.meeting_id or "")
    source_key = await open_meeting_key(state.redis, state.sealer, entry.meeting_id or "")
    target_key = await open_meeting_key(state.redis, state.sealer, target.id)
    if source is None or source_key is None or target_key is None or entry.participant is None:
        raise Gone("The meeting is over")
    if not await _leaves_the_hosting_as_it_was(state, source, source_key, entry.participant):
        raise Conflict(NO_HOST_TO_KEEP)
    async with host_on_node(state, source, source_key) as (http, base, token, _):
        await _node_post(
            http,
            f"{base}/participants/{quote(entry.participant, safe='')}/transfer",
            {"token": token},
            {
                "conference_alias": target.alias,
                "role": "guest",
                "pin": target.pin_for("guest", target_key),
            },
        )


async def dial(state: State, caller: Caller, target: Meeting, handle: str) -> DialOut:
    """Infinity `dial`: a host token in the host's own meeting (`target`) dials the result's
    meeting by its alias, so the two rooms are bridged: that meeting is a participant (sip)
    here, and this one a participant there. Its guest PIN goes with the call as DTMF, from
    here: it never reaches the browser."""
    service: PhonebookService = state.phonebook
    _, _, entry = await service.resolve(caller, handle)
    await service.may(caller, entry, "dial")
    if entry.meeting_id == target.id:
        raise Forbidden("The person is already in your meeting")
    now = datetime.now(UTC)
    if target.status_at(now) != "scheduled":
        raise Gone("Your meeting is over")
    other = await get_meeting(state.redis, entry.meeting_id or "")
    other_key = await open_meeting_key(state.redis, state.sealer, entry.meeting_id or "")
    own_key = await open_meeting_key(state.redis, state.sealer, target.id)
    if other is None or other_key is None or other.status_at(now) != "scheduled":
        raise Gone("The person's meeting is over")
    if own_key is None:
        raise Gone("Your meeting is over")
    async with host_on_node(state, target, own_key) as (http, base, token, _):
        dialled = await _node_post(
            http,
            f"{base}/dial",
            {"token": token},
            {
                "role": "GUEST",
                "destination": other.alias,
                "protocol": "sip",
                "call_type": "video",
                "dtmf_sequence": other.pin_for("guest", other_key) + "#",
                "remote_display_name": f"Møde hos {service.party_name(entry.party)}"[:100],
                "source_display_name": f"Møde hos {caller.party.name}"[:100],
                "keep_conference_alive": "keep_conference_alive_never",
            },
        )
    uuids = dialled.get("result")
    if not isinstance(uuids, list) or not uuids:
        raise UpstreamFailed("conference node did not dial")
    return DialOut(status="dialled", alias=target.alias, participant_uuid=str(uuids[0]))


async def move(state: State, caller: Caller, session: Session, target: Meeting,
               handle: str) -> MoveOut:  # fmt: skip
    service: PhonebookService = state.phonebook
    p, eid, entry = await service.resolve(caller, handle)
    await service.may(caller, entry, "move")
    if entry.participant is None:
        raise Forbidden("The person's participant is not known: they cannot be moved")
    if entry.meeting_id == target.id:
        raise Forbidden("The person is already in your meeting")
    if target.status_at(datetime.now(UTC)) != "scheduled":
        raise Gone("Your meeting is over")
    await transfer(state, entry, target)
    await service.delete(p, eid, entry.alias)
    await service.put(
        p,
        Entry(
            system_id=f"borgervideo:{target.party}",
            system_name=f"Borgervideo ({caller.party.name})",
            party=target.party,
            alias=target.alias,
            role="guest",
            display_name=entry.display_name,
            since=datetime.now(UTC).replace(microsecond=0),
            until=target.end,
            title=target.subject,
            meeting_id=target.id,
        ),
    )
    return MoveOut(status="moved", alias=target.alias)


# -- the phonebook API ----------------------------------------------------------------------
class PhonebookController(Controller):
    path = "/api/v1/phonebook"
    tags = ["Phonebook"]  # noqa: RUF012
    security = [{"systemKey": []}, {"bearer": []}]  # noqa: RUF012
    cache_control = NO_STORE
    dependencies = {"phonebook": Provide(provide_phonebook, sync_to_thread=False)}  # noqa: RUF012

    @put(
        "/presence",
        operation_id="ReportPresence",
        summary="Someone is in an ongoing meeting of the calling system",
        description="A registered system (header X-System-Key, registered with `report`) or "
        "a party's OAuth2 client (scope `phonebook:report`) says that a person (CPR number or "
        "staff id, in the body only) is in the meeting `alias` with a role and a display "
        "name. Reporting again replaces the entry (and extends it). The reference is kept "
        "only as a keyed pseudonym; name and title only sealed. The entry expires at "
        "`ends_at` and goes when the node reports the conference ended.",
        request_max_body_size=MAX_BODY,
        responses=error_responses(ERRORS, 400, 401, 403, 413, 429),
    )
    async def report(
        self,
        request: Request,
        data: RequestBody[PresenceIn],
        phonebook: NamedDependency[PhonebookService],
    ) -> PresenceOut:
        caller = await api_caller(request, "report")
        return await phonebook.report(caller, data)

    @delete(
        "/presence",
        operation_id="RemovePresence",
        summary="Someone left a meeting of the calling system",
        description="The same caller as ReportPresence; `alias` and `person` name the entry. "
        "Answers 204 also when there was none.",
        request_max_body_size=MAX_BODY,
        responses=error_responses(ERRORS, 400, 401, 403, 413, 429),
    )
    async def leave(
        self, request: Request, data: RequestBody[PresenceLeave],
        phonebook: NamedDependency[PhonebookService],
    ) -> None:  # fmt: skip
        caller = await api_caller(request, "report")
        await phonebook.leave(caller, data)

    @post(
        "/lookup",
        operation_id="LookupPerson",
        summary="Where is this person meeting right now?",
        description="By a registered system with `lookup`, a party's OAuth2 client (scope "
        "`phonebook:lookup`) or a staff login. Each result: system, party, meeting alias, "
        "since when, role, and a `handle` (5 minutes) for JoinFromPhonebook. Another "
        "party's meetings only where its policy shares them. Names (and meeting titles) only "
        "in the caller's own party's meetings, of a person its access token's claim "
        "`treatment_relation` names (`{kind, id}` or a list); else null. Limited per caller "
        "and per person looked up. Every look-up is audited (who, when, the pseudonym, the "
        "result count, the basis for names) for the caller's and the owning parties' admins.",
        status_code=200,
        request_max_body_size=MAX_BODY,
        responses=error_responses(ERRORS, 400, 401, 403, 413, 429),
    )
    async def lookup(
        self, request: Request, data: RequestBody[LookupIn],
        phonebook: NamedDependency[PhonebookService],
    ) -> LookupOut:  # fmt: skip
        caller = await api_caller(request, "lookup")
        return await phonebook.lookup(caller, data.person)

    @post(
        "/join",
        operation_id="JoinFromPhonebook",
        summary="A one-time link (60 s) into a result's meeting, for the logged-in staff member",
        description="Staff login only (cookie and X-CSRF-Token). Where the owning party's "
        "policy lets the caller's party join, answers a URL that opens the meeting in this "
        "browser with a grant of its own (the role the policy gives).",
        status_code=201,
        request_max_body_size=MAX_BODY,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 410, 413),
    )
    async def join(self, request: Request, data: RequestBody[ActionIn]) -> JoinOut:
        found = await staff_login(request)
        if found is None:
            raise Unauthenticated("Log in as staff (the staff portal) to join from a result")
        caller = await api_caller(request, "lookup")
        return await make_join(request.app.state, caller, data.handle)


class PhonebookAdminController(Controller):
    path = "/api/v1/parties/{party_id:str}/phonebook"
    tags = ["Phonebook (admin)"]  # noqa: RUF012
    guards = [requires_party_admin]  # noqa: RUF012
    security = [{"adminKey": []}]  # noqa: RUF012
    cache_control = NO_STORE
    dependencies = {"phonebook": Provide(provide_phonebook, sync_to_thread=False)}  # noqa: RUF012

    @post(
        "/systems",
        operation_id="RegisterPhonebookSystem",
        summary="Register a system that reports presence and/or looks people up",
        description="Answers the system's key once (header X-System-Key); only its sha256 is "
        "kept. Limits per minute are counted in Redis for every instance.",
        request_max_body_size=MAX_BODY,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 413),
    )
    async def register(
        self, request: Request, data: RequestBody[SystemIn],
        phonebook: NamedDependency[PhonebookService],
    ) -> SystemCreated:  # fmt: skip
        return await phonebook.register(request.state.party, data)

    @get(
        "/systems",
        operation_id="ListPhonebookSystems",
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def systems(
        self, request: Request, phonebook: NamedDependency[PhonebookService]
    ) -> list[SystemOut]:
        return await phonebook.systems(request.state.party)

    @delete(
        "/systems/{system_id:str}",
        operation_id="RemovePhonebookSystem",
        summary="Remove a system: its key is refused at once",
        responses=error_responses(ERRORS, 400, 401, 403, 404),
    )
    async def remove(
        self,
        request: Request,
        system_id: Annotated[str, PathParameter(pattern=r"^[0-9a-f]{16}$")],
        phonebook: NamedDependency[PhonebookService],
    ) -> None:
        await phonebook.remove_system(request.state.party, system_id)

    @get(
        "/policy",
        operation_id="GetPhonebookPolicy",
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def policy(
        self, request: Request, phonebook: NamedDependency[PhonebookService]
    ) -> PolicyOut:
        return await phonebook.policy(request.state.party.id)

    @put(
        "/policy",
        operation_id="SetPhonebookPolicy",
        summary="Which parties' staff may join, move people out of, or dial this party's meetings",
        description="Default: nobody (`join_from`, `move_from` and `dial_from` empty).",
        request_max_body_size=MAX_BODY,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 413),
    )
    async def set_policy(
        self, request: Request, data: RequestBody[PolicyIn],
        phonebook: NamedDependency[PhonebookService],
    ) -> PolicyOut:  # fmt: skip
        return await phonebook.set_policy(request.state.party, data)

    @get(
        "/audit",
        operation_id="ReadPhonebookAudit",
        summary="Look-ups by this party's callers and look-ups that found its meetings",
        description="Newest first: when, which caller, who (the system's or person's name), "
        "the pseudonym looked up, how many results, whether names were shown.",
        responses=error_responses(ERRORS, 400, 401, 403, 404),
    )
    async def audit(
        self,
        request: Request,
        phonebook: NamedDependency[PhonebookService],
        limit: Annotated[int, QueryParameter(ge=1, le=1000, description="1..1000")] = 100,
    ) -> list[AuditEntry]:
        return await phonebook.audit(request.state.party, limit)


# -- the plugin API (the host's plugin token) -----------------------------------------------
@route(PLUGIN_PATHS, http_method=["OPTIONS"], include_in_schema=False)
async def phonebook_preflight(request: Request) -> Response[None]:
    return cors_preflight(request, "POST")


@post(
    PLUGIN_PATHS,
    operation_id="PluginPhonebook",
    tags=["Plugin API"],
    summary="The phonebook plugin: look up, join a result's meeting, move a person here",
    description="For the `phonebook` plugin: Authorization: Bearer <its plugin token> (a "
    "host's session). `lookup` `{person}` → as LookupPerson (names of the persons booked in "
    "the host's meeting when the staff launch JWT stated `treatment_relation: true`); "
    "`join` `{handle}` → as JoinFromPhonebook; `move` "
    "`{handle}` → moves the person into the host's own meeting (Infinity transfer) where "
    "the owning party's policy allows it (409 while nobody hosts the person's meeting and "
    "others are in it: the phonebook's host would start it and leave them to be dropped); "
    "`dial` `{handle}` → dials the person's meeting "
    "into the host's own (Infinity dial; the rooms bridged) where the policy allows it.",
    request_max_body_size=MAX_BODY,
    status_code=200,
    include_in_schema=False,
)
async def plugin_phonebook(request: Request) -> Response[Any]:
    cors = cors_headers(request)
    headers = cors | {"Cache-Control": "no-store"}
    try:
        if "origin" in request.headers and "Access-Control-Allow-Origin" not in cors:
            raise Forbidden("The plugin API answers the plugin origin only")
        caller, session, meeting = await plugin_caller(request)
        action = request.url.path.rsplit("/", 1)[-1]
        state = request.app.state
        result: Any
        if action == "lookup":
            body: LookupIn = decode(await request.body(), LookupIn)
            result = await state.phonebook.lookup(caller, body.person)
        else:
            handle: ActionIn = decode(await request.body(), ActionIn)
            if action == "join":
                result = await make_join(state, caller, handle.handle)
            elif action == "dial":
                result = await dial(state, caller, meeting, handle.handle)
            else:
                result = await move(state, caller, session, meeting, handle.handle)
    except DomainError as exc:
        response = problem_for(exc)
        response.headers.update(headers)
        return response
    return Response(result, status_code=200, headers=headers)


@get("/{party_id:str}/phonebook-join/{token:str}", include_in_schema=False)
async def redeem_phonebook_join(
    request: Request, party_id: FromPath[str], token: FromPath[str]
) -> Response[None]:
    """The one-time join link: a fresh session with a grant for that meeting (the browser's
    previous session, and its participant, end: one browser, one meeting)."""
    party = require_party(request, party_id)
    state = request.app.state
    key = f"{PB}join:{sha256_hex(token)}"
    raw = await state.redis.getdel(key) if 16 <= len(token) <= 64 else None
    if raw is None:
        raise NotFound(
            "Linket fra telefonbogen er brugt eller udløbet.",
            hint="Slå personen op igen, og tryk Deltag.",
        )
    meeting_id, role, sealed_name = raw.decode().split("|", 2)
    meeting = await get_meeting(state.redis, meeting_id)
    now = datetime.now(UTC)
    cipher = await open_meeting_key(state.redis, state.sealer, meeting_id)
    if meeting is None or meeting.party != party.id or cipher is None:
        raise Gone("Mødet er slut.", hint="Slå personen op igen.")
    if meeting.status_at(now) != "scheduled":
        raise Gone("Mødet er slut.", hint="Slå personen op igen.")
    name = state.sealer.unseal(sealed_name, key)
    grant = JoinGrant.sealed(cipher, meeting.id, "host" if role == "host" else "guest", name,
                             new_token())  # fmt: skip
    sid = await start_session(request, party, meeting, grant, now)
    cookie_ttl = cookie_seconds(meeting, party, now)  # a call may run over
    return redirect_with_session(f"/{party.id}/", sid, cookie_ttl, state.settings)
