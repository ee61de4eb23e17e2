"""VDX's History API as a statistics source: no event sink needed.

MedCom offers organisations VDX's History API (`GET /apikey/history/v1/conference` with
`X-API-KEY`, ../shared/reference/vdx-domain.md), whose records are Pexip's conference
history (go-infinity-sdk `history/models.go` ConferenceRecord: name, start and end time,
`max_concurrent_hosts`, `max_concurrent_guests`). A record of one of our rooms (its name is a
meeting alias the booking indexed to a party) where a host and at least one more were in at
the same time becomes two legs taking part from its start to its end; the counting then goes
as for the event sink. The record says nothing of who had media or for how long two were in
together, so it may count a conference the event sink would not (everyone but one in a
lobby); where both sources report a conference, their points meet in the same conference
and it is counted once.

The poller reads the last `WINDOW` every round: the points are the same each time (their
ids and times come from the record), so reading a record again changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from datetime import UTC, datetime

import httpx
import msgspec

from bff.core import store
from bff.ops.outbound import calling
from bff.stats.counting import Point
from bff.stats.service import StatsService

log = logging.getLogger("bff.stats")

WINDOW = 2 * 24 * 3600  # seconds of history read every round
PAGE = 200
HOST_LEG, GUEST_LEG = "history-host", "history-guest"


class ConferenceRecord(msgspec.Struct, kw_only=True):
    name: str
    start_time: str | None = None
    end_time: str | None = None
    max_concurrent_hosts: int = 0
    max_concurrent_guests: int = 0


class _Meta(msgspec.Struct, kw_only=True):
    next: str | None = None


class _Page(msgspec.Struct, kw_only=True):
    meta: _Meta = msgspec.field(default_factory=_Meta)
    objects: list[ConferenceRecord] = msgspec.field(default_factory=list)


def _seconds(raw: str | None) -> float | None:
    """Pexip's history times: ISO 8601, UTC when they carry no offset."""
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def record_points(record: ConferenceRecord, party: str) -> list[Point]:
    """The legs one history record stands for: none unless a host and one more overlapped."""
    start, end = _seconds(record.start_time), _seconds(record.end_time)
    together = record.max_concurrent_hosts >= 1 and (
        record.max_concurrent_hosts + record.max_concurrent_guests >= 2
    )
    if start is None or end is None or end <= start or not together:
        return []
    points: list[Point] = []
    for leg, host in ((HOST_LEG, True), (GUEST_LEG, False)):
        joined = Point(
            leg, start, closing=False, taking_part=True, host=host, had_media=True, party=party
        )
        left = replace(joined, t=end, closing=True, taking_part=False, connect_time=start)
        points += [joined, left]
    return points


class HistoryPoller:
    def __init__(
        self, stats: StatsService, http: httpx.AsyncClient, base_url: str, api_key: str
    ) -> None:
        self.stats = stats
        self.http = http
        self.url = f"{base_url}/history/v1/conference"
        self.api_key = api_key

    async def poll(self, now: float | None = None) -> int:
        """One round: the last WINDOW of history into the statistics; how many records of
        our rooms were read."""
        now = time.time() if now is None else now
        since = datetime.fromtimestamp(now - WINDOW, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        ours = offset = 0
        while True:
            params = {"start_time__gte": since, "limit": str(PAGE), "offset": str(offset)}
            resp = await self.http.get(
                self.url,
                params=params,
                headers={"X-API-KEY": self.api_key},
                timeout=30,
                extensions=calling("vdx-history", "GET history"),
            )
            resp.raise_for_status()
            page = msgspec.json.decode(resp.content, type=_Page)
            ours += await self._ingest(page.objects)
            offset += len(page.objects)
            if not page.meta.next or not page.objects:
                return ours

    async def _ingest(self, records: list[ConferenceRecord]) -> int:
        if not records:
            return 0
        parties = await self.stats.redis.mget([store.ALIAS + r.name for r in records])
        ours = 0
        for record, raw in zip(records, parties, strict=True):
            party = raw.decode() if isinstance(raw, bytes) else raw
            if party not in self.stats.known:
                continue  # not a room Borgervideo booked (or its index is gone)
            ours += 1
            await self.stats.add_points(record.name, record_points(record, party), closing=True)
        return ours

    async def run(self, interval: float) -> None:
        while True:
            try:
                await self.poll()
            except (httpx.HTTPError, msgspec.DecodeError) as exc:
                log.warning("statistics: VDX history not read (%s)", type(exc).__name__)
            except Exception:
                log.exception("statistics: VDX history not read")
            await asyncio.sleep(interval)
