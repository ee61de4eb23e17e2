"""`make bench`, load part: simulated citizens against one BFF process on Debian's redis-server.

Each citizen does what a phone does after tapping the SMS link, without media: open the link
(the BFF redeems it and answers the app shell itself, with the session cookie; its grant names
the conference), ask for a node token through the Client API proxy (request_token; the BFF
adds the PIN), and open the event stream through the proxy, which it then holds. Measured:

- 1,000 joins arriving evenly within 40 s: every one must succeed within 60 s; latency
  percentiles of the whole join and of each step.
- Event streams one BFF process holds: the 1,000 citizens' streams, then more on the same
  tokens up to a cap; the process's resident memory per stream.
- Throughput of the same join calls (request_token, first event, release_token) through the
  BFF and straight to the emulated node, in the same run, as a ratio.
- The proxy's median overhead on request_token at 1 and at 200 concurrent clients.

Booking stays within the party's limits (bookings_per_hour 200): 100 meetings of 10 guests,
no phone numbers (no SMS). One load generator stands for many citizens, so the per-address
rate limits on link redemption are raised for the run (BV_REDEEM_PER_MINUTE), as a load
balancer's X-Forwarded-For would spread them in production.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import aiohttp
import httpx
import psutil
from yarl import URL

from bench import profile
from devstack.redis import RedisServer
from devstack.stack import DEMO_API_KEY, Stack, free_port, running_stack
from e2e.helpers import create_vdx_room, wait_for_rooms

MEETINGS = 100
GUESTS = 10
JOINS = MEETINGS * GUESTS
ARRIVAL_SECONDS = 40.0
JOIN_DEADLINE = 60.0
EXTRA_STREAM_CAP = 4000  # streams held in all (the citizens' plus extra on their tokens)
THROUGHPUT_SECONDS = 10.0  # per side, in two rounds each (direct, BFF, BFF, direct)
THROUGHPUT_CLIENTS = 50
OVERHEAD_CALLS_SERIAL = 200
OVERHEAD_CALLS_CONCURRENT = 2000
CONCURRENT = 200
SERIAL_GAP = 0.02  # seconds after each call in the paused series: its event-sink posts land
SETTLE_CPU = 0.05  # the BFF counts as quiet below this share of one core (over SETTLE_WINDOW)
SETTLE_WINDOW = 0.5
SETTLE_MAX = 60.0
RATIO_AIM = 0.9  # joins/s through the BFF ÷ straight to the node
FIGURES: dict[str, float] = {}  # the table, printed at the end
T = TypeVar("T")
ALIAS_IN_SHELL = re.compile(r'"conferenceAlias":\s*"([^"]+)"')


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


def summary(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    return (
        f"p50 {pct(samples, 50):7.1f} ms  p90 {pct(samples, 90):7.1f} ms  "
        f"p99 {pct(samples, 99):7.1f} ms  max {max(samples) * 1000:7.1f} ms"
    )


@contextlib.contextmanager
def load_stack(workers: int = 1, launcher: tuple[str, ...] = ()
               ) -> Iterator[tuple[Stack, RedisServer]]:  # fmt: skip
    """The BFF in production mode (REDIS_URL on Debian's redis-server, JSON logs), `workers`
    processes (BV_WORKERS); `launcher`: a profiler it runs under (bench/profile.py)."""
    folder = Path(tempfile.mkdtemp(prefix="bv-bench-redis-"))
    redis = RedisServer(free_port(), folder).start()
    try:
        with running_stack(
            extra_bff_env={
                "REDIS_URL": redis.url,
                "BV_DATA_KEY": secrets.token_urlsafe(32),
                "BV_REDEEM_PER_MINUTE": "100000",
                "BV_LOG_FORMAT": "json",
                "BV_WORKERS": str(workers),
            },
            extra_emulator_env={"EMU_TOKEN_TTL": "600", "EMU_SSE_KEEPALIVE": "15"},
            bff_launcher=launcher,
        ) as stack:
            yield stack, redis
    finally:
        redis.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Citizen:
    link: str
    cookie: str = ""
    alias: str = ""
    token: str = ""
    steps: dict[str, float] = field(default_factory=dict)
    streams: list[aiohttp.ClientResponse] = field(default_factory=list)
    error: str = ""


def book(stack: Stack, meetings: int = MEETINGS) -> list[Citizen]:
    now = datetime.now(UTC)
    citizens = []
    rooms_before = len(wait_for_rooms(stack.emulator_url, 0))
    with httpx.Client(timeout=30) as http:
        for number in range(meetings):
            body = {
                "subject": f"Belastningsprøve {number}",
                "start": now.isoformat(timespec="seconds"),
                "end": (now + timedelta(hours=2)).isoformat(timespec="seconds"),
                "guests": [{"display_name": f"Borger {number}-{g}"} for g in range(GUESTS)],
            }
            answer = http.post(f"{stack.bff_url}/api/v1/meetings", json=body,
                               headers={"X-API-Key": DEMO_API_KEY})  # fmt: skip
            answer.raise_for_status()
            citizens += [Citizen(guest["link"]) for guest in answer.json()["guests"]]
    wait_for_rooms(stack.emulator_url, rooms_before + meetings)  # VDX provisions after booking
    return citizens


def _conference(base: str, alias: str) -> str:
    return f"{base}/api/client/v2/conferences/{alias}"


async def _first_bytes(resp: aiohttp.ClientResponse) -> None:
    chunk = await resp.content.readany()
    if not chunk:
        raise RuntimeError("event stream closed at once")


async def open_link(http: aiohttp.ClientSession, citizen: Citizen) -> int:
    """The citizen's link: her session cookie and the conference alias from the page; the
    page's status. A checkout from before 2026-12-07 (`--compare`) answers with a 303 to its
    app shell, which is then fetched too."""
    async with http.get(citizen.link, allow_redirects=False) as resp:
        status, page = resp.status, await resp.text()
        citizen.cookie = resp.headers.get("Set-Cookie", "").split(";", 1)[0]
        location = resp.headers.get("Location", "")
    if status == 303 and citizen.cookie:
        shell = URL(citizen.link).join(URL(location))
        async with http.get(shell, headers={"Cookie": citizen.cookie}) as resp:
            status, page = resp.status, await resp.text()
    match = ALIAS_IN_SHELL.search(page)
    citizen.alias = match.group(1) if match else ""
    return status


async def join(http: aiohttp.ClientSession, base: str, citizen: Citizen) -> None:
    started = time.perf_counter()

    def mark(step: str, since: float) -> float:
        now = time.perf_counter()
        citizen.steps[step] = now - since
        return now

    try:
        status = await open_link(http, citizen)
        if status != 200 or not citizen.alias:
            raise RuntimeError(f"link page {status}")
        t = mark("link page", started)
        url = _conference(base, citizen.alias)
        async with http.post(f"{url}/request_token", json={"display_name": "x"},
                             headers={"Cookie": citizen.cookie}) as resp:  # fmt: skip
            if resp.status != 200:
                raise RuntimeError(f"request_token {resp.status}")
            citizen.token = (await resp.json())["result"]["token"]
        t = mark("request_token", t)
        stream = await http.get(f"{url}/events", params={"token": citizen.token},
                                headers={"Cookie": citizen.cookie})  # fmt: skip
        citizen.streams.append(stream)
        if stream.status != 200:
            raise RuntimeError(f"events {stream.status}")
        await _first_bytes(stream)
        mark("events", t)
        mark("join", started)
    except Exception as exc:  # every failure is counted and named in the report
        citizen.error = f"{type(exc).__name__}: {exc}"[:200]


async def arrivals(http: aiohttp.ClientSession, base: str, citizens: list[Citizen]) -> float:
    """Start one join every ARRIVAL_SECONDS/len seconds; the wall time until all are done."""
    started = time.perf_counter()
    gap = ARRIVAL_SECONDS / len(citizens)
    tasks = []
    for index, citizen in enumerate(citizens):
        delay = started + index * gap - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(join(http, base, citizen)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - started


def rss(pid: int) -> int:
    return int(psutil.Process(pid).memory_info().rss)


def cpu_seconds(pid: int, children: bool = True) -> float:
    """The process's CPU time and, unless `children` is False, its children's (BV_WORKERS'
    worker processes). This generator's own figure leaves them out: the BFF, the node and
    Redis are its children here."""
    process = psutil.Process(pid)
    total = 0.0
    for each in (process, *(process.children(recursive=True) if children else ())):
        with contextlib.suppress(psutil.Error):
            times = each.cpu_times()
            total += times.user + times.system
    return total


async def extra_streams(http: aiohttp.ClientSession, base: str, citizens: list[Citizen],
                        cap: int) -> tuple[int, str]:  # fmt: skip
    """More streams on the joined citizens' tokens, in batches, until `cap` are open in all
    or one fails: (streams open, why it stopped)."""
    ready = [c for c in citizens if c.token and not c.error]
    open_now = sum(len(c.streams) for c in ready)
    index = 0
    while open_now < cap:
        batch = []
        for _ in range(min(500, cap - open_now)):
            citizen = ready[index % len(ready)]
            index += 1
            batch.append(_open_stream(http, base, citizen))
        results = await asyncio.gather(*batch, return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        open_now += len(results) - len(failures)
        if failures:
            return open_now, f"stopped: {type(failures[0]).__name__}: {failures[0]}"[:160]
    return open_now, f"cap of {cap} reached"


async def _open_stream(http: aiohttp.ClientSession, base: str, citizen: Citizen) -> None:
    stream = await http.get(f"{_conference(base, citizen.alias)}/events",
                            params={"token": citizen.token},
                            headers={"Cookie": citizen.cookie})  # fmt: skip
    citizen.streams.append(stream)
    if stream.status != 200:
        raise RuntimeError(f"events {stream.status}")
    await _first_bytes(stream)


def close_streams(citizens: list[Citizen]) -> None:
    for citizen in citizens:
        for stream in citizen.streams:
            stream.close()
        citizen.streams.clear()


# -- the same join calls through the BFF and straight to the node -----------------------------


@dataclass
class Side:
    """How one client joins on one side: the conference URL and the headers it sends."""

    url: str
    headers: dict[str, str]


async def token_join(http: aiohttp.ClientSession, side: Side) -> float:
    """request_token, the first bytes of the event stream, release_token: the seconds."""
    started = time.perf_counter()
    async with http.post(f"{side.url}/request_token", json={"display_name": "Bench"},
                         headers=side.headers) as resp:  # fmt: skip
        if resp.status != 200:
            raise RuntimeError(f"request_token {resp.status}: {(await resp.text())[:100]}")
        token = (await resp.json())["result"]["token"]
    async with http.get(f"{side.url}/events", params={"token": token},
                        headers=side.headers) as stream:  # fmt: skip
        if stream.status != 200:
            raise RuntimeError(f"events {stream.status}")
        await _first_bytes(stream)
    elapsed = time.perf_counter() - started
    async with http.post(f"{side.url}/release_token",
                         headers={**side.headers, "token": token}) as resp:  # fmt: skip
        await resp.read()
    return elapsed


async def request_token_only(http: aiohttp.ClientSession, side: Side) -> float:
    started = time.perf_counter()
    async with http.post(f"{side.url}/request_token", json={"display_name": "Bench"},
                         headers=side.headers) as resp:  # fmt: skip
        body = await resp.read()
        if resp.status != 200:
            raise RuntimeError(f"request_token {resp.status}")
    elapsed = time.perf_counter() - started
    token = msgspec_token(body)
    async with http.post(f"{side.url}/release_token",
                         headers={**side.headers, "token": token}) as resp:  # fmt: skip
        await resp.read()
    return elapsed


def msgspec_token(body: bytes) -> str:
    import msgspec

    return str(msgspec.json.decode(body)["result"]["token"])


async def closed_loop(clients: list[Side], work: Callable[[aiohttp.ClientSession, Side],
                      Awaitable[float]], seconds: float | None = None,
                      calls: int | None = None) -> tuple[list[float], int, float]:  # fmt: skip
    """Each client repeats `work` until the time or the call count is used up:
    (latencies, errors, wall seconds)."""
    latencies: list[float] = []
    errors = 0
    remaining = [calls if calls is not None else 10**9]
    deadline = time.perf_counter() + (seconds if seconds is not None else 10**9)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=aiohttp.ClientTimeout(total=30)) as http:  # fmt: skip

        async def client(side: Side) -> None:
            nonlocal errors
            while time.perf_counter() < deadline and remaining[0] > 0:
                remaining[0] -= 1
                try:
                    latencies.append(await work(http, side))
                except Exception:  # counted; the report shows the count
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(client(side) for side in clients))
        return latencies, errors, time.perf_counter() - started


def direct_sides(stack: Stack, count: int) -> list[Side]:
    """Rooms booked straight in VDX, joined by alias and guest PIN at the node itself."""
    sides = []
    rooms = max(1, count // GUESTS)
    for number in range(rooms):
        room = create_vdx_room(stack, host_pin=1000 + 2 * number, guest_pin=1001 + 2 * number)
        url = _conference(stack.emulator_url, room["uriWithDomain"])
        sides += [Side(url, {"pin": str(room["guestPin"])}) for _ in range(GUESTS)]
    return sides[:count]


async def bff_sides(stack: Stack, count: int) -> list[Side]:
    """Fresh meetings (empty rooms, like the direct side's), each guest link redeemed: the
    session cookie and the conference URL through the BFF."""
    citizens = book(stack, max(1, count // GUESTS))[:count]
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        for citizen in citizens:
            status = await open_link(http, citizen)
            assert citizen.alias, status
    return [Side(_conference(stack.bff_url, c.alias), {"Cookie": c.cookie}) for c in citizens]


async def release_all(http: aiohttp.ClientSession, base: str, citizens: list[Citizen]) -> None:
    """The joined citizens leave (their participants go from the node)."""
    gate = asyncio.Semaphore(50)

    async def leave(citizen: Citizen) -> None:
        async with gate, http.post(f"{_conference(base, citizen.alias)}/release_token",
                                   headers={"Cookie": citizen.cookie,
                                            "token": citizen.token}) as resp:  # fmt: skip
            await resp.read()

    await asyncio.gather(*(leave(c) for c in citizens if c.token), return_exceptions=True)


async def settle(pid: int) -> float:
    """Wait until the BFF process is quiet (the node's event-sink backlog handled): seconds."""
    started = time.perf_counter()
    while time.perf_counter() - started < SETTLE_MAX:
        before = cpu_seconds(pid)
        await asyncio.sleep(SETTLE_WINDOW)
        if cpu_seconds(pid) - before < SETTLE_CPU * SETTLE_WINDOW:
            break
    return time.perf_counter() - started


async def interleaved_serial(
    direct: Side, bff: Side, calls: int, gap: float = 0.0
) -> tuple[list[float], list[float]]:
    """request_token one at a time, alternating sides (which goes first flips); with `gap`,
    a pause after each call."""
    d: list[float] = []
    b: list[float] = []
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        for _ in range(10):  # warm up: pools filled
            await request_token_only(http, direct)
            await request_token_only(http, bff)
        for index in range(calls):
            pair = [(direct, d), (bff, b)]
            for side, samples in pair if index % 2 else reversed(pair):
                samples.append(await request_token_only(http, side))
                if gap:
                    await asyncio.sleep(gap)
    return d, b


async def run_load(stack: Stack, redis: RedisServer) -> None:
    print(f"\nLoad: {JOINS} simulated citizens ({MEETINGS} meetings x {GUESTS} guests), "
          "one BFF process, Debian's redis-server", flush=True)  # fmt: skip
    started = time.perf_counter()
    citizens = book(stack)
    print(f"  booked {MEETINGS} meetings in {time.perf_counter() - started:.1f} s "
          "(within bookings_per_hour)", flush=True)  # fmt: skip
    bff_pid = bff_process(stack)
    emulator_pid = stack.emulator.process.pid
    rss_before = rss(bff_pid)
    cpu_before = cpu_seconds(bff_pid)
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=None, connect=30, sock_read=60)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=timeout) as http:  # fmt: skip
        wall = await arrivals(http, stack.bff_url, citizens)
        cpu_join = (cpu_seconds(bff_pid) - cpu_before) / JOINS
        failed = [c for c in citizens if c.error]
        done = [c for c in citizens if not c.error]
        verdict = "ok" if not failed and wall <= JOIN_DEADLINE else "FAILED"
        print(f"  joins: {len(done)}/{JOINS} in {wall:.1f} s (arrivals over "
              f"{ARRIVAL_SECONDS:.0f} s; aim all within {JOIN_DEADLINE:.0f} s), "
              f"errors {len(failed)}   {verdict}", flush=True)  # fmt: skip
        for reason in sorted({c.error for c in failed})[:5]:
            print(f"    error: {reason}")
        for step in ("join", "link page", "request_token", "events"):
            samples = [c.steps[step] for c in done if step in c.steps]
            print(f"    {step:<14} {summary(samples)}")
        print(f"    BFF CPU time per join {cpu_join * 1000:.1f} ms (the three steps, and the "
              "node's event-sink posts)", flush=True)  # fmt: skip
        FIGURES["BFF CPU per join (link page: redeem + shell, request_token, events) (ms)"] = (
            cpu_join * 1000
        )
        held = sum(len(c.streams) for c in citizens if not c.error)
        rss_joined = rss(bff_pid)
        per_citizen = (rss_joined - rss_before) / max(1, held)
        print(f"  event streams held by the BFF process: {held}; resident memory "
              f"{rss_before / 2**20:.0f} -> {rss_joined / 2**20:.0f} MiB "
              f"({per_citizen / 1024:.1f} KiB per joined citizen)", flush=True)  # fmt: skip
        extra_started = time.perf_counter()
        total, why = await extra_streams(http, stack.bff_url, done, EXTRA_STREAM_CAP)
        rss_many = rss(bff_pid)
        per_stream = (rss_many - rss_joined) / max(1, total - held)
        print(f"  more streams on the same tokens: {total} held at once ({why}, "
              f"{time.perf_counter() - extra_started:.1f} s); resident memory "
              f"{rss_many / 2**20:.0f} MiB, {per_stream / 1024:.1f} KiB per extra stream; "
              f"emulator {rss(emulator_pid) / 2**20:.0f} MiB", flush=True)  # fmt: skip
        close_streams(citizens)
        await release_all(http, stack.bff_url, citizens)
    await asyncio.sleep(2)  # the node notices the streams went
    await compare(stack, redis)


def bff_process(stack: Stack) -> int:
    """The BFF's process id (under a profiler: the profiler's child)."""
    pid = stack.bff.process.pid
    launcher = stack.bff.launcher
    return profile.profiled_pid(pid) if launcher and "py-spy" in launcher[0] else pid


@dataclass
class Throughput:
    """Joins/s through the BFF and straight to the node, and each process's CPU ms per join."""

    direct: tuple[list[float], int, float]  # latencies, errors, wall seconds
    bff: tuple[list[float], int, float]
    cpu_per_join: dict[str, dict[str, float]]  # side → process → ms

    def rate(self, side: str) -> float:
        latencies, _errors, wall = self.direct if side == "direct" else self.bff
        return len(latencies) / wall

    @property
    def ratio(self) -> float:
        return self.rate("bff") / self.rate("direct")

    @property
    def cpu_ratio(self) -> float:
        """The rates' ratio with the machine to ourselves: the CPU sums' ratio."""
        return sum(self.cpu_per_join["direct"].values()) / sum(self.cpu_per_join["bff"].values())


async def throughput(stack: Stack, redis: RedisServer, direct: list[Side],
                     bff: list[Side]) -> Throughput:  # fmt: skip
    """Joins/s through the BFF and straight to the node in alternating rounds, and the CPU
    time each process spent per join on each side (the BFF, the emulated node, Redis, this
    load generator): on a shared machine the wall-clock rates move with the others' load, the
    CPU times hardly, and on these 2 cores the four share, the ratio of their sums is the
    ratio the rates reach when the cores are ours alone."""
    pid = bff_process(stack)
    assert redis.process is not None
    # each process and whether its children count (the BFF's workers do; this generator's,
    # the BFF, the node and Redis, are counted on their own lines)
    processes = {"BFF": (pid, True), "node": (stack.emulator.process.pid, True),
                 "Redis": (redis.process.pid, True),
                 "load generator": (os.getpid(), False)}  # fmt: skip

    def used() -> dict[str, float]:
        return {name: cpu_seconds(*each) for name, each in processes.items()}

    empty: tuple[list[float], int, float] = ([], 0, 0.0)
    rounds = {"direct": empty, "bff": empty}
    cpu = {side: dict.fromkeys(processes, 0.0) for side in rounds}
    for label in ("direct", "bff", "bff", "direct"):
        await settle(pid)
        sides = direct if label == "direct" else bff
        before = used()
        lat, err, wall = await closed_loop(sides[:THROUGHPUT_CLIENTS], token_join,
                                           THROUGHPUT_SECONDS / 2)  # fmt: skip
        await settle(pid)  # the event-sink posts of these joins count too
        for name, after in used().items():
            cpu[label][name] += after - before[name]
        so_far = rounds[label]
        rounds[label] = (so_far[0] + lat, so_far[1] + err, so_far[2] + wall)
    per_join = {side: {name: used / max(1, len(rounds[side][0])) * 1000
                       for name, used in cpu[side].items()} for side in cpu}  # fmt: skip
    return Throughput(rounds["direct"], rounds["bff"], per_join)


def report_throughput(stack: Stack, measured: Throughput) -> None:
    workers = stack.bff.env.get("BV_WORKERS", "1")
    print(
        f"\n  Throughput, {THROUGHPUT_CLIENTS} clients each joining in a loop (request_token, "
        f"first event, release_token), {THROUGHPUT_SECONDS:.0f} s per side in alternating "
        f"rounds, BFF with {workers} worker process(es) (BV_WORKERS), on {os.cpu_count()} cores:"
    )
    for side, label in (("direct", "direct to the node"), ("bff", "through the BFF   ")):
        latencies, errors, _wall = measured.direct if side == "direct" else measured.bff
        print(f"    {label} {measured.rate(side):7.1f} joins/s  (errors {errors})  "
              f"{summary(latencies)}")  # fmt: skip
    errors = measured.direct[1] + measured.bff[1]
    verdict = "ok" if measured.ratio >= RATIO_AIM and not errors else "BELOW AIM"
    print(f"    ratio {measured.ratio:.2f} of direct (aim >= {RATIO_AIM:.2f})   {verdict}",
          flush=True)  # fmt: skip
    for side, label in (("direct", "direct to the node"), ("bff", "through the BFF")):
        ms = measured.cpu_per_join[side]
        parts = "   ".join(f"{name} {each:5.2f}" for name, each in ms.items())
        print(f"    CPU ms per join, {label:<18} {parts}   sum {sum(ms.values()):5.2f}")
    print(f"    ratio from CPU time (sum direct ÷ sum through the BFF) {measured.cpu_ratio:.2f}: "
          "the rates' ratio with the machine to ourselves", flush=True)  # fmt: skip
    FIGURES[f"joins/s BFF ÷ direct from CPU time, {workers} worker(s)"] = measured.cpu_ratio


async def compare(stack: Stack, redis: RedisServer) -> None:
    direct = direct_sides(stack, CONCURRENT)
    bff = await bff_sides(stack, CONCURRENT)
    pid = bff_process(stack)
    measured = await throughput(stack, redis, direct, bff)
    report_throughput(stack, measured)
    FIGURES["joins/s through the BFF ÷ direct, 1 worker"] = measured.ratio

    await settle(pid)
    d_busy, b_busy = await interleaved_serial(direct[0], bff[0], OVERHEAD_CALLS_SERIAL)
    await settle(pid)
    d_one, b_one = await interleaved_serial(direct[0], bff[0], OVERHEAD_CALLS_SERIAL, SERIAL_GAP)
    await settle(pid)
    cpu = cpu_seconds(pid)
    await closed_loop(bff[:1], request_token_only, calls=OVERHEAD_CALLS_SERIAL)
    await settle(pid)  # the event-sink posts of these calls count too
    cpu_call = (cpu_seconds(pid) - cpu) / OVERHEAD_CALLS_SERIAL
    await settle(pid)
    d_many, d_err, _ = await closed_loop(direct, request_token_only,
                                         calls=OVERHEAD_CALLS_CONCURRENT)  # fmt: skip
    await settle(pid)
    b_many, b_err, _ = await closed_loop(bff, request_token_only,
                                         calls=OVERHEAD_CALLS_CONCURRENT)  # fmt: skip
    print("\n  Proxy overhead on request_token (median through the BFF minus median direct):")
    for label, d, b, errs in (("1 client, back to back", d_busy, b_busy, 0),
                              (f"1 client, {SERIAL_GAP * 1000:.0f} ms apart", d_one, b_one, 0),
                              (f"{len(bff)} clients", d_many, b_many, d_err + b_err)):  # fmt: skip
        overhead = statistics.median(b) * 1000 - statistics.median(d) * 1000
        aim = "ok" if overhead < 1.0 else "over the 1 ms aim"
        print(f"    {label:<23} direct {statistics.median(d) * 1000:7.2f} ms   via BFF "
              f"{statistics.median(b) * 1000:7.2f} ms   overhead {overhead:6.2f} ms   "
              f"(errors {errs})  {aim}", flush=True)  # fmt: skip
    print(f"    BFF CPU time per request_token and release_token through it, with the "
          f"event-sink posts they cause: {cpu_call * 1000:.2f} ms (CPU time: hardly moved by "
          "the machine's other load)")  # fmt: skip
    FIGURES["BFF CPU per request_token + release_token, with event posts (ms)"] = cpu_call * 1000
    FIGURES["proxy overhead, request_token, back to back (ms)"] = (
        statistics.median(b_busy) - statistics.median(d_busy)
    ) * 1000


async def with_workers(workers: int) -> None:
    """Throughput alone, the BFF with `workers` processes (a stack of its own)."""
    with load_stack(workers) as (stack, redis):
        direct = direct_sides(stack, THROUGHPUT_CLIENTS)
        bff = await bff_sides(stack, THROUGHPUT_CLIENTS)
        measured = await throughput(stack, redis, direct, bff)
        report_throughput(stack, measured)
        FIGURES[f"joins/s through the BFF ÷ direct, {workers} workers"] = measured.ratio


# -- the same CPU figures for another checkout, interleaved (`--compare DIR`) ----------------
COMPARE_ROUNDS = 6
COMPARE_CALLS = 100  # request_token + release_token per round and side
COMPARE_THROUGHPUT_ROUNDS = 3
COMPARE_JOINS = 3 * GUESTS  # fresh citizens per round and side (three meetings): with one
# meeting's 10 the idle process's own CPU in the settling moments weighed a tenth or more


async def cpu_per_call(stack: Stack, side: Side) -> float:
    pid = bff_process(stack)
    await settle(pid)
    before = cpu_seconds(pid)
    await closed_loop([side], request_token_only, calls=COMPARE_CALLS)
    await settle(pid)  # the event-sink posts of these calls count too
    return (cpu_seconds(pid) - before) / COMPARE_CALLS


async def cpu_per_join(stack: Stack) -> float:
    citizens = book(stack, COMPARE_JOINS // GUESTS)
    pid = bff_process(stack)
    await settle(pid)
    before = cpu_seconds(pid)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        await asyncio.gather(*(join(http, stack.bff_url, c) for c in citizens))
        await settle(pid)
        used = (cpu_seconds(pid) - before) / len(citizens)
        failed = [c.error for c in citizens if c.error]
        close_streams(citizens)
        await release_all(http, stack.bff_url, citizens)
    if failed:
        raise RuntimeError(f"joins failed: {failed[0]}")
    return used


def in_turn(items: list[T], index: int) -> list[T]:
    """The items in the order of round `index`: which goes first flips each round."""
    return items if index % 2 else items[::-1]


async def compare_checkouts(ours: tuple[Stack, RedisServer], theirs: tuple[Stack, RedisServer],
                            label: str) -> None:  # fmt: skip
    """CPU per request_token + release_token and per join on both BFFs, round by round
    (which goes first flips), so the machine's other load falls on both alike; then the
    throughput ratio against the same node, in alternating rounds too."""
    sides = {"this checkout": ours, label: theirs}
    one = {name: (await bff_sides(stack, 1))[0] for name, (stack, _redis) in sides.items()}
    calls: dict[str, list[float]] = {name: [] for name in sides}
    joins: dict[str, list[float]] = {name: [] for name in sides}
    for index in range(COMPARE_ROUNDS):
        order = in_turn(list(sides.items()), index)
        for name, (stack, _redis) in order:
            calls[name].append(await cpu_per_call(stack, one[name]))
            joins[name].append(await cpu_per_join(stack))
    print(f"\n  BFF CPU time, medians of {COMPARE_ROUNDS} interleaved rounds "
          f"({COMPARE_CALLS} calls, {COMPARE_JOINS} joins per round and side):")  # fmt: skip
    for name in sides:
        print(f"    {name:<40} per request_token + release_token "
              f"{statistics.median(calls[name]) * 1000:5.2f} ms   per join "
              f"{statistics.median(joins[name]) * 1000:5.2f} ms", flush=True)  # fmt: skip
    await compare_throughput(sides)


async def compare_throughput(sides: dict[str, tuple[Stack, RedisServer]]) -> None:
    """The throughput bench on both BFFs, each against its own node of this checkout."""
    clients = {name: (direct_sides(stack, THROUGHPUT_CLIENTS),
                      await bff_sides(stack, THROUGHPUT_CLIENTS))
               for name, (stack, _redis) in sides.items()}  # fmt: skip
    measured: dict[str, list[Throughput]] = {name: [] for name in sides}
    for index in range(COMPARE_THROUGHPUT_ROUNDS):
        order = in_turn(list(sides.items()), index)
        for name, (stack, redis) in order:
            measured[name].append(await throughput(stack, redis, *clients[name]))
    print(f"\n  Throughput (as in the load run), medians of {COMPARE_THROUGHPUT_ROUNDS} "
          "interleaved rounds:")  # fmt: skip
    for name, each in measured.items():
        bff_ms = statistics.median(m.cpu_per_join["bff"]["BFF"] for m in each)
        print(f"    {name:<40} joins/s ÷ direct "
              f"{statistics.median(m.ratio for m in each):4.2f} (rounds "
              f"{', '.join(f'{m.ratio:.2f}' for m in each)})   from CPU time "
              f"{statistics.median(m.cpu_ratio for m in each):4.2f}   BFF CPU per join in the "
              f"loop {bff_ms:4.2f} ms", flush=True)  # fmt: skip


# -- where the CPU of request_token + release_token goes (`--profile-calls`) -----------------
PROFILE_CALLS = 3000
PROFILE_CLIENTS = 4


async def profiled_calls(stack: Stack) -> None:
    """Only request_token + release_token through the BFF, from a few clients in a loop: the
    profile of the proxy's own calls, without the load run's streams and joins."""
    sides = await bff_sides(stack, PROFILE_CLIENTS)
    pid = bff_process(stack)
    await settle(pid)
    before = cpu_seconds(pid)
    await closed_loop(sides, request_token_only, calls=PROFILE_CALLS)
    await settle(pid)
    used = (cpu_seconds(pid) - before) / PROFILE_CALLS * 1000
    print(f"\n  {PROFILE_CALLS} request_token + release_token from {PROFILE_CLIENTS} clients: "
          f"BFF CPU {used:.2f} ms per pair (under py-spy; booking and start-up are in the "
          "profile too)")  # fmt: skip


def print_figures() -> None:
    print("\n  Issue 25's figures from this run (the proxy overheads per endpoint and the "
          "browser timings: `python -m bench`):")  # fmt: skip
    for name, value in FIGURES.items():
        print(f"    {name:<66} {value:7.2f}")


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the stack inherits it


def main(argv: list[str]) -> None:
    """`--profile`: the BFF runs under py-spy, and the report ends with where its CPU went
    (bench/profile.py; the CPU figures then include the sampling's own cost); `--profile-calls`:
    the same for request_token + release_token alone. `--compare DIR`:
    only the CPU figures, for this checkout and the one in DIR (its BFF, with this one's
    Python environment), interleaved."""
    raise_fd_limit()
    if "--compare" in argv:  # --compare DIR: another checkout (the lead's main, a commit)
        other = Path(argv[argv.index("--compare") + 1]).resolve()
        with load_stack() as ours, load_stack(launcher=("env", "-C", str(other))) as theirs:
            asyncio.run(compare_checkouts(ours, theirs, str(other)))
        return
    profiling = "--profile" in argv or "--profile-calls" in argv
    output = Path(tempfile.mkdtemp(prefix="bv-profile-")) / "bff.stacks" if profiling else None
    launcher = profile.launcher(output) if output else ()
    with load_stack(launcher=launcher) as (stack, redis):
        asyncio.run(profiled_calls(stack) if "--profile-calls" in argv else run_load(stack, redis))
        if output is not None:
            profile.finish(stack.bff.process.pid, output)
    if output is not None:
        profile.report(output)
        return
    asyncio.run(with_workers(2))
    print_figures()


if __name__ == "__main__":
    main(sys.argv[1:])
