"""Phonebook routes: systems report presence, authorised callers look people up, staff act
on a result (join, move, dial); the party's administrator registers systems, sets the policy
and reads the audit. The callers: bff.phonebook.callers; the actions: bff.phonebook.actions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put, route
from litestar.datastructures import CacheControlHeader
from litestar.openapi.spec import SecurityScheme
from litestar.params import FromPath, PathParameter, QueryParameter, RequestBody

from bff.auth.deps import PARTY_ADMIN
from bff.auth.guards import (
    PartyAdminController,
    staff_login,
)
from bff.core import store
from bff.core.deps import Injected, provide
from bff.core.errors import (
    DomainError,
    Forbidden,
    Gone,
    NotFound,
    Unauthenticated,
    problem_for,
)
from bff.core.http import (
    cors_headers,
    cors_preflight,
    decode,
    error_responses,
)
from bff.core.sealing import DataSealer
from bff.core.security import new_token, sha256_hex
from bff.core.settings import Settings
from bff.joins.models import JoinGrant
from bff.joins.service import start_session
from bff.joins.sessions import (
    redirect_with_session,
)
from bff.meetings.keys import open_meeting_key
from bff.meetings.overrun import cookie_seconds
from bff.meetings.service import get_meeting
from bff.parties.deps import require_party
from bff.parties.models import Party
from bff.phonebook.actions import Reach, dial, make_join, move
from bff.phonebook.callers import SYSTEM_KEY, api_caller, plugin_caller
from bff.phonebook.deps import provide_phonebook, provide_reach
from bff.phonebook.models import (
    ActionIn,
    AuditEntry,
    JoinOut,
    LookupIn,
    LookupOut,
    PolicyIn,
    PolicyOut,
    PresenceIn,
    PresenceLeave,
    PresenceOut,
    SystemCreated,
    SystemIn,
    SystemOut,
)
from bff.phonebook.service import PB, PhonebookService

MAX_BODY = 8 * 1024
NO_STORE = CacheControlHeader(no_store=True)
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
PLUGIN_PATHS = [
    "/api/plugin/v1/phonebook/lookup",
    "/api/plugin/v1/phonebook/join",
    "/api/plugin/v1/phonebook/move",
    "/api/plugin/v1/phonebook/dial",
]
_PERSON_EXAMPLE = {"kind": "cpr", "id": "010190-1234"}


# -- the phonebook API ----------------------------------------------------------------------
class PhonebookController(Controller):
    path = "/api/v1/phonebook"
    tags = ["Phonebook"]
    security = [{"systemKey": []}, {"bearer": []}]
    cache_control = NO_STORE
    request_max_body_size = MAX_BODY
    dependencies = {
        "phonebook": provide(provide_phonebook),
        "reach": provide(provide_reach),
    }

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
        responses=error_responses(ERRORS, 400, 401, 403, 413, 429),
    )
    async def report(
        self,
        request: Request[Any, Any, Any],
        data: RequestBody[PresenceIn],
        phonebook: Injected[PhonebookService],
    ) -> PresenceOut:
        caller = await api_caller(request, "report")
        return await phonebook.report(caller, data)

    @delete(
        "/presence",
        operation_id="RemovePresence",
        summary="Someone left a meeting of the calling system",
        description="The same caller as ReportPresence; `alias` and `person` name the entry. "
        "Answers 204 also when there was none.",
        responses=error_responses(ERRORS, 400, 401, 403, 413, 429),
    )
    async def leave(
        self,
        request: Request[Any, Any, Any],
        data: RequestBody[PresenceLeave],
        phonebook: Injected[PhonebookService],
    ) -> None:
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
        responses=error_responses(ERRORS, 400, 401, 403, 413, 429),
    )
    async def lookup(
        self,
        request: Request[Any, Any, Any],
        data: RequestBody[LookupIn],
        phonebook: Injected[PhonebookService],
    ) -> LookupOut:
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
        responses=error_responses(ERRORS, 400, 401, 403, 404, 410, 413),
    )
    async def join(
        self,
        request: Request[Any, Any, Any],
        data: RequestBody[ActionIn],
        reach: Injected[Reach],
    ) -> JoinOut:
        found = await staff_login(request)
        if found is None:
            raise Unauthenticated("Log in as staff (the staff portal) to join from a result")
        caller = await api_caller(request, "lookup")
        return await make_join(reach, caller, data.handle)


class PhonebookAdminController(PartyAdminController):
    path = "/api/v1/parties/{party_id:str}/phonebook"
    tags = ["Phonebook (admin)"]
    request_max_body_size = MAX_BODY
    dependencies = {"phonebook": provide(provide_phonebook), **PARTY_ADMIN}

    @post(
        "/systems",
        operation_id="RegisterPhonebookSystem",
        summary="Register a system that reports presence and/or looks people up",
        description="Answers the system's key once (header X-System-Key); only its sha256 is "
        "kept. Limits per minute are counted in Redis for every instance.",
        responses=error_responses(ERRORS, 400, 401, 403, 404, 413),
    )
    async def register(
        self,
        party: Injected[Party],
        data: RequestBody[SystemIn],
        phonebook: Injected[PhonebookService],
    ) -> SystemCreated:
        return await phonebook.register(party, data)

    @get(
        "/systems",
        operation_id="ListPhonebookSystems",
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def systems(
        self, party: Injected[Party], phonebook: Injected[PhonebookService]
    ) -> list[SystemOut]:
        return await phonebook.systems(party)

    @delete(
        "/systems/{system_id:str}",
        operation_id="RemovePhonebookSystem",
        summary="Remove a system: its key is refused at once",
        responses=error_responses(ERRORS, 400, 401, 403, 404),
    )
    async def remove(
        self,
        party: Injected[Party],
        system_id: Annotated[str, PathParameter(pattern=r"^[0-9a-f]{16}$")],
        phonebook: Injected[PhonebookService],
    ) -> None:
        await phonebook.remove_system(party, system_id)

    @get(
        "/policy",
        operation_id="GetPhonebookPolicy",
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def policy(
        self, party: Injected[Party], phonebook: Injected[PhonebookService]
    ) -> PolicyOut:
        return await phonebook.policy(party.id)

    @put(
        "/policy",
        operation_id="SetPhonebookPolicy",
        summary="Which parties' staff may join, move people out of, or dial this party's meetings",
        description="Default: nobody (`join_from`, `move_from` and `dial_from` empty).",
        responses=error_responses(ERRORS, 400, 401, 403, 404, 413),
    )
    async def set_policy(
        self,
        party: Injected[Party],
        data: RequestBody[PolicyIn],
        phonebook: Injected[PhonebookService],
    ) -> PolicyOut:
        return await phonebook.set_policy(party, data)

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
        party: Injected[Party],
        phonebook: Injected[PhonebookService],
        limit: Annotated[int, QueryParameter(ge=1, le=1000, description="1..1000")] = 100,
    ) -> list[AuditEntry]:
        return await phonebook.audit(party, limit)


# -- the plugin API (the host's plugin token) -----------------------------------------------
@route(PLUGIN_PATHS, http_method=["OPTIONS"], include_in_schema=False)
async def phonebook_preflight(request: Request[Any, Any, Any]) -> Response[None]:
    return cors_preflight(request, "POST")


@post(
    PLUGIN_PATHS,
    dependencies={"reach": provide(provide_reach)},
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
async def plugin_phonebook(
    request: Request[Any, Any, Any], reach: Injected[Reach]
) -> Response[Any]:
    cors = cors_headers(request)
    headers = cors | {"Cache-Control": "no-store"}
    try:
        if "origin" in request.headers and "Access-Control-Allow-Origin" not in cors:
            raise Forbidden("The plugin API answers the plugin origin only")
        caller, session, meeting = await plugin_caller(request)
        action = request.url.path.rsplit("/", 1)[-1]
        result: Any
        if action == "lookup":
            body: LookupIn = decode(await request.body(), LookupIn)
            result = await reach.phonebook.lookup(caller, body.person)
        else:
            handle: ActionIn = decode(await request.body(), ActionIn)
            if action == "join":
                result = await make_join(reach, caller, handle.handle)
            elif action == "dial":
                result = await dial(reach, caller, meeting, handle.handle)
            else:
                result = await move(reach, caller, session, meeting, handle.handle)
    except DomainError as exc:
        response = problem_for(exc)
        response.headers.update(headers)
        return response
    return Response(result, status_code=200, headers=headers)


@get("/{party_id:str}/phonebook-join/{token:str}", include_in_schema=False)
async def redeem_phonebook_join(
    request: Request[Any, Any, Any],
    party_id: FromPath[str],
    token: FromPath[str],
    settings: Injected[Settings],
    redis: Injected[store.Redis],
    sealer: Injected[DataSealer],
) -> Response[None]:
    """The one-time join link: a fresh session with a grant for that meeting (the browser's
    previous session, and its participant, end: one browser, one meeting)."""
    party = require_party(request, party_id)
    key = f"{PB}join:{sha256_hex(token)}"
    raw = await redis.getdel(key) if 16 <= len(token) <= 64 else None
    if raw is None:
        raise NotFound(
            "Linket fra telefonbogen er brugt eller udløbet.",
            hint="Slå personen op igen, og tryk Deltag.",
        )
    meeting_id, role, sealed_name = store.as_text(raw).split("|", 2)
    meeting = await get_meeting(redis, meeting_id)
    now = datetime.now(UTC)
    cipher = await open_meeting_key(redis, sealer, meeting_id)
    if meeting is None or meeting.party != party.id or cipher is None:
        raise Gone("Mødet er slut.", hint="Slå personen op igen.")
    if meeting.status_at(now) != "scheduled":
        raise Gone("Mødet er slut.", hint="Slå personen op igen.")
    name = sealer.unseal(sealed_name, key)
    grant = JoinGrant.sealed(
        cipher, meeting.id, "host" if role == "host" else "guest", name, new_token()
    )
    sid = await start_session(request, party, meeting, grant, now)
    cookie_ttl = cookie_seconds(meeting, party, now)  # a call may run over
    return redirect_with_session(f"/{party.id}/", sid, cookie_ttl, settings)
