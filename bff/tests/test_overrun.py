"""Running over: while someone is in the call near its end, the end moves at VDX and here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import cast
from urllib.parse import quote

import httpx
import pytest
from litestar import Litestar
from msgspec.structs import replace

from bff.core import store
from bff.core.errors import UpstreamFailed
from bff.core.settings import Settings
from bff.meetings.models import Meeting
from bff.meetings.overrun import due_end, end_now
from bff.meetings.vdx import VdxClient
from bff.tests.conftest import EojSigner
from bff.tests.test_integration import (
    Client,
    book,
    launch_token,
    link_path,
    redis_of,
    request_token,
    room_aliases,
    stored_meeting,
)
from devstack.stack import vdx_headers

LIMIT = timedelta(hours=2)
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


def meeting_ending(end: datetime, booked_end: datetime | None = None) -> Meeting:
    return Meeting(
        id="m",
        party="p",
        vdx_uuid="u",
        alias="a",
        host_pin_sealed="",
        guest_pin_sealed="",
        subject="s",
        start=end - timedelta(hours=1),
        end=end,
        booked_end=booked_end,
    )


def test_the_end_moves_only_when_near_and_never_past_the_limit() -> None:
    step, lead = 900, 300
    assert due_end(meeting_ending(NOW + timedelta(minutes=6)), LIMIT, NOW, step, lead) is None
    near = meeting_ending(NOW + timedelta(minutes=4))
    assert due_end(near, LIMIT, NOW, step, lead) == NOW + timedelta(minutes=19)
    booked = NOW - timedelta(minutes=110)
    close_to_limit = meeting_ending(NOW + timedelta(minutes=2), booked_end=booked)
    assert due_end(close_to_limit, LIMIT, NOW, step, lead) == booked + LIMIT
    at_limit = meeting_ending(booked + LIMIT, booked_end=booked)
    assert due_end(at_limit, LIMIT, booked + LIMIT - timedelta(minutes=1), step, lead) is None
    over = meeting_ending(NOW - timedelta(seconds=1))
    assert due_end(over, LIMIT, NOW, step, lead) is None


async def _vdx_end(settings: Settings, vdx_uuid: str) -> datetime:
    url = f"{settings.vdx.video_api_url}/v2/meetings/{vdx_uuid}"
    async with httpx.AsyncClient() as http:
        answer = await http.get(url, headers=vdx_headers(settings.vdx.node_url))
    return datetime.fromisoformat(answer.json()["endTime"].replace("Z", "+00:00"))


async def _ttl(app: Litestar, key: str) -> int:
    async with redis_of(app) as redis:
        return int(await redis.ttl(key))


async def test_a_seated_guest_near_the_end_moves_it_at_vdx_and_here(
    app: Litestar, client: Client, settings: Settings
) -> None:
    created = await book(client, start_in=timedelta(0), length=timedelta(seconds=120))
    meeting = await stored_meeting(app, created["id"])
    await client.get(link_path(created))

    unseated = await client.post("/api/session/heartbeat")
    assert unseated.status_code == 200, unseated.text
    assert unseated.json()["end"] == unseated.json()["booked_end"]  # not in the call: no move
    assert (await request_token(client, meeting.alias)).status_code == 200

    answer = await client.post("/api/session/heartbeat")
    assert answer.status_code == 200, answer.text
    clock = answer.json()
    new_end = datetime.fromisoformat(clock["end"])
    assert datetime.fromisoformat(clock["booked_end"]) == meeting.end
    assert datetime.fromisoformat(clock["latest_end"]) == meeting.end + LIMIT
    assert new_end >= datetime.now(UTC) + timedelta(seconds=settings.meetings.overrun_step - 30)
    assert await _vdx_end(settings, meeting.vdx_uuid) == new_end
    moved = await stored_meeting(app, meeting.id)
    assert moved.end == new_end and moved.booked_end == meeting.end
    # What died at the booked end now lives until the new one.
    left = (new_end - datetime.now(UTC)).total_seconds()
    for key in (store.MEETING_KEY + meeting.id, store.LINK_SESSION + moved.guest_links[0]):
        assert await _ttl(app, key) > left - 30, key
    async with redis_of(app) as redis:
        members = await redis.smembers(store.MEETING_SESSIONS + meeting.id)
    ref, seat = next(iter(members)).decode().split(" ")
    assert await _ttl(app, store.SESSION + ref) > left - 30
    assert await _ttl(app, store.SEAT + seat) > left - 30

    again = (await client.post("/api/session/heartbeat")).json()
    assert again["end"] == clock["end"]  # far from the new end: nothing moves
    assert (await client.get(link_path(created), follow_redirects=False)).status_code == 200


async def test_only_the_host_ends_the_meeting_for_everyone(
    app: Litestar, client: Client, signer: EojSigner, emulator_url: str
) -> None:
    created = await book(client, start_in=timedelta(0))
    meeting = await stored_meeting(app, created["id"])
    await client.get(link_path(created))
    assert (await request_token(client, meeting.alias)).status_code == 200
    assert (await client.post("/api/session/end-meeting")).status_code == 403
    assert meeting.alias in await room_aliases(emulator_url)

    guest_cookie = client.cookies.get("bv_session")
    client.cookies.clear()
    await client.get("/kobenhavn/launch", params={"token": launch_token(signer, meeting.id)})
    assert (await client.post("/api/session/end-meeting")).status_code == 204
    assert meeting.alias not in await room_aliases(emulator_url)
    assert (await client.post("/api/session/heartbeat")).status_code == 410
    client.cookies.clear()
    assert (await client.get(link_path(created))).status_code == 410
    client.cookies.set("bv_session", guest_cookie)
    token_path = f"/api/client/v2/conferences/{quote(meeting.alias)}/request_token"
    assert (await client.post(token_path, json={})).status_code != 200


class UnreachableVdx:
    """VDX that cannot be reached when the meeting is ended (its client raises as then)."""

    async def cancel_meeting(self, uuid: str) -> None:
        raise UpstreamFailed("VDX VideoAPI unreachable (ConnectError)")


async def test_ending_for_everyone_when_vdx_fails_takes_the_end_back(
    app: Litestar, client: Client
) -> None:
    """The end is saved before VDX is asked (no way in while the room goes); when VDX fails
    the meeting is on again as before, so the host can try again."""
    created = await book(client, start_in=timedelta(0))
    meeting = await stored_meeting(app, created["id"])
    async with redis_of(app) as redis:
        with pytest.raises(UpstreamFailed):
            await end_now(redis, cast("VdxClient", UnreachableVdx()), meeting, datetime.now(UTC))
    after = await stored_meeting(app, meeting.id)
    assert (after.end, after.booked_end) == (meeting.end, meeting.booked_end)
    assert (await client.get(link_path(created), follow_redirects=False)).status_code == 200


async def test_no_session_no_heartbeat(client: Client) -> None:
    assert (await client.post("/api/session/heartbeat")).status_code == 401


def test_meeting_struct_keeps_its_booking() -> None:
    meeting = meeting_ending(NOW)
    assert meeting.as_booked == NOW
    assert replace(meeting, end=NOW + LIMIT, booked_end=NOW).latest_end(LIMIT) == NOW + LIMIT
