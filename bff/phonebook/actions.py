"""What staff do with a phonebook result: a one-time join link, moving a person into the
host's meeting (Infinity transfer) and dialling the person's meeting into it, through the
conference node's client API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import aiohttp

from bff.core.errors import (
    Conflict,
    Forbidden,
    Gone,
    UpstreamFailed,
)
from bff.core.node import call as node_call
from bff.core.node import conference_url, release_token
from bff.core.sealing import DataSealer, Sealer
from bff.core.security import new_token, sha256_hex
from bff.core.store import Redis
from bff.joins.models import Session
from bff.meetings.keys import open_meeting_key
from bff.meetings.models import Meeting
from bff.meetings.service import get_meeting
from bff.phonebook.models import (
    DialOut,
    Entry,
    JoinOut,
    MoveOut,
    Role,
)
from bff.phonebook.service import JOIN_TTL, PB, Caller, PhonebookService
from bff.proxy.routing import NodeRouter


@dataclass(frozen=True)
class Reach:
    """What the actions reach: the phonebook, the meetings (Redis, their sealed keys) and
    the conference nodes (which node holds a party's meetings, and the pool to them)."""

    phonebook: PhonebookService
    redis: Redis
    sealer: DataSealer
    nodes: NodeRouter
    node_http: aiohttp.ClientSession


async def make_join(reach: Reach, caller: Caller, handle: str) -> JoinOut:
    """A one-time link (60 s) that opens the person's meeting in this browser with a grant of
    its own (the role the owning party's policy gives)."""
    service = reach.phonebook
    _, _, entry = await service.resolve(caller, handle)
    policy = await service.may(caller, entry, "join")
    token = new_token()
    key = f"{PB}join:{sha256_hex(token)}"
    record = f"{entry.meeting_id}|{policy.join_role}|" + reach.sealer.seal(caller.who, key)
    await reach.redis.set(key, record, ex=JOIN_TTL)
    expires = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=JOIN_TTL)
    return JoinOut(url=f"/{entry.party}/phonebook-join/{token}", expires_at=expires)


async def _node_post(
    http: aiohttp.ClientSession, url: str, headers: dict[str, str], body: dict[str, Any]
) -> dict[str, Any]:
    status, answer = await node_call(http, "POST", url, headers=headers, body=body)
    if status != 200 or not isinstance(answer, dict):
        result = answer.get("result") if isinstance(answer, dict) else None
        if status == 404:
            raise Gone("The person is no longer in that meeting")
        raise UpstreamFailed(f"conference node refused ({status}: {result})")
    return answer


@asynccontextmanager
async def host_on_node(
    reach: Reach, meeting: Meeting, key: Sealer, role: Role = "host"
) -> AsyncIterator[tuple[aiohttp.ClientSession, str, str, str]]:
    """A token of the BFF's own in `meeting` (a host's by default; its PIN from the server),
    released afterwards whatever happened: (the node session, the conference's base URL, the
    token, its participant)."""
    node = reach.nodes.for_party(meeting.party)
    base = conference_url(node, meeting.alias)
    http = reach.node_http
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
        await release_token(http, base, token)


NO_HOST_TO_KEEP = (
    "Nobody hosts the person's meeting now: moving them would start it for its other guests, "
    "who would be dropped a minute after the phonebook left. Ask its host to join first"
)


async def _leaves_the_hosting_as_it_was(
    reach: Reach, source: Meeting, key: Sealer, participant: str
) -> bool:
    """Whether a host of the phonebook's own may come and go in `source` without changing
    who hosts it. Transfer is a host's call (Pexip client API `participants/{uuid}/transfer`;
    emulator/node/http.py `require_host`), and a host that joins a hosted room starts it for
    the guests waiting there, who are dropped `guests_only_timeout` (60 s) after the last
    host leaves. So a guest's token looks first (a guest neither starts nor ends anything):
    it is safe when another host is in, when the person is a host themselves (they leave as a
    host would), or when nobody else is in (nobody left behind)."""
    async with host_on_node(reach, source, key, "guest") as (http, base, token, mine):
        status, answer = await node_call(
            http, "GET", f"{base}/participants", headers={"token": token}
        )
    listed = answer.get("result") if status == 200 and isinstance(answer, dict) else None
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


async def transfer(reach: Reach, entry: Entry, target: Meeting) -> None:
    """Infinity `transfer`: a host token in the person's meeting (the BFF knows its host PIN)
    moves their participant into `target` as a guest (with its guest PIN); then released.
    Only where that host of its own leaves the room hosted as it was (see above)."""
    source = await get_meeting(reach.redis, entry.meeting_id or "")
    source_key = await open_meeting_key(reach.redis, reach.sealer, entry.meeting_id or "")
    target_key = await open_meeting_key(reach.redis, reach.sealer, target.id)
    if source is None or source_key is None or target_key is None or entry.participant is None:
        raise Gone("The meeting is over")
    if not await _leaves_the_hosting_as_it_was(reach, source, source_key, entry.participant):
        raise Conflict(NO_HOST_TO_KEEP)
    async with host_on_node(reach, source, source_key) as (http, base, token, _):
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


async def dial(reach: Reach, caller: Caller, target: Meeting, handle: str) -> DialOut:
    """Infinity `dial`: a host token in the host's own meeting (`target`) dials the result's
    meeting by its alias, so the two rooms are bridged: that meeting is a participant (sip)
    here, and this one a participant there. Its guest PIN goes with the call as DTMF, from
    here: it never reaches the browser."""
    service = reach.phonebook
    _, _, entry = await service.resolve(caller, handle)
    await service.may(caller, entry, "dial")
    if entry.meeting_id == target.id:
        raise Forbidden("The person is already in your meeting")
    now = datetime.now(UTC)
    if target.status_at(now) != "scheduled":
        raise Gone("Your meeting is over")
    other = await get_meeting(reach.redis, entry.meeting_id or "")
    other_key = await open_meeting_key(reach.redis, reach.sealer, entry.meeting_id or "")
    own_key = await open_meeting_key(reach.redis, reach.sealer, target.id)
    if other is None or other_key is None or other.status_at(now) != "scheduled":
        raise Gone("The person's meeting is over")
    if own_key is None:
        raise Gone("Your meeting is over")
    async with host_on_node(reach, target, own_key) as (http, base, token, _):
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


async def move(
    reach: Reach, caller: Caller, session: Session, target: Meeting, handle: str
) -> MoveOut:
    service = reach.phonebook
    p, eid, entry = await service.resolve(caller, handle)
    await service.may(caller, entry, "move")
    if entry.participant is None:
        raise Forbidden("The person's participant is not known: they cannot be moved")
    if entry.meeting_id == target.id:
        raise Forbidden("The person is already in your meeting")
    if target.status_at(datetime.now(UTC)) != "scheduled":
        raise Gone("Your meeting is over")
    await transfer(reach, entry, target)
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
