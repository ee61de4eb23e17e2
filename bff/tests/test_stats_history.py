"""Statistics without an event sink: VDX's History API as a source (bff.stats.history), the
same KPI as the event sink from the same call, and a call counted once when both report it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import msgspec
import pytest

from bff.core import store
from bff.stats.history import ConferenceRecord, HistoryPoller, record_points
from bff.stats.models import MonthFigures, SinkEvent
from bff.stats.service import StatsService
from bff.tests.test_stats import ALIAS, T0, by_month, call, redis, service  # noqa: F401
from devstack.stack import free_port, running_service, vdx_headers

HISTORY_KEY = "test-history-key"


def history_time(t: float) -> str:
    """As Pexip's history writes it (UTC, no offset)."""
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def record(start: float, end: float, hosts: int = 1, guests: int = 1) -> ConferenceRecord:
    return ConferenceRecord(
        name=ALIAS,
        start_time=history_time(start),
        end_time=history_time(end),
        max_concurrent_hosts=hosts,
        max_concurrent_guests=guests,
    )


async def kpi(service: StatsService) -> dict[str, tuple[int, float]]:  # noqa: F811
    await service.count_due(now=T0 + 10**9)
    figures: list[MonthFigures] = await service.report(["2026-03"], "kobenhavn")
    return by_month(figures)


async def test_history_alone_counts_a_call_of_over_a_minute(service: StatsService) -> None:  # noqa: F811
    await service.add_points(ALIAS, record_points(record(T0, T0 + 61), "kobenhavn"), closing=True)
    assert await kpi(service) == {"2026-03": (1, 1.0)}


async def test_history_without_a_host_or_a_second_person_counts_nothing(
    service: StatsService,  # noqa: F811
) -> None:
    for hosts, guests in ((0, 3), (1, 0)):
        points = record_points(record(T0, T0 + 600, hosts, guests), "kobenhavn")
        await service.add_points(ALIAS, points, closing=True)
    assert await kpi(service) == {}


async def test_the_same_call_from_both_sources_is_counted_once(
    service: StatsService,  # noqa: F811
) -> None:
    events = call(("host-1", T0, T0 + 90), ("guest-1", T0, T0 + 90))
    await service.ingest(msgspec.convert(events, list[SinkEvent]))
    sink_only = await kpi(service)
    assert sink_only == {"2026-03": (1, 1.5)}
    # VDX's history of the same conference (its times from its first to its last participant)
    for _ in range(2):  # read again on the next round: nothing changes
        points = record_points(record(T0 - 8, T0 + 91), "kobenhavn")
        await service.add_points(ALIAS, points, closing=True)
        both = await kpi(service)
        assert both["2026-03"][0] == 1  # one consultation, not two


@pytest.fixture(scope="module")
def fast_clock_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The node's times (event sink and history) run 60 times faster: a 2-second call is two
    minutes in its history."""
    port = free_port()
    env = {
        "EMU_HOST": "127.0.0.1",
        "EMU_PORT": str(port),
        "EMU_CLOCK_SPEED": "60",
        "EMU_VDX_HISTORY_API_KEY": HISTORY_KEY,
        "EMU_BDPM_ALLOW_LIST": "127.0.0.1=pins+aliases",
    }
    workdir = tmp_path_factory.mktemp("emu-fast-clock")
    with running_service("emulator", env, f"http://127.0.0.1:{port}", workdir) as emulator:
        yield emulator.url


async def test_poller_reads_the_emulated_vdx_history(
    service: StatsService,  # noqa: F811
    fast_clock_emulator: str,
    tmp_path: Path,
) -> None:
    base = fast_clock_emulator
    now = datetime.now(UTC)
    async with httpx.AsyncClient(base_url=base) as http:
        booked = await http.post(
            "/videoapi/v2/meetings",
            json={
                "subject": "Historik",
                "startTime": now.isoformat(timespec="seconds"),
                "endTime": (now + timedelta(hours=1)).isoformat(timespec="seconds"),
                "hostPin": 4321,
                "guestPin": 8765,
            },
            headers=vdx_headers(base),
        )
        assert booked.status_code == 200, booked.text
        info = await http.get(
            f"/videoapi/v2/scheduling-info/{booked.json()['uuid']}", headers=vdx_headers(base)
        )
        alias = info.json()["uriWithDomain"]
        await service.redis.set(store.ALIAS + alias, "kobenhavn")  # as the booking indexes it
        tokens = []
        for pin, name in (("4321", "Sygeplejerske"), ("8765", "Borger")):
            joined = await http.post(
                f"/api/client/v2/conferences/{alias}/request_token",
                json={"display_name": name},
                headers={"pin": pin},
            )
            assert joined.status_code == 200, joined.text
            tokens.append(joined.json()["result"]["token"])
        await asyncio.sleep(2)  # two minutes on the node's clock
        for token in tokens:
            await http.post(
                f"/api/client/v2/conferences/{alias}/release_token", headers={"token": token}
            )
        wrong = await http.get("/apikey/history/v1/conference", headers={"X-API-KEY": "x"})
        assert wrong.status_code == 401

        poller = HistoryPoller(service, http, f"{base}/apikey", HISTORY_KEY)
        assert await poller.poll() == 1  # one record of our rooms
        await service.count_due(now=10**11)
        month = datetime.now(UTC).astimezone().strftime("%Y-%m")
        figures = await service.report([month], "kobenhavn")
        consultations = sum(f.consultations for f in figures)
        assert consultations == 1
