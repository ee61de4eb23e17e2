"""request_token for a session this process knows: one Redis round trip (a script that takes
the seat only while the session, its meeting and the meeting's key are still as read), and
what that memory must never do: seat an ended session or join on a changed meeting."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from redis.asyncio.connection import AbstractConnection

from bff.core import store
from bff.joins import sessions
from bff.joins.models import Session
from bff.joins.sessions import known_join_records, session_ref
from bff.meetings.keys import open_meeting_key
from bff.meetings.models import Meeting
from bff.proxy.seats import TAKE_IF_CURRENT, Seat
from bff.tests.test_integration import book, guest_session, link_path, redis_of, stored_meeting
from bff.tests.test_security import OWN_ORIGIN, eventually, names_in, node_call, request_token

Client = AsyncTestClient[Litestar]


async def joined(client: Client, alias: str) -> dict[str, Any]:
    answer = await request_token(client, alias)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()["result"]
    return result


async def seat_of(app: Litestar, client: Client) -> Seat | None:
    ref = session_ref(client.cookies["bv_session"])
    async with redis_of(app) as redis:
        session = msgspec.json.decode(await redis.get(store.SESSION + ref), type=Session)
        raw = await redis.get(store.SEAT + session.grant.seat)
    return None if raw is None else msgspec.json.decode(raw, type=Seat)


async def counted_join(
    app: Litestar, client: Client, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, Any], list[bytes]]:
    """A request_token, and what it wrote to Redis: counted where the client writes to its
    connection (a pipeline or a script is one write), for the writes that name this join's
    keys (not the statistics' own batches)."""
    ref = session_ref(client.cookies["bv_session"]).encode()
    names = (ref, (store.MEETING + meeting.id).encode(), store.SEAT.encode())
    sent: list[bytes] = []
    original = AbstractConnection.send_packed_command

    async def counted(self: AbstractConnection, command: Any, check_health: bool = True) -> None:
        packed = b"".join(command) if isinstance(command, list | tuple) else bytes(command)
        if any(name in packed for name in names):
            sent.append(packed)
        await original(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    answer = await joined(client, meeting.alias)
    monkeypatch.undo()
    seat = await seat_of(app, client)
    assert seat is not None and seat.participant == answer["participant_uuid"]
    return answer, sent


async def test_a_known_sessions_request_token_is_one_redis_round_trip(
    app: Litestar, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = await guest_session(client, app)
    first = await joined(client, meeting.alias)  # read from Redis: now known to the process
    left = await node_call(client, meeting.alias, "release_token", first["token"])
    assert left.status_code == 200  # the seat is free: no earlier participant to release
    _, sent = await counted_join(app, client, meeting, monkeypatch)
    assert len(sent) == 1, sent
    assert b"EVALSHA" in sent[0] or b"EVAL" in sent[0]


async def test_the_first_request_token_after_the_link_page_is_one_redis_round_trip(
    app: Litestar, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link page's redemption wrote the session and read the meeting: the process knows
    the records the citizen's join starts from (they are not read back)."""
    meeting = await guest_session(client, app)
    async with redis_of(app) as redis:  # as on any Redis this script ran on before
        await redis.script_load(TAKE_IF_CURRENT)
    _, sent = await counted_join(app, client, meeting, monkeypatch)
    assert len(sent) == 1, sent
    assert b"EVALSHA" in sent[0] or b"EVAL" in sent[0]


async def test_an_ended_session_the_process_knows_takes_no_seat(
    app: Litestar, client: Client, emulator_url: str
) -> None:
    """Another instance ended the session (its record is gone from Redis): this process's
    memory of it grants nothing; the seat keeps its participant, the node token is released."""
    created = await book(client)
    meeting = await stored_meeting(app, created["id"])
    await client.get(link_path(created))
    first = await joined(client, meeting.alias)
    ref = session_ref(client.cookies["bv_session"])
    assert known_join_records(ref) is not None
    async with redis_of(app) as redis:
        await redis.delete(store.SESSION + ref)
    again = await request_token(client, meeting.alias)
    assert again.status_code == 403  # no grant: no PIN added, the node asks for one
    seat = await seat_of_ref(app, created, first)
    assert seat is not None and seat.participant == first["participant_uuid"]
    assert known_join_records(ref) is None

    async def one_in_the_room() -> bool:
        return await names_in(emulator_url, meeting.alias) == ["Borger Test"]

    await eventually(one_in_the_room)


async def seat_of_ref(app: Litestar, created: dict[str, Any], first: dict[str, Any]) -> Seat | None:
    """The seat holding `first` (the session that named it is gone)."""
    async with redis_of(app) as redis:
        for key in [k async for k in redis.scan_iter(match=store.SEAT + "*")]:
            seat = msgspec.json.decode(await redis.get(key), type=Seat)
            if seat.participant == first["participant_uuid"]:
                return seat
    return None


async def test_a_meeting_changed_since_it_was_read_is_read_again(
    app: Litestar, client: Client, emulator_url: str
) -> None:
    """The meeting moved after this process read it: the join reads it again and goes ahead
    (one participant in the room, the seat on the new one)."""
    meeting = await guest_session(client, app)
    await joined(client, meeting.alias)
    ref = session_ref(client.cookies["bv_session"])
    known = known_join_records(ref)
    assert known is not None
    moved = msgspec.structs.replace(meeting, subject=meeting.subject + " (flyttet)")
    async with redis_of(app) as redis:
        await redis.set(store.MEETING + meeting.id, msgspec.json.encode(moved), keepttl=True)
    second = await joined(client, meeting.alias)
    seat = await seat_of(app, client)
    assert seat is not None and seat.participant == second["participant_uuid"]
    now_known = known_join_records(ref)
    assert now_known is not None and now_known.meeting != known.meeting
    assert msgspec.json.decode(now_known.meeting, type=Meeting).subject.endswith("(flyttet)")

    async def one_in_the_room() -> bool:
        return await names_in(emulator_url, meeting.alias) == ["Borger Test"]

    await eventually(one_in_the_room)
    status = f"/api/client/v2/conferences/{meeting.alias}/conference_status"
    answer = await client.get(status, headers={**OWN_ORIGIN, "token": second["token"]})
    assert answer.status_code == 200


async def test_a_refusal_on_records_from_memory_is_checked_on_fresh_ones(
    app: Litestar, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The node refuses the PIN this process remembered (the meeting's PIN changed since): the
    browser is not told before the records are read again, and the join goes ahead on them."""
    meeting = await guest_session(client, app)
    await joined(client, meeting.alias)
    ref = session_ref(client.cookies["bv_session"])
    known = known_join_records(ref)
    assert known is not None
    async with redis_of(app) as redis:
        cipher = await open_meeting_key(redis, app.state.sealer, meeting.id)
    assert cipher is not None
    old_pin = Meeting.seal_pin(cipher, meeting.id, "guest", "000000")
    outdated = msgspec.structs.replace(meeting, guest_pin_sealed=old_pin)
    remembered = known._replace(meeting=msgspec.json.encode(outdated))
    monkeypatch.setitem(sessions._records_of, ref, remembered)
    second = await joined(client, meeting.alias)
    seat = await seat_of(app, client)
    assert seat is not None and seat.participant == second["participant_uuid"]
    assert known_join_records(ref) == known  # the records as stored, read again
