"""The event sink (`POST /eventsink/{node}`, HTTP Basic per node) and the statistics API
(`GET /api/v1/stats` with a party's API key or the steering group's key, and
`GET /api/v1/parties/{party_id}/stats` with the party's admin key, for its admin page)."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import (
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Schema,
    SecurityScheme,
)
from litestar.params import FromPath, Parameter, QueryParameter

from bff.auth.guards import (
    PARTY_ADMIN_REFUSED,
    PARTY_ADMIN_SECURITY,
    requires_party_admin,
    stats_reader,
)
from bff.core.deps import Connection, Injected, provide, provide_settings
from bff.core.errors import Forbidden, InvalidInput, problem
from bff.core.http import error_response
from bff.core.security import same, sha256_hex
from bff.core.settings import Settings
from bff.parties.deps import PARTY
from bff.parties.models import Party
from bff.phonebook.deps import provide_phonebook
from bff.phonebook.service import PhonebookService
from bff.stats.counting import COPENHAGEN
from bff.stats.deps import provide_stats
from bff.stats.models import SinkAnswer, SinkBody, SinkEvent, Statistics
from bff.stats.service import StatsService

log = logging.getLogger("bff.stats")

STATS_SECURITY_SCHEMES = {
    "eventSinkBasic": SecurityScheme(
        type="http",
        scheme="basic",
        description="Per conference node: user name = the node's name in the path, password "
        "whose sha256 is configured in BV_EVENT_SINK_NODES",
    ),
    "adminKey": SecurityScheme(
        type="apiKey",
        name="X-Admin-Key",
        security_scheme_in="header",
        description="The party's admin key",
    ),
}
MAX_KEY = 200
MAX_MONTHS = 120
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
CSV_TYPE = "text/csv; charset=utf-8"
CSV_COLUMNS = (
    "month",
    "party",
    "name",
    "kind",
    "consultations",
    "total_minutes",
    "median_minutes",
    "municipalities_using_video",
)
_decoder = msgspec.json.Decoder(SinkBody)


# -- the event sink --------------------------------------------------------------------------
def sink_node_ok(request: Request[Any, Any, Any], settings: Settings, node: str) -> bool:
    """HTTP Basic: user = the path's node, sha256(password) = its configured hash. Every
    answer takes the same work whether the node, the user or the password is wrong."""
    known = dict(settings.statistics.event_sink_nodes).get(node, "0" * 64)
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    user = password = ""
    if scheme.lower() == "basic" and len(value) <= 1024:
        try:
            user, _, password = (
                base64.b64decode(value.strip(), validate=True).decode().partition(":")
            )
        except (binascii.Error, UnicodeDecodeError):
            user = password = ""
    right_user = same(user, node)
    right_password = same(sha256_hex(password), known)
    return right_user and right_password and known != "0" * 64


def decode_events(body: bytes) -> tuple[list[SinkEvent], int]:
    """One event (a JSON object) or many (bulk: an array); events of a shape we do not know
    are counted as ignored rather than refused, so one odd event never blocks the node's
    queue (it would resend it for ever)."""
    try:
        decoded = _decoder.decode(body)
        return ([decoded] if isinstance(decoded, SinkEvent) else decoded), 0
    except msgspec.ValidationError:
        pass
    except msgspec.DecodeError as exc:
        raise InvalidInput("body: not JSON") from exc
    generic = msgspec.json.decode(body)
    if not isinstance(generic, dict | list):
        raise InvalidInput("body: an event object or an array of them is required")
    items = generic if isinstance(generic, list) else [generic]
    events: list[SinkEvent] = []
    for item in items:
        try:
            events.append(msgspec.convert(item, SinkEvent, strict=False))
        except msgspec.ValidationError:
            continue
    return events, len(items) - len(events)


@post(
    "/eventsink/{node:str}",
    tags=["Event sink"],
    operation_id="ReceiveEvents",
    summary="Pexip Infinity event sink",
    description="A conference node posts its event-sink events here (one JSON object per "
    "POST, or a JSON array with bulk support), with HTTP Basic credentials of its own. "
    "Only what counting needs is kept: no display names, aliases or addresses. The same "
    "event twice, events from several nodes and events out of order count the same.",
    security=[{"eventSinkBasic": []}],
    status_code=200,
    dependencies={
        "stats": provide(provide_stats),
        "phonebook": provide(provide_phonebook),
    },
    responses={
        400: error_response("Not JSON"),
        401: error_response("Unknown node or bad credentials"),
    },
    cache_control=CacheControlHeader(no_store=True),
)
async def receive_events(
    request: Request[Any, Any, Any],
    node: Annotated[str, Parameter(max_length=63)],
    settings: Injected[Settings],
    stats: Injected[StatsService],
    phonebook: Injected[PhonebookService],
) -> Response[SinkAnswer]:
    if not sink_node_ok(request, settings, node):
        return problem(
            401,
            "Unknown node or wrong credentials (HTTP Basic)",
            {"WWW-Authenticate": 'Basic realm="eventsink", charset="UTF-8"'},
        )
    events, bad = decode_events(await request.body())
    accepted, ignored = await stats.ingest(events)
    left: list[str] = []
    for event in events:  # the phonebook: entries go when their participant or conference does
        if event.data is None:
            continue
        if event.event == "participant_disconnected" and event.data.uuid:
            left.append(event.data.uuid)
        elif event.event == "conference_ended" and event.data.name:
            await phonebook.conference_ended(event.data.name)
    await phonebook.participants_left(left)
    return Response(SinkAnswer(accepted=accepted, ignored=ignored + bad))


# -- reading -------------------------------------------------------------------------------
async def requires_stats_reader(connection: Connection, _: BaseRouteHandler) -> None:
    """The one rule (bff.auth.guards.stats_reader): the steering group's key or login reads
    every party's figures, a party's client (stats:read), API key or admin login its own.
    Sets `state.stats_party`: the party id, or None for all."""
    steering = provide_settings(connection).statistics.steering_key_sha256
    connection.state.stats_party = await stats_reader(connection, steering)


def month_list(first: str, last: str) -> list[str]:
    (y1, m1), (y2, m2) = (map(int, first.split("-")), map(int, last.split("-")))
    span = (y2 - y1) * 12 + (m2 - m1)
    if span < 0:
        raise InvalidInput("from: must not be after to")
    if span >= MAX_MONTHS:
        raise InvalidInput(f"to: at most {MAX_MONTHS} months from 'from'")
    return [f"{y1 + (m1 - 1 + i) // 12:04d}-{(m1 - 1 + i) % 12 + 1:02d}" for i in range(span + 1)]


def default_range() -> tuple[str, str]:
    """The last twelve months, this one included (Danish time)."""
    now = datetime.now(UTC).astimezone(COPENHAGEN)
    first = now.year * 12 + now.month - 1 - 11
    return f"{first // 12:04d}-{first % 12 + 1:02d}", f"{now.year:04d}-{now.month:02d}"


def to_csv(stats: Statistics) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for month in stats.months:
        for row in month.parties:
            writer.writerow(
                (
                    month.month,
                    row.party,
                    row.name,
                    row.kind,
                    row.consultations,
                    row.total_minutes,
                    "" if row.median_minutes is None else row.median_minutes,
                    ""
                    if month.municipalities_using_video is None
                    else month.municipalities_using_video,
                )
            )
    return out.getvalue()


def _answer(request: Request[Any, Any, Any], stats: Statistics) -> Response[Any]:
    wanted = request.accept.best_match(["application/json", "text/csv"], "application/json")
    if wanted == "text/csv":
        scope = stats.party or "alle"
        name = f"borgervideo-statistik-{scope}-{stats.from_}-{stats.to}.csv"
        return Response(
            to_csv(stats),
            media_type=CSV_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Vary": "Accept"},
        )
    return Response(stats, headers={"Vary": "Accept"})


async def _statistics(
    service: StatsService, party: str | None, first: str | None, last: str | None
) -> Statistics:
    default_first, default_last = default_range()
    first, last = first or default_first, last or default_last
    months = month_list(first, last)
    figures = await service.report(months, party)
    return Statistics(
        scope="all" if party is None else "party",
        party=party,
        from_=first,
        to=last,
        months=figures,
    )


FromMonth = Annotated[
    str | None,
    QueryParameter(
        name="from",
        pattern=MONTH_PATTERN,
        description="First month, YYYY-MM (default: eleven months before this one)",
    ),
]
ToMonth = Annotated[
    str | None,
    Parameter(pattern=MONTH_PATTERN, description="Last month, YYYY-MM (default: this month)"),
]
STATS_DESCRIPTION = (
    "KPI 1 (municipalities using video, per month; steering group only), KPI 2 "
    "(consultations per party per month), total minutes and median length. A consultation: "
    "two or more participants with media, a host among them, together for over 60 seconds; "
    "streaming and API-only legs do not count. It belongs to the party of its call tag and to "
    "the month (Danish time) it started in; its length is the time two or more took part. "
    "JSON, or CSV (one row per month and party) with `Accept: text/csv`."
)
CSV_RESPONSE = {
    400: error_response("Bad month or range"),
    401: error_response("Key missing or unknown"),
}


@dataclass
class StatsOperation(Operation):
    """The 200 answer comes as JSON or, with `Accept: text/csv`, as CSV."""

    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse) and ok.content is not None:
            ok.content["text/csv"] = OpenAPIMediaType(
                schema=Schema(
                    type=OpenAPIType.STRING,
                    description="One row per month and party, with a header row: "
                    + ", ".join(CSV_COLUMNS),
                )
            )


class StatsController(Controller):
    path = "/api/v1"
    tags = ["Statistics"]
    cache_control = CacheControlHeader(no_store=True, private=True)
    dependencies = {"stats": provide(provide_stats), **PARTY}

    @get(
        "/stats",
        operation_id="GetStatistics",
        summary="Usage statistics: a party's own, or every party's for the steering group",
        description=STATS_DESCRIPTION
        + " X-API-Key: the party's Meetings API key (its own figures only) or the steering "
        "group's key (every party; `party` picks one).",
        guards=[requires_stats_reader],
        operation_class=StatsOperation,
        # A key, an access token with stats:read, or a login (steering group, party_admin).
        security=[{"apiKey": []}, {"bearer": []}, {"staffSession": []}],
        responses={
            **CSV_RESPONSE,
            403: error_response(
                "Another party's figures, a token without stats:read, or a login without the "
                "role steering_group or party_admin"
            ),
        },
    )
    async def get_statistics(
        self,
        request: Request[Any, Any, Any],
        parties: Injected[dict[str, Party]],
        stats: Injected[StatsService],
        from_: FromMonth = None,
        to: ToMonth = None,
        picked: Annotated[
            str | None,
            QueryParameter(
                name="party", description="Steering group: one party's figures only", max_length=63
            ),
        ] = None,
    ) -> Response[Statistics]:
        own: str | None = request.state.stats_party
        if own is not None and picked not in (None, own):
            raise Forbidden("party: a party's key reads its own figures only")
        if picked is not None and picked not in parties:
            raise InvalidInput("party: no such party")
        scope = own if own is not None else picked
        return _answer(request, await _statistics(stats, scope, from_, to))

    @get(
        "/parties/{party_id:str}/stats",
        operation_id="GetPartyStatistics",
        summary="A party's usage statistics, for its admin page",
        description=STATS_DESCRIPTION + " X-Admin-Key: the party's admin key.",
        guards=[requires_party_admin],
        operation_class=StatsOperation,
        security=PARTY_ADMIN_SECURITY,  # the key, or a party_admin login
        responses={
            **CSV_RESPONSE,
            403: error_response(PARTY_ADMIN_REFUSED),
            404: error_response("No such party"),
        },
    )
    async def get_party_statistics(
        self,
        request: Request[Any, Any, Any],
        party: Injected[Party],
        party_id: FromPath[str],
        stats: Injected[StatsService],
        from_: FromMonth = None,
        to: ToMonth = None,
    ) -> Response[Statistics]:
        return _answer(request, await _statistics(stats, party.id, from_, to))
