"""VDX's History API: the node's conference history, as MedCom exposes it to organisations
(`GET /apikey/history/v1/conference?start_time__gte=...&end_time__lt=...&limit=...` with
`X-API-KEY`; ../shared/reference/vdx-domain.md). The record is Pexip's conference history
record (go-infinity-sdk `history/models.go` ConferenceRecord; list answer `{meta, objects}`;
times as `history/` parses them, `2006-01-02T15:04:05.000000`, UTC).

One record per conference instance: from its first participant to its last. Only ended
conferences are listed. The times follow the event-sink clock (EMU_CLOCK_SPEED in tests).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response, Router, get

from emulator.node.eventsink import SinkClock
from emulator.node.rooms import Participant, Room

MAX_LIMIT = 500


@dataclass
class _Open:
    start: float
    hosts: int = 0
    guests: int = 0
    max_hosts: int = 0
    max_guests: int = 0
    total: int = 0


@dataclass
class ConferenceHistory:
    """Listens to the node like an event sink and keeps the ended conferences."""

    clock: SinkClock
    records: list[dict[str, Any]] = field(default_factory=list)
    _open: dict[str, _Open] = field(default_factory=dict)

    def conference(self, event: str, room: Room) -> None:
        now = self.clock.now()
        if event == "conference_started":
            self._open[room.alias] = _Open(start=now)
        elif event == "conference_ended" and (done := self._open.pop(room.alias, None)):
            number = len(self.records) + 1
            self.records.append(
                {
                    "id": number,
                    "name": room.alias,
                    "service_type": "conference",
                    "tag": "",
                    "start_time": _time(done.start),
                    "end_time": _time(now),
                    "create_time": _time(done.start),
                    "duration_seconds": round(now - done.start),
                    "total_participants": done.total,
                    "max_concurrent_guests": done.max_guests,
                    "max_concurrent_hosts": done.max_hosts,
                    "total_bandwidth_kbps": 0,
                    "instance_type": "scheduled",
                    "resource_uri": f"/api/admin/history/v1/conference/{number}/",
                }
            )

    def participant(
        self, event: str, room: Room, participant: Participant, reason: str | None = None
    ) -> None:
        record = self._open.get(room.alias)
        if record is None:
            return
        step = {"participant_connected": 1, "participant_disconnected": -1}.get(event, 0)
        if participant.role == "HOST":
            record.hosts += step
            record.max_hosts = max(record.max_hosts, record.hosts)
        else:
            record.guests += step
            record.max_guests = max(record.max_guests, record.guests)
        record.total += step > 0


def _time(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def _parse(raw: str | None) -> datetime | None:
    if not raw:
        return None
    value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@get("/apikey/history/v1/conference", operation_id="ConferenceHistory")
async def conference_history(request: Request[Any, Any, Any]) -> Response[Any]:
    settings = request.app.state.settings
    key = request.headers.get("x-api-key", "")
    if not secrets.compare_digest(key, settings.vdx_history_api_key):
        return Response({"detail": "X-API-KEY missing or wrong"}, status_code=401)
    query = request.query_params
    try:
        since, before = _parse(query.get("start_time__gte")), _parse(query.get("end_time__lt"))
        limit = min(int(query.get("limit") or 20), MAX_LIMIT)
        offset = int(query.get("offset") or 0)
    except ValueError:
        return Response(
            {
                "detail": "start_time__gte and end_time__lt are ISO 8601 times; "
                "limit and offset whole numbers"
            },
            status_code=400,
        )
    history: ConferenceHistory = request.app.state.history
    chosen = [
        r
        for r in history.records
        if (since is None or _parse(r["start_time"]) >= since)  # type: ignore[operator]
        and (before is None or _parse(r["end_time"]) < before)  # type: ignore[operator]
    ]
    page = chosen[offset : offset + limit]
    meta = {
        "limit": limit,
        "offset": offset,
        "total_count": len(chosen),
        "previous": None,
        "next": None if offset + limit >= len(chosen) else "more",
    }
    return Response({"meta": meta, "objects": page})


def history_router() -> Router:
    return Router(path="/", route_handlers=[conference_history], tags=["VDX History"])
