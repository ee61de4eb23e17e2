"""Event-sink events as the node sends them (only the fields counting needs), and the
statistics the API answers with (the OpenAPI source of truth)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec


class EventData(msgspec.Struct, kw_only=True):
    """The `data` of a conference or participant event.

    Only what counting needs is declared: everything else the node sends (display_name,
    source_alias, destination_alias, remote_address, vendor, ...) is skipped while decoding
    and never reaches memory as a value, let alone Redis.
    """

    # conference events
    name: str | None = None
    tag: str | None = None
    # participant events
    uuid: str | None = None
    conference: str | None = None
    role: str | None = None
    protocol: str | None = None
    service_type: str | None = None
    service_tag: str | None = None
    call_tag: str | None = None
    has_media: bool | None = None
    is_streaming: bool | None = None
    connect_time: float | None = None
    end_time: float | None = None
    duration: float | None = None


class SinkEvent(msgspec.Struct, kw_only=True):
    """Pexip's envelope `{node, seq, version, time, event, data}`; `node` (an IP address)
    and `seq` (restarts with the sink, so no use for de-duplication) are not kept."""

    event: str
    time: float | None = None
    version: int | None = None
    data: EventData | None = None


# The node sends one event per POST, or (bulk support) a JSON array of them.
SinkBody = SinkEvent | list[SinkEvent]


class SinkAnswer(msgspec.Struct):
    accepted: int
    ignored: int


Month = Annotated[str, msgspec.Meta(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-03"])]


class PartyMonth(msgspec.Struct):
    """KPI 2: one party's consultations in one month."""

    party: Annotated[str, msgspec.Meta(examples=["kobenhavn"])]
    name: Annotated[str, msgspec.Meta(examples=["Københavns Kommune"])]
    kind: Annotated[str, msgspec.Meta(description="municipality, region (or unknown)")]
    consultations: int
    total_minutes: float
    median_minutes: float | None


class MonthFigures(msgspec.Struct):
    month: Month
    consultations: Annotated[int, msgspec.Meta(description="Over the parties in scope")]
    total_minutes: float
    median_minutes: Annotated[
        float | None, msgspec.Meta(description="Median consultation length; null: none")
    ]
    municipalities_using_video: Annotated[
        int | None,
        msgspec.Meta(
            description="KPI 1: municipalities with at least one consultation that month "
            "(steering group only; null for a party's own key)"
        ),
    ]
    parties: Annotated[
        list[PartyMonth],
        msgspec.Meta(
            description="KPI 2 per party: a party's own key gets its own row every month; "
            "the steering group gets every party with consultations that month"
        ),
    ]


class Statistics(msgspec.Struct):
    """Consultations: two or more participants with media, together for over 60 seconds.
    A consultation belongs to the party in its call tag and to the month (Danish time) it
    started in; its length is the time two or more took part."""

    scope: Literal["party", "all"]
    party: str | None
    from_: Month = msgspec.field(name="from")
    to: Month
    months: list[MonthFigures]
