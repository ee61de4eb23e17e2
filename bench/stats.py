"""Statistics figures for `make bench`: event-sink events ingested per second by one BFF
process, and the time to answer a year's statistics for 98 municipalities with 100,000
consultations.

The BFF runs as its own process (one worker) on a Redis of its own (the embedded
redis-server, reached over REDIS_URL), with 98 generated municipalities. Ingestion is timed
over HTTP as nodes send: one event per POST from several nodes at once (each node waits
for its answer, as Infinity does), and bulk POSTs of 100 events. The year of results is
written straight into Redis in the layout the counting writes, then read over HTTP.

`python -m bench --stats-only` runs only this part.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import secrets
import shutil
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import redis

from bff.core.store import EmbeddedRedis
from bff.stats.counting import COPENHAGEN
from bff.stats.service import MONTH, PARTIES
from devstack.stack import ROOT, free_port, running_service

MUNICIPALITIES = 98
CONSULTATIONS = 100_000
YEAR = 2025
NODES = 8  # nodes posting one event at a time, concurrently
INGEST_SECONDS = 5.0
BULK = 100
QUERY_RUNS = 15
PASSWORD = secrets.token_urlsafe(16)
STEERING_KEY = secrets.token_urlsafe(24)


def make_parties(folder: Path) -> list[str]:
    """98 municipalities, each a party folder like the shipped ones (no keys of their own)."""
    template = ROOT / "branding" / "kobenhavn"
    ids = []
    for n in range(MUNICIPALITIES):
        party = f"kommune-{n:03d}"
        target = folder / party
        shutil.copytree(template / "webapp3", target / "webapp3")
        party_file = {
            "name": f"Kommune {n:03d}",
            "kind": "municipality",
            "vdx": {"organisation_code": str(100 + n), "sms_sender_name": f"Kommune{n:03d}"},
            "eoj_keys": [],
            "api_keys": [],
        }
        (target / "party.json").write_text(json.dumps(party_file))
        ids.append(party)
    return ids


def participant_event(n: int, party: str, kind: str) -> dict[str, Any]:
    t = time.time()
    return {
        "node": "10.0.0.1", "seq": n, "version": 2, "time": t, "event": kind,
        "data": {
            "uuid": f"p-{n}", "conference": f"{n // 6}@vdx.example", "call_direction": "in",
            "protocol": "webrtc", "role": "chair" if n % 2 else "guest",
            "service_type": "conference", "service_tag": "", "call_tag": f"borgervideo:{party}",
            "connect_time": t - 60, "display_name": "Borger", "remote_address": "192.0.2.1",
            "has_media": True, "is_streaming": False, "end_time": t, "duration": 60.0,
        },
    }  # fmt: skip


KINDS = ("participant_connected", "participant_updated", "participant_disconnected")


async def ingest_single(url: str, parties: list[str]) -> tuple[int, float, list[float]]:
    """NODES nodes, each posting its next event when the last was answered."""
    auth = ("bench", PASSWORD)
    deadline = time.perf_counter() + INGEST_SECONDS
    latencies: list[float] = []
    counter = iter(range(10**9))

    async def node(client: httpx.AsyncClient) -> int:
        sent = 0
        while time.perf_counter() < deadline:
            n = next(counter)
            event = participant_event(n, parties[n % len(parties)], KINDS[n % 3])
            start = time.perf_counter()
            answer = await client.post(url, json=event, auth=auth)
            latencies.append(time.perf_counter() - start)
            assert answer.status_code == 200, answer.text
            sent += 1
        return sent

    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=NODES)) as client:
        began = time.perf_counter()
        counts = await asyncio.gather(*(node(client) for _ in range(NODES)))
        return sum(counts), time.perf_counter() - began, latencies


async def ingest_bulk(url: str, parties: list[str]) -> tuple[int, float]:
    auth = ("bench", PASSWORD)
    deadline = time.perf_counter() + INGEST_SECONDS
    counter = iter(range(10**9, 2 * 10**9))

    async def node(client: httpx.AsyncClient) -> int:
        sent = 0
        while time.perf_counter() < deadline:
            batch = []
            for _ in range(BULK):
                n = next(counter)
                batch.append(participant_event(n, parties[n % len(parties)], KINDS[n % 3]))
            answer = await client.post(url, json=batch, auth=auth)
            assert answer.status_code == 200 and answer.json()["accepted"] == BULK, answer.text
            sent += BULK
        return sent

    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=4)) as client:
        began = time.perf_counter()
        counts = await asyncio.gather(*(node(client) for _ in range(4)))
        return sum(counts), time.perf_counter() - began


def fill_a_year(client: redis.Redis, parties: list[str]) -> None:
    """100,000 counted consultations over YEAR, spread unevenly over the municipalities."""
    rng = random.Random(9)  # noqa: S311 (made-up data, not secrets)
    weights = [rng.paretovariate(1.2) for _ in parties]
    start = datetime(YEAR, 1, 1, tzinfo=COPENHAGEN).timestamp()
    end = datetime(YEAR + 1, 1, 1, tzinfo=COPENHAGEN).timestamp()
    chosen = rng.choices(parties, weights=weights, k=CONSULTATIONS)
    pipe = client.pipeline(transaction=False)
    for n, party in enumerate(chosen):
        moment = rng.uniform(start, end)
        month = datetime.fromtimestamp(moment, COPENHAGEN).strftime("%Y-%m")
        seconds = max(61.0, rng.lognormvariate(6.8, 0.6))
        pipe.hset(f"{MONTH}{month}:{party}", f"bench{n:06d}:{int(moment)}", f"{seconds:.1f}")
        if n % 5000 == 4999:
            pipe.execute()
    pipe.sadd(PARTIES, *parties)
    pipe.execute()


def timed_queries(url: str, headers: dict[str, str]) -> tuple[float, float, int]:
    times = []
    size = 0
    with httpx.Client(timeout=60) as client:
        for _ in range(QUERY_RUNS + 2):
            start = time.perf_counter()
            answer = client.get(url, headers=headers)
            times.append(time.perf_counter() - start)
            assert answer.status_code == 200, answer.text[:300]
            size = len(answer.content)
    times = times[2:]  # warm-up
    return statistics.median(times) * 1000, max(times) * 1000, size


def report() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="borgervideo-bench-stats-"))
    embedded = EmbeddedRedis(workdir / "data")
    try:
        branding = workdir / "branding"
        parties = make_parties(branding)
        port = free_port()
        env = {
            "BV_HOST": "127.0.0.1",
            "BV_PORT": str(port),
            "BV_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "REDIS_URL": f"unix://{embedded.socket_file}",
            "BV_DATA_KEY": secrets.token_urlsafe(32),
            "BV_BRANDING_DIR": str(branding),
            "BV_WORKERS": "1",
            "BV_LOG_FORMAT": "text",
            "BV_EVENT_SINK_NODES": f"bench:{hashlib.sha256(PASSWORD.encode()).hexdigest()}",
            "BV_STATS_STEERING_KEY_SHA256": hashlib.sha256(STEERING_KEY.encode()).hexdigest(),
            "BV_STATS_SETTLE": "3600",  # nothing is counted while ingestion is timed
            # No node or VDX is called here, but `python -m bff` starts only with them named.
            "PEXIP_NODE_URL": "http://127.0.0.1:9",
            "VDX_VIDEO_API_URL": "http://127.0.0.1:9/videoapi",
            "VDX_SMS_API_URL": "http://127.0.0.1:9/smsapi",
            "VDX_VIDEO_API_ROUTE": "gateway",
            "VDX_SMS_API_ROUTE": "gateway",
        }
        base = f"http://127.0.0.1:{port}"
        with running_service("bff", env, base, workdir):
            sink = f"{base}/eventsink/bench"
            count, seconds, latencies = asyncio.run(ingest_single(sink, parties))
            print("Statistics (one BFF process, its own Redis):", flush=True)
            print(
                f"  event sink, one event per POST   {count / seconds:8.0f} events/s"
                f"   ({NODES} nodes at once; median answer "
                f"{statistics.median(latencies) * 1000:.2f} ms, "
                f"p99 {sorted(latencies)[int(len(latencies) * 0.99)] * 1000:.2f} ms)",
                flush=True,
            )
            bulk_count, bulk_seconds = asyncio.run(ingest_bulk(sink, parties))
            print(
                f"  event sink, bulk ({BULK} per POST)    "
                f"{bulk_count / bulk_seconds:8.0f} events/s",
                flush=True,
            )
            client = redis.Redis(unix_socket_path=embedded.socket_file)
            fill_a_year(client, parties)
            client.close()
            steering = {"X-API-Key": STEERING_KEY}
            year = f"{base}/api/v1/stats?from={YEAR}-01&to={YEAR}-12"
            median, worst, size = timed_queries(year, steering)
            print(
                f"  a year, {MUNICIPALITIES} municipalities, {CONSULTATIONS:,} consultations:"
                f" {median:7.1f} ms median, {worst:.1f} ms max ({size / 1024:.0f} KiB JSON)",
                flush=True,
            )
            median, worst, size = timed_queries(year, steering | {"Accept": "text/csv"})
            print(
                f"  the same as CSV                  {median:7.1f} ms median, {worst:.1f} ms max"
                f" ({size / 1024:.0f} KiB)",
                flush=True,
            )
            one = f"{year}&party={parties[0]}"
            median, worst, _ = timed_queries(one, steering)
            print(
                f"  one municipality's year          {median:7.1f} ms median, {worst:.1f} ms max",
                flush=True,
            )
    finally:
        embedded.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    report()
