"""Statistics in Redis: points per conference in, consultations per party and month out.

Keys (prefix `bv:stats:`):
- `conf:<c>` hash, one field per point (see counting.Point); `<c>` is a keyed pseudonym of
  the conference name. Expires `RAW_TTL` after its last event.
- `due` sorted set: conferences to count, scored by when. A disconnect or conference end asks
  for a count `settle` seconds on; any other event, `idle` seconds on (a conference whose end
  never arrives is still counted). Counting again later replaces the earlier answer, so an
  event that arrives late only corrects it.
- `month:<YYYY-MM>:<party>` hash: consultation id → seconds. `done:<c>` remembers which
  entries a conference wrote, so the next count replaces them. `parties`: every party seen.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import msgspec
import redis.asyncio as aioredis
from redis.typing import EncodableT, FieldT

from bff.core import store
from bff.core.sealing import Pseudonymiser
from bff.parties.models import Party
from bff.stats.counting import CONFERENCE, MIN_SECONDS, Point, consultations
from bff.stats.models import MonthFigures, PartyMonth, SinkEvent

log = logging.getLogger("bff.stats")

RAW = store.STATS + "conf:"
DUE = store.STATS + "due"
DONE = store.STATS + "done:"
MONTH = store.STATS + "month:"
PARTIES = store.STATS + "parties"
LOCK = store.STATS + "lock:"
RAW_TTL = 14 * 24 * 3600  # points of a conference, after its last event
TAG_PREFIX = "borgervideo:"
TAKING_PART_SERVICES = frozenset({"conference", "lecture"})
NO_MEDIA_PROTOCOLS = frozenset({"api", "rtmp", "rtmps"})  # API-only and streaming legs
PARTICIPANT_EVENTS = frozenset(
    {"participant_connected", "participant_updated", "participant_disconnected"}
)
CONFERENCE_EVENTS = frozenset({"conference_started", "conference_updated", "conference_ended"})
CLOSING = frozenset({"participant_disconnected", "conference_ended"})
BATCH = 200  # conferences counted per round
# The BFF's own observations (bff.stats.observed), waiting to be folded into the points.
SEEN = store.STATS + "seen"
MAX_SEEN = 200_000  # records kept unfolded at most (the counter folds every second)
FOLD_BATCH = 2_000
# One reply per month hash instead of one per consultation: redis-py's parser, not Redis,
# is what a year of 100,000 consultations would wait for. One key per call: cluster-safe.
JOINED_VALUES = "return table.concat(redis.call('HVALS', KEYS[1]), ',')"


def party_of(tag: str | None, known: frozenset[str]) -> str:
    """`borgervideo:<party>` names a party we know; anything else is not ours."""
    if tag and tag.startswith(TAG_PREFIX):
        party = tag[len(TAG_PREFIX) :]
        if party in known:
            return party
    return ""


def to_point(
    event: SinkEvent, known: frozenset[str], leg_id: Callable[[str], str] = str
) -> tuple[str, Point] | None:
    """(conference name, point) for an event that matters to counting, else None.
    `leg_id` turns the node's participant uuid into the id kept (a pseudonym)."""
    data = event.data
    if data is None or event.time is None:
        return None
    if event.event in PARTICIPANT_EVENTS:
        if not data.uuid or not data.conference:
            return None
        closing = event.event == "participant_disconnected"
        moment = event.time
        if closing and data.end_time is not None:
            moment = data.end_time
        media = bool(data.has_media)
        part = (
            media
            and not data.is_streaming
            and data.service_type in TAKING_PART_SERVICES
            and (data.protocol or "").lower() not in NO_MEDIA_PROTOCOLS
        )
        party = party_of(data.call_tag, known) or party_of(data.service_tag, known)
        return data.conference, Point(
            participant=leg_id(data.uuid),
            t=moment,
            closing=closing,
            taking_part=part,
            host=(data.role or "").lower() in ("chair", "host"),
            had_media=media,
            party=party,
            connect_time=data.connect_time if closing else None,
        )
    if event.event in CONFERENCE_EVENTS:
        if not data.name:
            return None
        moment = event.time
        if event.event == "conference_ended" and data.end_time is not None:
            moment = data.end_time
        return data.name, Point(
            participant=CONFERENCE,
            t=moment,
            closing=event.event == "conference_ended",
            taking_part=False,
            host=False,
            had_media=False,
            party=party_of(data.tag, known),
        )
    return None


