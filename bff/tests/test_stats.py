"""Statistics: hand-made event-sink sequences around the edges, counted on a real Redis,
and the event sink and statistics routes over HTTP."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import random
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core.sealing import Pseudonymiser
from bff.core.settings import Settings
from bff.core.store import Redis, open_redis
from bff.parties.loader import load_parties
from bff.stats.counting import COPENHAGEN
from bff.stats.models import MonthFigures, SinkEvent
from bff.stats.service import StatsService
from bff.tests.conftest import (
    KOBENHAVN_KEY,
    REGION_KEY,
    ROOT,
    EojSigner,
    make_settings,
    settings_with,
)

TAG = "borgervideo:kobenhavn"
NAME = "Karen Jensen"  # personal data the node sends: must never be kept
ADDRESS = "192.0.2.77"
ALIAS = "1234567@vdx.localhost"


def at(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> float:
    return datetime(year, month, day, hour, minute, second, tzinfo=COPENHAGEN).timestamp()


T0 = at(2026, 3, 10, 10)


class Node:
    """Writes events as a Pexip conference node sends them to its event sink."""

    def __init__(self, address: str = "10.0.0.1") -> None:
        self.address = address
        self.seq = 0
        self.events: list[dict[str, Any]] = []

    def emit(self, event: str, t: float, data: dict[str, Any]) -> None:
        self.seq += 1
        self.events.append(
            {
                "node": self.address,
                "seq": self.seq,
                "version": 2,
                "time": t,
                "event": event,
                "data": data,
            }
        )

    def conference(self, event: str, t: float, name: str = ALIAS, **extra: Any) -> None:
        data = {
            "name": name,
            "service_type": "conference",
            "tag": "",
            "start_time": T0,
            "is_locked": False,
            "guests_muted": False,
            "is_started": True,
        } | extra
        if event == "conference_ended":
            data["end_time"] = t
        self.emit(event, t, data)

    def participant(self, event: str, t: float, uuid: str, **extra: Any) -> None:
        data = {
            "uuid": uuid,
            "conference": ALIAS,
            "call_direction": "in",
            "protocol": "webrtc",
            "role": "guest",
            "service_tag": "",
            "service_type": "conference",
            "call_tag": TAG,
            "connect_time": t,
            "display_name": NAME,
            "source_alias": NAME,
            "destination_alias": ALIAS,
            "remote_address": ADDRESS,
            "remote_port": 51000,
            "vendor": "Mozilla/5.0",
            "has_media": False,
            "is_streaming": False,
            "is_presenting": False,
            "is_muted": False,
        } | extra
        self.emit(event, t, data)

    def leg(
        self, uuid: str, media_from: float, media_to: float, role: str = "guest", **extra: Any
    ) -> None:
        """A browser leg as the client API makes it: an API participant, media, then gone."""
        joined = media_from - 3
        common = {"role": role, "connect_time": joined} | extra
        self.participant("participant_connected", joined, uuid, **({"protocol": "api"} | common))
        self.participant("participant_updated", media_from, uuid, **common, has_media=True)
        self.participant(
            "participant_disconnected",
            media_to,
            uuid,
            **common,
            has_media=True,
            end_time=media_to,
            duration=media_to - joined,
            disconnect_reason="Call disconnected",
        )


def call(*legs: tuple[str, float, float], name: str = ALIAS, **extra: Any) -> list[dict[str, Any]]:
    """A whole conference: started, the legs (uuid, media from, media to), ended."""
    node = Node()
    first = min(a for _, a, _ in legs) - 5
    last = max(b for _, _, b in legs)
    node.conference("conference_started", first, name=name)
    for uuid, start, end in legs:
        role = "chair" if uuid.startswith("host") else "guest"
        node.leg(uuid, start, end, role=role, conference=name, **extra)
    node.conference("conference_ended", last + 1, name=name)
    return node.events


# -- counting on a real Redis -------------------------------------------------------------
@pytest.fixture
async def redis(tmp_path: Path) -> AsyncIterator[Redis]:
    async with open_redis(
        settings_with(Settings(), data={"data_dir": tmp_path / "redis"})
    ) as client:
        yield client


@pytest.fixture
def service(redis: Redis) -> StatsService:
    parties = load_parties(ROOT / "branding", demo=True)
    return StatsService(redis, Pseudonymiser(b"k" * 32), parties, settle=0, idle=3600)


async def counted(service: StatsService, events: list[dict[str, Any]]) -> list[MonthFigures]:
    await service.ingest(msgspec.convert(events, list[SinkEvent]))
    await service.count_due(now=T0 + 10**9)
    return await service.report(["2026-01", "2026-02", "2026-03", "2026-04"], "kobenhavn")


def by_month(figures: list[MonthFigures]) -> dict[str, tuple[int, float]]:
    return {f.month: (f.consultations, f.total_minutes) for f in figures if f.consultations}


async def test_over_sixty_seconds_together_counts(service: StatsService) -> None:
    figures = await counted(service, call(("host-1", T0, T0 + 61), ("guest-1", T0, T0 + 61)))
    assert by_month(figures) == {"2026-03": (1, 1.0)}
    march = figures[2]
    assert march.parties[0].party == "kobenhavn"
    assert march.parties[0].median_minutes == 1.0


async def test_fifty_nine_seconds_does_not(service: StatsService) -> None:
    figures = await counted(service, call(("host-1", T0, T0 + 59), ("guest-1", T0, T0 + 59)))
    assert by_month(figures) == {}


async def test_exactly_sixty_seconds_does_not(service: StatsService) -> None:
    figures = await counted(service, call(("host-1", T0, T0 + 60), ("guest-1", T0, T0 + 60)))
    assert by_month(figures) == {}


async def test_two_who_never_overlap(service: StatsService) -> None:
    events = call(("host-1", T0, T0 + 300), ("guest-1", T0 + 301, T0 + 900))
    assert by_month(await counted(service, events)) == {}


async def test_three_where_only_two_overlap(service: StatsService) -> None:
    # The host and one guest for 90 s; a second guest comes after the first has left.
    events = call(
        ("host-1", T0, T0 + 200), ("guest-1", T0 + 10, T0 + 100), ("guest-2", T0 + 150, T0 + 160)
    )
    figures = await counted(service, events)
    assert by_month(figures) == {"2026-03": (1, 1.7)}  # 90 s + 10 s together


async def test_a_participant_who_reconnects_is_one_consultation(service: StatsService) -> None:
    # The citizen's connection drops after 35 s; back 5 s later for 35 s more. Neither piece
    # is over a minute, together they are; and it is one consultation, not two.
    events = call(("host-1", T0, T0 + 80), ("guest-1", T0, T0 + 35), ("guest-1b", T0 + 40, T0 + 75))
    figures = await counted(service, events)
    assert by_month(figures) == {"2026-03": (1, 1.2)}  # 70 s


async def test_a_reconnect_overlapping_its_old_leg_counts_once(service: StatsService) -> None:
    events = call(
        ("host-1", T0, T0 + 120), ("guest-1", T0, T0 + 62), ("guest-1b", T0 + 60, T0 + 120)
    )
    assert by_month(await counted(service, events)) == {"2026-03": (1, 2.0)}


async def test_everyone_back_after_a_long_break_is_a_second_consultation(
    service: StatsService,
) -> None:
    events = call(
        ("host-1", T0, T0 + 120),
        ("guest-1", T0, T0 + 120),
        ("host-2", T0 + 7200, T0 + 7300),
        ("guest-2", T0 + 7200, T0 + 7300),
    )
    assert by_month(await counted(service, events)) == {"2026-03": (2, 3.7)}


async def test_a_streaming_leg_does_not_count(service: StatsService) -> None:
    node = Node()
    node.conference("conference_started", T0 - 5)
    node.leg("host-1", T0, T0 + 600, role="chair")
    node.leg("stream-1", T0, T0 + 600, role="guest", is_streaming=True, protocol="rtmp")
    node.conference("conference_ended", T0 + 601)
    assert by_month(await counted(service, node.events)) == {}


async def test_an_api_only_leg_does_not_count(service: StatsService) -> None:
    node = Node()
    node.conference("conference_started", T0 - 5)
    node.leg("host-1", T0, T0 + 600, role="chair")
    # A control-only leg (e.g. a second tab): an API participant, never any media.
    node.participant("participant_connected", T0, "api-1", protocol="api")
    node.participant(
        "participant_disconnected", T0 + 600, "api-1", protocol="api", end_time=T0 + 600
    )
    node.conference("conference_ended", T0 + 601)
    assert by_month(await counted(service, node.events)) == {}


async def test_guests_without_a_host_do_not_count(service: StatsService) -> None:
    events = call(("guest-1", T0, T0 + 600), ("guest-2", T0, T0 + 600))
    assert by_month(await counted(service, events)) == {}


async def test_a_guest_in_the_waiting_room_does_not_count(service: StatsService) -> None:
    node = Node()
    node.leg("host-1", T0, T0 + 600, role="chair")
    node.leg("guest-1", T0, T0 + 600, service_type="waiting_room")
    assert by_month(await counted(service, node.events)) == {}


async def test_duplicates_reordering_and_two_nodes_give_the_same_answer(
    service: StatsService, redis: Redis, tmp_path: Path
) -> None:
    ordered = call(("host-1", T0, T0 + 61), ("guest-1", T0, T0 + 200))
    # A second node hosted the guest's media too and reports the conference from its side.
    other = Node("10.0.0.2")
    other.conference("conference_started", T0 - 4)
    other.conference("conference_ended", T0 + 201)
    shuffled = ordered + ordered[2:5] + other.events
    random.Random(9).shuffle(shuffled)
    expected = by_month(await counted(service, ordered))
    assert expected == {"2026-03": (1, 1.0)}
    await redis.flushall()
    # In one bulk POST, in pieces, and everything twice: always the same figures.
    assert by_month(await counted(service, shuffled)) == expected
    for start in range(0, len(shuffled), 3):
        assert by_month(await counted(service, shuffled[start : start + 3])) == expected
    assert by_month(await counted(service, shuffled)) == expected


async def test_a_late_event_corrects_the_count(service: StatsService) -> None:
    node = Node()
    node.leg("host-1", T0, T0 + 300, role="chair")
    node.participant("participant_connected", T0 - 3, "guest-1", protocol="api")
    node.participant("participant_updated", T0, "guest-1", has_media=True)
    # Counted while the guest's disconnect is still on its way: as far as anyone knows the
    # guest stayed until the last moment heard of (the host leaving at +300 s).
    assert by_month(await counted(service, node.events)) == {"2026-03": (1, 5.0)}
    node.participant(
        "participant_disconnected",
        T0 + 90,
        "guest-1",
        has_media=True,
        end_time=T0 + 90,
        connect_time=T0 - 3,
    )
    assert by_month(await counted(service, node.events[-1:])) == {"2026-03": (1, 1.5)}
    # A stale update arriving afterwards changes nothing.
    node.participant("participant_updated", T0 + 30, "guest-1", has_media=True)
    assert by_month(await counted(service, node.events[-1:])) == {"2026-03": (1, 1.5)}


async def test_lost_updates_fall_back_to_the_whole_call(service: StatsService) -> None:
    node = Node()
    for uuid, role in (("host-1", "chair"), ("guest-1", "guest")):
        node.participant(
            "participant_disconnected",
            T0 + 120,
            uuid,
            role=role,
            has_media=True,
            connect_time=T0,
            end_time=T0 + 120,
        )
    assert by_month(await counted(service, node.events)) == {"2026-03": (1, 2.0)}


async def test_month_boundary_at_midnight_copenhagen_time(service: StatsService) -> None:
    before = at(2026, 1, 31, 23, 59, 59)  # 22:59:59 UTC: still January in Denmark
    after = at(2026, 2, 1, 0, 0, 0)  # 23:00:00 UTC on 31 January: February in Denmark
    events = call(("host-1", before, before + 90), ("guest-1", before, before + 90), name="a")
    events += call(("host-2", after, after + 90), ("guest-2", after, after + 90), name="b")
    assert by_month(await counted(service, events)) == {
        "2026-01": (1, 1.5),
        "2026-02": (1, 1.5),
    }


async def test_a_conference_that_spans_midnight_counts_once_in_its_first_month(
    service: StatsService,
) -> None:
    start = at(2026, 3, 31, 23, 55)
    events = call(("host-1", start, start + 600), ("guest-1", start, start + 600))
    assert by_month(await counted(service, events)) == {"2026-03": (1, 10.0)}


async def test_not_ours_is_not_counted(service: StatsService) -> None:
    for tag in ("", "borgervideo:no-such-party", "other-app:kobenhavn"):
        events = call(("host-1", T0, T0 + 600), ("guest-1", T0, T0 + 600), call_tag=tag)
        assert by_month(await counted(service, events)) == {}, tag


async def test_service_tag_names_the_party_when_call_tags_are_missing(
    service: StatsService,
) -> None:
    events = call(
        ("host-1", T0, T0 + 600),
        ("guest-1", T0, T0 + 600),
        call_tag="",
        service_tag="borgervideo:kobenhavn",
    )
    assert by_month(await counted(service, events)) == {"2026-03": (1, 10.0)}


async def test_no_personal_data_is_kept(service: StatsService, redis: Redis) -> None:
    await counted(service, call(("host-1", T0, T0 + 600), ("guest-1", T0, T0 + 600)))
    dump = []
    async for key in redis.scan_iter():
        dump.append(key)
        kind = (await redis.type(key)).decode()
        if kind == "hash":
            dump.extend(x for pair in (await redis.hgetall(key)).items() for x in pair)
        elif kind == "string":
            dump.append(await redis.get(key))
        elif kind == "set":
            dump.extend(await redis.smembers(key))
        elif kind == "zset":
            dump.extend(await redis.zrange(key, 0, -1))
    text = b" ".join(dump).decode()
    for secret in (NAME, "Karen", ADDRESS, ALIAS, "1234567", "Mozilla", "10.0.0.1", "guest-1"):
        assert secret not in text


async def test_regions_are_not_municipalities(service: StatsService) -> None:
    events = call(("host-1", T0, T0 + 600), ("guest-1", T0, T0 + 600), name="k")
    events += call(
        ("host-2", T0, T0 + 600),
        ("guest-2", T0, T0 + 600),
        name="r",
        call_tag="borgervideo:region-midt",
    )
    await counted(service, events)
    (march,) = await service.report(["2026-03"], None)
    assert march.consultations == 2
    assert march.municipalities_using_video == 1
    assert [(p.party, p.kind) for p in march.parties] == [
        ("kobenhavn", "municipality"),
        ("region-midt", "region"),
    ]


# -- over HTTP ------------------------------------------------------------------------------
SINK_PASSWORD = "node-secret-1"
STEERING_KEY = "steering-test-key"
ADMIN_KEY = "demo-kobenhavn-admin-key"


def basic(user: str, password: str) -> dict[str, str]:
    raw = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


@pytest.fixture
async def stats_client(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    settings = settings_with(
        make_settings(tmp_path, branding[0], dist, "http://127.0.0.1:9"),
        statistics={
            "event_sink_nodes": (("node1", hashlib.sha256(SINK_PASSWORD.encode()).hexdigest()),),
            "steering_key_sha256": hashlib.sha256(STEERING_KEY.encode()).hexdigest(),
            "settle": 1,
        },
        plugins={"dirs": (tmp_path / "no-plugins",)},
    )
    async with AsyncTestClient(app=create_app(settings), base_url="http://127.0.0.1:8080") as c:
        yield c


async def post_events(client: AsyncTestClient[Litestar], body: object, **headers: str) -> Any:
    return await client.post(
        "/eventsink/node1",
        content=msgspec.json.encode(body),
        headers={"Content-Type": "application/json", **basic("node1", SINK_PASSWORD), **headers},
    )


async def test_event_sink_wants_the_node_credentials(
    stats_client: AsyncTestClient[Litestar],
) -> None:
    event = call(("host-1", T0, T0 + 61))[0]
    for headers in (
        {},
        basic("node1", "wrong"),
        basic("node2", SINK_PASSWORD),
        {"Authorization": "Basic !!!"},
        {"Authorization": "Bearer x"},
    ):
        answer = await stats_client.post("/eventsink/node1", json=event, headers=headers)
        assert answer.status_code == 401, headers
        assert answer.headers["www-authenticate"].startswith("Basic")
        assert answer.json()["detail"]
    other = await stats_client.post(
        "/eventsink/node2", json=event, headers=basic("node2", SINK_PASSWORD)
    )
    assert other.status_code == 401


async def test_event_sink_takes_single_and_bulk_events(
    stats_client: AsyncTestClient[Litestar],
) -> None:
    events = call(("host-1", T0, T0 + 61), ("guest-1", T0, T0 + 61))
    first = await post_events(stats_client, events[0])
    assert first.status_code == 200, first.text
    assert first.json() == {"accepted": 1, "ignored": 0}
    bulk = await post_events(stats_client, [*events[1:], {"event": "eventsink_started"}])
    assert bulk.json() == {"accepted": len(events) - 1, "ignored": 1}
    odd = await post_events(stats_client, [{"event": 5}, {"event": "participant_updated"}])
    assert odd.status_code == 200 and odd.json() == {"accepted": 0, "ignored": 2}
    bad = await stats_client.post(
        "/eventsink/node1", content=b"{not json", headers=basic("node1", SINK_PASSWORD)
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "body: not JSON"
    await counted_by_the_app(stats_client, 1)


async def fill(client: AsyncTestClient[Litestar]) -> None:
    events = call(("host-1", T0, T0 + 120), ("guest-1", T0, T0 + 120), name="k")
    events += call(
        ("host-2", T0, T0 + 300),
        ("guest-2", T0, T0 + 300),
        name="r",
        call_tag="borgervideo:region-midt",
    )
    assert (await post_events(client, events)).status_code == 200
    await counted_by_the_app(client, 2)


async def stats_as(
    client: AsyncTestClient[Litestar],
    key: str,
    query: str = "",
    *,
    params: dict[str, str] | None = None,
    accept: str | None = None,
) -> Response:
    """GET /api/v1/stats (`query` or `params`) with the API key `key`."""
    headers = {"X-API-Key": key} | ({"Accept": accept} if accept else {})
    return await client.get("/api/v1/stats" + query, params=params, headers=headers)


async def counted_by_the_app(client: AsyncTestClient[Litestar], expected: int) -> None:
    """The app counts in the background, `stats_settle` (1 s) after a conference ended."""
    for _ in range(100):
        answer = await stats_as(client, STEERING_KEY, "?from=2026-03&to=2026-03")
        assert answer.status_code == 200, answer.text
        if answer.json()["months"][0]["consultations"] == expected:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not counted: {answer.json()}")


async def test_a_party_reads_its_own_figures_only(stats_client: AsyncTestClient[Litestar]) -> None:
    await fill(stats_client)
    own = await stats_as(stats_client, KOBENHAVN_KEY, params={"from": "2026-02", "to": "2026-03"})
    assert own.status_code == 200, own.text
    assert own.headers["cache-control"].startswith("no-store")
    body = own.json()
    assert body["scope"] == "party" and body["party"] == "kobenhavn"
    assert body["from"] == "2026-02" and body["to"] == "2026-03"
    feb, march = body["months"]
    assert feb["consultations"] == 0 and feb["parties"][0]["consultations"] == 0
    assert march["consultations"] == 1 and march["total_minutes"] == 2.0
    assert march["municipalities_using_video"] is None
    assert [p["party"] for p in march["parties"]] == ["kobenhavn"]
    region = await stats_as(stats_client, REGION_KEY, "?from=2026-03&to=2026-03")
    assert region.json()["months"][0]["total_minutes"] == 5.0
    other = await stats_as(stats_client, KOBENHAVN_KEY, "?party=region-midt")
    assert other.status_code == 403


async def test_the_steering_group_reads_every_party(
    stats_client: AsyncTestClient[Litestar],
) -> None:
    await fill(stats_client)
    answer = await stats_as(stats_client, STEERING_KEY, "?from=2026-03&to=2026-03")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["scope"] == "all" and body["party"] is None
    (march,) = body["months"]
    assert march["consultations"] == 2
    assert march["municipalities_using_video"] == 1  # the region is not a municipality
    assert march["median_minutes"] == 3.5
    assert {p["party"] for p in march["parties"]} == {"kobenhavn", "region-midt"}
    one = await stats_as(stats_client, STEERING_KEY, "?from=2026-03&to=2026-03&party=region-midt")
    assert [p["party"] for p in one.json()["months"][0]["parties"]] == ["region-midt"]


async def test_csv_on_request(stats_client: AsyncTestClient[Litestar]) -> None:
    await fill(stats_client)
    answer = await stats_as(
        stats_client, STEERING_KEY, "?from=2026-03&to=2026-03", accept="text/csv"
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    lines = answer.text.strip().split("\r\n")
    assert lines[0] == (
        "month,party,name,kind,consultations,total_minutes,median_minutes,"
        "municipalities_using_video"
    )
    assert lines[1:] == [
        "2026-03,kobenhavn,Københavns Kommune,municipality,1,2.0,2.0,1",
        "2026-03,region-midt,Region Midtjylland,region,1,5.0,5.0,1",
    ]


async def test_bad_requests_and_unknown_keys(stats_client: AsyncTestClient[Litestar]) -> None:
    for params in (
        {"from": "2026-13"},
        {"to": "26-03"},
        {"from": "2026-04", "to": "2026-03"},
        {"from": "2000-01", "to": "2026-03"},
    ):
        answer = await stats_as(stats_client, KOBENHAVN_KEY, params=params)
        assert answer.status_code == 400, params
        assert answer.json()["detail"]
    for headers in ({}, {"X-API-Key": "nope"}, {"X-API-Key": "x" * 500}):
        assert (await stats_client.get("/api/v1/stats", headers=headers)).status_code == 401
    unknown = await stats_as(stats_client, STEERING_KEY, "?party=nowhere")
    assert unknown.status_code == 400


async def test_the_admin_page_route_takes_the_party_admin_key(
    stats_client: AsyncTestClient[Litestar],
) -> None:
    await fill(stats_client)
    url = "/api/v1/parties/kobenhavn/stats?from=2026-03&to=2026-03"
    answer = await stats_client.get(url, headers={"X-Admin-Key": ADMIN_KEY})
    assert answer.status_code == 200, answer.text
    assert answer.json()["months"][0]["parties"][0]["consultations"] == 1
    assert (await stats_client.get(url, headers={"X-Admin-Key": "nope"})).status_code == 401
    other = await stats_client.get(
        "/api/v1/parties/region-midt/stats", headers={"X-Admin-Key": ADMIN_KEY}
    )
    assert other.status_code == 401


async def test_the_api_is_documented(stats_client: AsyncTestClient[Litestar]) -> None:
    schema = (await stats_client.get("/schema/openapi.json")).json()
    stats = schema["paths"]["/api/v1/stats"]["get"]
    assert {"400", "401"} <= set(stats["responses"])
    assert set(stats["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    sink = schema["paths"]["/eventsink/{node}"]["post"]
    assert {"400", "401"} <= set(sink["responses"])
    assert "eventSinkBasic" in schema["components"]["securitySchemes"]
