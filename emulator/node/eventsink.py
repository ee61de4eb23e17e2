"""Event sinks: the node POSTs Pexip Infinity event-sink events to the URLs it is given.

As Infinity does it (docs.pexip.com "Event sink API" and "Configuring event sinks"; the
Pexip Terraform provider's `bulk_support`):

- Each event is a JSON object `{node, seq, version, time, event, data}`: `node` the node's
  address, `seq` counting from 1 per sink since the sink started, `time` Unix seconds.
  With bulk support (`EMU_EVENT_SINK_BULK` > 1) one POST carries a JSON array of up to that
  many events.
- Events go to each sink in order, one POST at a time, with the sink's HTTP Basic
  credentials. A POST that fails (no connection, a timeout, an answer other than 2xx) is
  sent again, the same events in the same order, after a growing pause (1 s doubling to
  30 s), while newer events wait behind it: a backlog builds and drains when the sink
  answers again. Past `QUEUE_LIMIT` waiting events the oldest are dropped (and logged).
- `eventsink_started` first; then `conference_started` / `_updated` / `_ended` (per node)
  and `participant_connected` / `_updated` / `_disconnected` with the participant's fields,
  personal ones included (display name, aliases, remote address): the receiver must drop
  them, so the emulator sends them.

`EMU_CLOCK_SPEED` makes the times in events run faster than real time (tests: a minute of
call in a few seconds); it changes nothing else on the node.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx

if TYPE_CHECKING:
    from emulator.node.rooms import Participant, Room

log = logging.getLogger(__name__)

VERSION = 2
QUEUE_LIMIT = 10_000
RETRY_FIRST = 1.0
RETRY_CAP = 30.0
TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class SinkTarget:
    url: str  # without credentials
    username: str
    password: str


def parse_sinks(raw: str) -> tuple[SinkTarget, ...]:
    """`EMU_EVENT_SINKS`: URLs separated by commas or spaces, each with its Basic
    credentials in the user part (percent-encoded): `http://node1:secret@host:port/path`."""
    targets = []
    for entry in raw.replace(",", " ").split():
        parts = urlsplit(entry)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"EMU_EVENT_SINKS: not an http(s) URL: {entry!r}")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        if ":" in parts.hostname:
            netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
        url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        targets.append(
            SinkTarget(url, unquote(parts.username or ""), unquote(parts.password or ""))
        )
    return tuple(targets)


class SinkClock:
    """The time in events: real time, or (tests) running `speed` times faster from start."""

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed
        self.origin = time.time()

    def at(self, real: float) -> float:
        return self.origin + (real - self.origin) * self.speed

    def now(self) -> float:
        return self.at(time.time())


class _Sink:
    def __init__(self, target: SinkTarget) -> None:
        self.target = target
        self.queue: deque[dict[str, Any]] = deque()
        self.seq = 0
        self.ready = asyncio.Event()
        self.dropped = 0


class EventSinks:
    def __init__(
        self,
        targets: tuple[SinkTarget, ...],
        *,
        clock: SinkClock | None = None,
        node_address: str = "127.0.0.1",
        bulk: int = 1,
        retry_first: float = RETRY_FIRST,
        retry_cap: float = RETRY_CAP,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.verify = verify  # a CA file to trust for https sinks (EMU_BFF_CA_FILE)
        self.clock = clock or SinkClock()
        self.node_address = node_address
        self.bulk = max(1, bulk)
        self.retry_first = retry_first
        self.retry_cap = retry_cap
        self._sinks = [_Sink(t) for t in targets]
        self._tasks: list[asyncio.Task[None]] = []
        self._http: httpx.AsyncClient | None = None
        # Per conference instance on this node: when it started (event-sink time).
        self._started: dict[str, float] = {}
        # Participants that have had media (their disconnect says so).
        self._had_media: set[str] = set()

    # -- what the node reports ---------------------------------------------------------
    def emit(self, event: str, data: dict[str, Any]) -> None:
        moment = self.clock.now()
        for sink in self._sinks:
            sink.seq += 1
            envelope = {
                "node": self.node_address,
                "seq": sink.seq,
                "version": VERSION,
                "time": moment,
                "event": event,
                "data": data,
            }
            if len(sink.queue) >= QUEUE_LIMIT:
                sink.queue.popleft()
                sink.dropped += 1
                if sink.dropped in (1, 10, 100) or sink.dropped % 1000 == 0:
                    log.warning("event sink %s: %d events dropped", sink.target.url, sink.dropped)
            sink.queue.append(envelope)
            sink.ready.set()

    def conference(self, event: str, room: Room) -> None:
        now = self.clock.now()
        if event == "conference_started":
            self._started[room.alias] = now
        start = self._started.get(room.alias, now)
        data: dict[str, Any] = {
            "name": room.alias,
            "service_type": "conference",
            "tag": "",
            "start_time": start,
            "is_locked": room.locked,
            "guests_muted": room.guests_muted,
            "is_started": room.started,
        }
        if event == "conference_ended":
            data["end_time"] = now
            self._started.pop(room.alias, None)
        self.emit(event, data)

    def participant(
        self, event: str, room: Room, participant: Participant, reason: str | None = None
    ) -> None:
        seen = participant.as_event(room.guests_muted)
        connect_time = self.clock.at(participant.start_time)
        if seen["has_media"]:
            self._had_media.add(participant.uuid)
        data: dict[str, Any] = {
            "uuid": participant.uuid,
            "conference": room.alias,
            "call_direction": seen["call_direction"],
            "protocol": seen["protocol"],
            "role": seen["role"],
            "service_type": seen["service_type"],
            "service_tag": "",
            "call_tag": seen["call_tag"],
            "connect_time": connect_time,
            "display_name": seen["display_name"],
            "source_alias": seen["display_name"],
            "destination_alias": room.alias,
            "remote_address": getattr(participant, "remote_address", "") or "",
            "vendor": seen["vendor"],
            "encryption": seen["encryption"],
            "has_media": seen["has_media"],
            "is_streaming": bool(seen.get("is_streaming_conference")),
            "is_presenting": seen["is_presenting"] == "YES",
            "is_muted": seen["is_muted"] == "YES",
            "media_node": self.node_address,
            "signalling_node": self.node_address,
            "system_location": "emulator",
        }
        if event == "participant_disconnected":
            end = self.clock.now()
            data["has_media"] = participant.uuid in self._had_media
            self._had_media.discard(participant.uuid)
            data |= {
                "disconnect_reason": reason or "Call disconnected",
                "end_time": end,
                "duration": max(0.0, end - connect_time),
            }
        self.emit(event, data)

    # -- delivery ------------------------------------------------------------------------
    async def start(self) -> None:
        if not self._sinks:
            return
        self._http = httpx.AsyncClient(timeout=TIMEOUT, trust_env=False, verify=self.verify)
        self.emit("eventsink_started", {})
        self._tasks = [asyncio.create_task(self._deliver(sink)) for sink in self._sinks]

    async def close(self, drain: float = 2.0) -> None:
        """Give the queues a moment to empty, then stop."""
        deadline = time.monotonic() + drain
        while any(s.queue for s in self._sinks) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._http is not None:
            await self._http.aclose()

    async def _deliver(self, sink: _Sink) -> None:
        assert self._http is not None
        target = sink.target
        auth = (
            httpx.BasicAuth(target.username, target.password)
            if target.username
            else httpx.USE_CLIENT_DEFAULT
        )
        failures = 0
        while True:
            if not sink.queue:
                sink.ready.clear()
                await sink.ready.wait()
                continue
            count = min(self.bulk, len(sink.queue))
            batch = [sink.queue[i] for i in range(count)]
            body: Any = batch if self.bulk > 1 else batch[0]
            try:
                answer = await self._http.post(sink.target.url, json=body, auth=auth)
                delivered = 200 <= answer.status_code < 300
                problem = f"HTTP {answer.status_code}"
            except httpx.HTTPError as exc:
                delivered, problem = False, type(exc).__name__
            if delivered:
                for _ in range(count):
                    sink.queue.popleft()
                if failures:
                    log.info("event sink %s answers again", sink.target.url)
                failures = 0
                continue
            failures += 1
            pause = min(self.retry_cap, self.retry_first * 2 ** (failures - 1))
            if failures in (1, 2, 5) or failures % 20 == 0:
                log.warning(
                    "event sink %s: %s; %d events wait, next try in %.0f s",
                    sink.target.url,
                    problem,
                    len(sink.queue),
                    pause,
                )
            await asyncio.sleep(pause)