def record(conference_id: str, point: Point) -> str:
    """One observation in the `seen` list: `<conference id> <point field> <point value>`."""
    return f"{conference_id} {point.field()} {point.value()}"


def parse_record(raw: str) -> tuple[str, Point] | None:
    try:
        cid, field, value = raw.split(" ")
    except ValueError:
        return None
    point = Point.parse(field, value)
    return None if point is None else (cid, point)


@dataclass(frozen=True, slots=True)
class Written:
    month: str
    party: str
    key: str


class StatsService:
    def __init__(
        self,
        redis: store.Redis,
        pseudonyms: Pseudonymiser,
        parties: dict[str, Party],
        *,
        settle: float,
        idle: float,
        min_seconds: float = MIN_SECONDS,
    ) -> None:
        self.redis = redis
        self.pseudonyms = pseudonyms
        self.parties = parties
        self.known = frozenset(parties)
        self.settle = settle
        self.idle = idle
        self.min_seconds = min_seconds

    def conference_id(self, name: str) -> str:
        # Conference names are meeting addresses: kept only as a keyed pseudonym.
        return self.pseudonyms.pseudonym("stats-conference", name)[:32]

    def leg_id(self, uuid: str) -> str:
        return self.pseudonyms.pseudonym("stats-leg", uuid)[:16]

    # -- in ------------------------------------------------------------------------------
    async def ingest(self, events: Iterable[SinkEvent]) -> tuple[int, int]:
        """Store the points of these events; (accepted, ignored). One round trip."""
        points: dict[str, dict[FieldT, EncodableT]] = {}  # redis-py's field and value types
        closing: dict[str, bool] = {}
        accepted = ignored = 0
        for event in events:
            found = to_point(event, self.known, self.leg_id)
            if found is None:
                ignored += 1
                continue
            accepted += 1
            cid = self.conference_id(found[0])
            point = found[1]
            points.setdefault(cid, {})[point.field()] = point.value()
            closing[cid] = closing.get(cid, False) or event.event in CLOSING
        if not points:
            return accepted, ignored
        now = time.time()
        pipe = self.redis.pipeline(transaction=False)
        for cid, fields in points.items():
            pipe.hset(RAW + cid, mapping=fields)
            pipe.expire(RAW + cid, RAW_TTL)
            if closing[cid]:
                pipe.zadd(DUE, {cid: now + self.settle}, lt=True)  # sooner, never later
            else:
                pipe.zadd(DUE, {cid: now + self.idle}, nx=True)  # keep a sooner count
        await pipe.execute()
        return accepted, ignored

    async def add_points(self, conference: str, points: list[Point], *, closing: bool) -> None:
        """Points from another source than the event sink (bff.stats.history): into the same
        conference, so a conference both report is counted once."""
        if points:
            cid = self.conference_id(conference)
            await self._store({cid: points}, {cid} if closing else set())

    async def fold_seen(self) -> int:
        """The BFF's own observations (bff.stats.observed) into their conferences' points;
        how many were folded. LPOP shares them out between instances."""
        raw = await self.redis.lpop(SEEN, FOLD_BATCH)
        points: dict[str, list[Point]] = {}
        for item in raw or []:
            parsed = parse_record(item.decode() if isinstance(item, bytes) else str(item))
            if parsed is not None:
                points.setdefault(parsed[0], []).append(parsed[1])
        closing = {cid for cid, pts in points.items() if any(p.closing for p in pts)}
        await self._store(points, closing)
        return len(raw or [])

    async def _store(self, points: dict[str, list[Point]], closing: set[str]) -> None:
        """Points into conferences (by id), and each conference due for a count."""
        if not points:
            return
        now = time.time()
        pipe = self.redis.pipeline(transaction=False)
        for cid, found in points.items():
            pipe.hset(RAW + cid, mapping={p.field(): p.value() for p in found})
            pipe.expire(RAW + cid, RAW_TTL)
            if cid in closing:
                pipe.zadd(DUE, {cid: now + self.settle}, lt=True)  # sooner, never later
            else:
                pipe.zadd(DUE, {cid: now + self.idle}, nx=True)  # keep a sooner count
        await pipe.execute()

    # -- counting ------------------------------------------------------------------------
    async def count_due(self, now: float | None = None) -> int:
        """Count the conferences whose time has come; how many were counted."""
        now = time.time() if now is None else now
        due = await self.redis.zrangebyscore(DUE, "-inf", now, start=0, num=BATCH)
        counted = 0
        for raw in due:
            cid = raw.decode() if isinstance(raw, bytes) else str(raw)
            if await self.count(cid):
                counted += 1
        return counted

    async def count(self, cid: str) -> bool:
        """Count one conference again and replace what it wrote before. One instance at a
        time per conference (a lock); an event arriving meanwhile asks for another count."""
        lock = LOCK + cid
        if not await self.redis.set(lock, "1", nx=True, px=30_000):
            return False  # another instance is counting it
        try:
            await self.redis.zrem(DUE, cid)
            await self._count(cid)
            return True
        except Exception:
            await self.redis.zadd(DUE, {cid: time.time() + self.settle}, lt=True)  # try again
            raise
        finally:
            await self.redis.delete(lock)

    async def _count(self, cid: str) -> None:
        raw = await self.redis.hgetall(RAW + cid)
        points = [
            p
            for f, v in raw.items()
            if (p := Point.parse(store.as_text(f), store.as_text(v))) is not None
        ]
        found = consultations(points, self.min_seconds)
        before = await self.redis.get(DONE + cid)
        old = [Written(*w) for w in msgspec.json.decode(before)] if before else []
        new = [Written(c.month, c.party, f"{cid}:{c.key}") for c in found]
        # Not a transaction (the keys live in different cluster slots): the new answer
        # goes in first, then what it replaces goes out, then the record of it.
        pipe = self.redis.pipeline(transaction=False)
        for c, w in zip(found, new, strict=True):
            pipe.hset(f"{MONTH}{w.month}:{w.party}", w.key, f"{c.seconds:.1f}")
            pipe.sadd(PARTIES, w.party)
        for w in old:
            if w not in new:
                pipe.hdel(f"{MONTH}{w.month}:{w.party}", w.key)
        if new:
            written = [[w.month, w.party, w.key] for w in new]
            pipe.set(DONE + cid, msgspec.json.encode(written), ex=RAW_TTL * 2)
        else:
            pipe.delete(DONE + cid)
        await pipe.execute()

    async def run_counter(self, interval: float) -> None:
        """Background loop of every BFF instance (they share the work through Redis)."""
        while True:
            try:
                while await self.fold_seen() >= FOLD_BATCH:
                    pass
                await self.count_due()
            except aioredis.RedisError as exc:
                log.warning("statistics: counting failed (%s)", type(exc).__name__)
            except Exception:
                log.exception("statistics: counting failed")
            await asyncio.sleep(interval)

    # -- out -----------------------------------------------------------------------------
    async def report(self, months: list[str], only: str | None) -> list[MonthFigures]:
        """Figures per month for one party (`only`) or for every party (steering group)."""
        if only is not None:
            party_ids = [only]
        else:
            seen = {store.as_text(m) for m in await self.redis.smembers(PARTIES)}
            party_ids = sorted(seen | set(self.parties))
        pipe = self.redis.pipeline(transaction=False)
        for month in months:
            for party in party_ids:
                pipe.eval(JOINED_VALUES, 1, f"{MONTH}{month}:{party}")
        answers = iter(await pipe.execute())
        figures = []
        for month in months:
            rows: list[PartyMonth] = []
            everything: list[float] = []
            municipalities = 0
            for party in party_ids:
                joined = next(answers)
                seconds = [float(v) for v in joined.split(b",")] if joined else []
                if not seconds and only is None:
                    continue
                everything.extend(seconds)
                row = self._row(party, seconds)
                rows.append(row)
                if row.kind == "municipality" and seconds:
                    municipalities += 1
            figures.append(
                MonthFigures(
                    month=month,
                    consultations=len(everything),
                    total_minutes=round(sum(everything) / 60, 1),
                    median_minutes=_median_minutes(everything),
                    municipalities_using_video=None if only is not None else municipalities,
                    parties=rows,
                )
            )
        return figures

    def _row(self, party_id: str, seconds: list[float]) -> PartyMonth:
        party = self.parties.get(party_id)
        return PartyMonth(
            party=party_id,
            name=party.name if party else party_id,
            kind=party.kind if party else "unknown",
            consultations=len(seconds),
            total_minutes=round(sum(seconds) / 60, 1),
            median_minutes=_median_minutes(seconds),
        )


def _median_minutes(seconds: list[float]) -> float | None:
    return round(statistics.median(seconds) / 60, 1) if seconds else None
