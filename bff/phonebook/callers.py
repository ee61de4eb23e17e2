"""Who calls the phonebook: a registered system (X-System-Key), a party's OAuth2 client, a
staff login, or a host's plugin token; each answered as a `Caller` the service checks."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from bff.auth.guards import (
    check_csrf,
    machine_client,
    staff_login,
)
from bff.core.deps import Connection, provide_redis, provide_sealer
from bff.core.errors import (
    DomainError,
    Forbidden,
    Gone,
    Unauthenticated,
)
from bff.core.http import (
    bearer_token,
    required_bearer,
    single_header,
)
from bff.core.security import sha256_hex
from bff.core.store import GUEST_LINK, Redis
from bff.joins.models import Session
from bff.meetings.keys import open_meeting_key
from bff.meetings.models import GuestLink, Meeting
from bff.meetings.service import get_meeting
from bff.parties.deps import provide_parties
from bff.phonebook.deps import provide_phonebook
from bff.phonebook.refs import PersonRef
from bff.phonebook.service import Caller, PhonebookService
from bff.plugins.deps import provide_plugins

SYSTEM_KEY = "X-System-Key"
MAX_RELATIONS = 50


async def api_caller(connection: Connection, need: str) -> Caller:
    """A registered system (X-System-Key), a party's OAuth2 client (scope `phonebook:<need>`,
    names with the claim `treatment_relation: true`) or, for look-ups, a staff login."""
    service = provide_phonebook(connection)
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
            party=provide_parties(connection)[system.party],
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
        own = provide_parties(connection).get(session.party)
        if own is None:
            raise Unauthenticated("Not logged in (or the login has timed out)")
        return Caller(
            kind="staff",
            id=sha256_hex("pb-staff:" + ref)[:32],
            party=own,
            who=session.name(provide_sealer(connection), ref) or "staff",
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


async def booked_persons(redis: Redis, meeting: Meeting) -> frozenset[str]:
    """The pseudonyms of the persons booked as guests of `meeting` (their guest links)."""
    if not meeting.guest_links:
        return frozenset()
    async with redis.pipeline(transaction=False) as pipe:  # links: several slots
        for digest in meeting.guest_links:
            pipe.get(GUEST_LINK + digest)
        raws = await pipe.execute()
    links = [msgspec.json.decode(raw, type=GuestLink) for raw in raws if raw is not None]
    return frozenset(link.person for link in links if link.person and link.meeting_id == meeting.id)


async def plugin_caller(request: Request[Any, Any, Any]) -> tuple[Caller, Session, Meeting]:
    """The host's plugin token: its session's grant (a treatment relation when its launch JWT
    stated one) and the meeting it is for."""
    token = required_bearer(request, "plugin token")
    holder = await provide_plugins(request).token_holder(token, "phonebook")
    if holder is None:
        raise Unauthenticated("Unknown or expired plugin token")
    record, session, _ = holder
    if session.grant.role != "host":
        raise Forbidden("Only staff (the meeting's host) may use the phonebook")
    redis = provide_redis(request)
    party = provide_parties(request).get(session.party)
    meeting = await get_meeting(redis, session.grant.meeting_id)
    if party is None or meeting is None:
        raise Unauthenticated("Unknown or expired plugin token")
    cipher = await open_meeting_key(redis, provide_sealer(request), meeting.id)
    if cipher is None:
        raise Gone("Your meeting is over")
    # The launch JWT's treatment relation holds for the persons booked in this meeting only,
    # read again at every look-up (a guest added to the meeting later counts too).
    relations = await booked_persons(redis, meeting) if session.grant.treatment else frozenset()
    caller = Caller(
        kind="plugin",
        id=sha256_hex("pb-plugin:" + record.session)[:32],
        party=party,
        who=session.grant.display_name(cipher),
        relations=relations,
        basis="booked-guest" if relations else "none",
    )
    return caller, session, meeting
