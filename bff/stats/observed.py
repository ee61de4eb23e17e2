"""What the BFF observes itself, as a statistics source: the default, no event sink needed.

The proxy (bff.proxy.controller) sees the participants it admits (request_token: uuid, role,
the call tag it sends), their media (`participants/<uuid>/calls` starts it,
`.../calls/<call>/disconnect` ends it; `participants/<uuid>/disconnect` and `release_token`
end the leg) and, in every event stream it relays, the node's participant events for
everyone in the conference (`participant_create`/`participant_update`: role, has_media,
service_type, protocol, call_tag; `participant_delete`), so a host who joined another way is
seen too. Each becomes a counting Point keyed by the same pseudonyms as the event sink's (the
conference by its name, the meeting alias; the leg by the node's participant uuid), so a
conference that the event sink or the History API reports as well meets these points and is
counted once. Every listener's stream relays the same event: the points are a set and a
leg's start is its first, so duplicates change nothing.

Off the hot path: the proxy answers first and leaves the observation here; every FLUSH_AFTER
seconds one task pseudonymises what came in (the same relayed event from many listeners
once) and appends the small records to a capped Redis list (`bv:stats:seen`) in one round
trip; the counter's loop (StatsService.run_counter) folds the list into the conferences'
points. The records hold pseudonyms, times, flags and a party id: no names, aliases or addresses.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import weakref
from collections.abc import Iterable
from typing import Any

import msgspec
import redis.asyncio as aioredis

from bff.stats.counting import Point
from bff.stats.service import (
    MAX_SEEN,
    NO_MEDIA_PROTOCOLS,
    SEEN,
    TAKING_PART_SERVICES,
    StatsService,
    party_of,
    record,
)

log = logging.getLogger("bff.stats")

MAX_EVENT_BUFFER = 256 * 1024  # an SSE event longer than this is not read for statistics


# -- observations, as points of the node's participant uuid --------------------------------
def admitted(participant: str, role: object, party: str, t: float) -> Point:
    """request_token answered: the leg exists (no media yet)."""
    host = str(role).upper() in ("HOST", "CHAIR")
    return Point(
        participant, t, closing=False, taking_part=False, host=host, had_media=False, party=party
    )


def media(participant: str, on: bool, t: float) -> Point:
    """`calls` answered (media on) or a call disconnected (media off)."""
    return Point(participant, t, closing=False, taking_part=on, host=False, had_media=on, party="")


def left(participant: str, t: float) -> Point:
    return Point(
        participant, t, closing=True, taking_part=False, host=False, had_media=False, party=""
    )


def call_observed(method: str, endpoint: str, participant: str, t: float) -> Point | None:
    """A token call the node answered 200, as an observation (or None)."""
    parts = endpoint.strip("/").split("/")
    if method != "POST":
        return None
    if parts == ["release_token"]:
        return left(participant, t) if participant else None
    if len(parts) < 3 or parts[0] != "participants":
        return None
    uuid = parts[1]
    if parts[2:] == ["calls"]:
        return media(uuid, True, t)
    if len(parts) == 5 and parts[2] == "calls" and parts[4] == "disconnect":
        return media(uuid, False, t)
    if parts[2:] == ["disconnect"]:
        return left(uuid, t)
    return None


def relayed(name: str, data: Any, known: frozenset[str], t: float) -> Point | None:
    """A participant event the node sent down a relayed stream (Pexip client API SSE)."""
    if not isinstance(data, dict) or not isinstance(data.get("uuid"), str):
        return None
    uuid = data["uuid"]
    if name == "participant_delete":
        return left(uuid, t)
    if name not in ("participant_create", "participant_update"):
        return None
    has_media = data.get("has_media") is True
    part = (
        has_media
        and data.get("service_type") in TAKING_PART_SERVICES
        and str(data.get("protocol", "")).lower() not in NO_MEDIA_PROTOCOLS
        and not data.get("is_streaming_conference")
    )
    tag = data.get("call_tag")
    return Point(
        uuid,
        t,
        closing=False,
        taking_part=bool(part),
        host=str(data.get("role", "")).lower() in ("chair", "host"),
        had_media=has_media,
        party=party_of(tag if isinstance(tag, str) else None, known),
    )


class RelayedEvents:
    """The participant events in the SSE bytes a stream relays, however the chunks split."""

    def __init__(self) -> None:
        self.buffer = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        """Complete events naming a participant event (raw, decoded later off the stream)."""
        self.buffer += chunk.replace(b"\r\n", b"\n")
        head, sep, tail = self.buffer.rpartition(b"\n\n")
        if not sep:
            if len(self.buffer) > MAX_EVENT_BUFFER:
                self.buffer = b""
            return []
        self.buffer = tail
        if b"participant_" not in head:
            return []
        return [block for block in head.split(b"\n\n") if b"event: participant_" in block]


def decode_event(block: bytes) -> tuple[str, Any] | None:
    name, data = "", []
    for line in block.decode("utf-8", "replace").split("\n"):
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)
    if not name or not data:
        return None
    try:
        return name, msgspec.json.decode("\n".join(data))
    except msgspec.DecodeError:
        return None


# -- into Redis (StatsService.fold_seen folds them into the statistics) -------------------
async def note(stats: StatsService, conference: str, points: list[Point]) -> None:
    """Append observations of one conference (its name: the alias), in the background: the
    conference and legs as their pseudonyms only."""
    if not points:
        return
    cid = stats.conference_id(conference)
    records = [
        record(cid, dataclasses.replace(p, participant=stats.leg_id(p.participant))) for p in points
    ]
    await _keep(stats, records)


async def _keep(stats: StatsService, records: Iterable[str]) -> None:
    """Onto the list of what was seen (the last MAX_SEEN), in one round trip; a Redis that
    is away loses them (statistics never hold up a call)."""
    try:
        async with stats.redis.pipeline(transaction=False) as pipe:
            pipe.rpush(SEEN, *records)
            pipe.ltrim(SEEN, -MAX_SEEN, -1)
            await pipe.execute()
    except aioredis.RedisError as exc:
        log.warning("statistics: observations were not kept (%s)", type(exc).__name__)


# -- gathered in memory, sent in one round trip per FLUSH_AFTER --------------------------------
FLUSH_AFTER = 0.05  # seconds


@dataclasses.dataclass
class _Waiting:
    points: dict[str, list[Point]] = dataclasses.field(default_factory=dict)
    # (conference, event block without its id lines) → when it was first relayed
    relayed: dict[tuple[str, bytes], float] = dataclasses.field(default_factory=dict)


_waiting: weakref.WeakKeyDictionary[StatsService, _Waiting] = weakref.WeakKeyDictionary()
_flushing: set[asyncio.Task[None]] = set()


def _waiting_for(stats: StatsService) -> _Waiting:
    waiting = _waiting.get(stats)
    if waiting is None:
        waiting = _waiting[stats] = _Waiting()
        asyncio.get_running_loop().call_later(FLUSH_AFTER, _start_flush, stats)
    return waiting


def _start_flush(stats: StatsService) -> None:
    task = asyncio.ensure_future(flush(stats))
    _flushing.add(task)
    task.add_done_callback(_flushing.discard)


def note_soon(stats: StatsService, conference: str, points: list[Point]) -> None:
    """Observations of one conference, sent with the others of the next moment (flush)."""
    if points:
        _waiting_for(stats).points.setdefault(conference, []).extend(points)


def relayed_soon(stats: StatsService, conference: str, blocks: list[bytes], t: float) -> None:
    """Participant events a stream relayed: each listener of a conference relays the same
    event, so each is read once per moment, at the time it was first seen."""
    relayed = _waiting_for(stats).relayed
    for block in blocks:
        key = (conference, b"\n".join(ln for ln in block.split(b"\n") if not ln.startswith(b"id:")))
        relayed.setdefault(key, t)


async def flush(stats: StatsService) -> None:
    """What waits goes to Redis now (one round trip)."""
    waiting = _waiting.pop(stats, None)
    if waiting is None:
        return
    points = waiting.points
    for (conference, block), t in waiting.relayed.items():
        points.setdefault(conference, []).extend(relayed_points([block], stats.known, t))
    records: dict[str, None] = {}
    for conference, seen in points.items():
        cid = stats.conference_id(conference)
        for p in seen:
            leg = dataclasses.replace(p, participant=stats.leg_id(p.participant))
            records[record(cid, leg)] = None
    if records:
        await _keep(stats, records)


def relayed_points(blocks: list[bytes], known: frozenset[str], t: float) -> list[Point]:
    points = []
    for block in blocks:
        event = decode_event(block)
        if event is not None and (point := relayed(*event, known, t)) is not None:
            points.append(point)
    return points
