"""VDX VideoAPI v2: the meetings endpoints, each meeting provisioning a room on the node."""

from __future__ import annotations

import random
import secrets
import string
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import Request, Response, Router, delete, get, post

from emulator.node.rooms import Node
from emulator.vdx.errors import VdxError, requires_vdx_token, vdx_error_handler

PIN_MIN, PIN_MAX = 1000, 999_999_999
INPUT_ERROR = 10


@dataclass(slots=True)
class Meeting:
    uuid: str
    subject: str
    start: datetime
    end: datetime
    host_pin: int
    guest_pin: int
    uri_with_domain: str
    short_id: str
    created: datetime
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uri_without_domain(self) -> str:
        return self.uri_with_domain.split("@", 1)[0]


class MeetingStore:
    def __init__(self) -> None:
        self.meetings: dict[str, Meeting] = {}

    def get(self, meeting_uuid: str) -> Meeting:
        meeting = self.meetings.get(meeting_uuid)
        if meeting is None:
            raise VdxError(404, f"Meeting {meeting_uuid} not found", code=11)
        return meeting


def vdx_time(value: datetime) -> str:
    """VDX v2 format yyyy-MM-dd'T'HH:mm:ssXXX."""
    return value.isoformat(timespec="seconds").replace("+00:00", "Z")


def _bad(detail: str) -> VdxError:
    return VdxError(400, detail, code=INPUT_ERROR)


def _parse_time(body: dict[str, Any], name: str) -> datetime:
    raw = body.get(name)
    if not isinstance(raw, str) or not raw:
        raise _bad(f"{name} is required (ISO 8601 with offset, e.g. 2026-01-02T15:00:00+01:00)")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise _bad(f"{name} is not an ISO 8601 date-time: {raw!r}") from exc
    if value.tzinfo is None:
        raise _bad(f"{name} must carry a UTC offset, e.g. {raw}Z")
    return value.replace(microsecond=0)


def _parse_pin(body: dict[str, Any], name: str) -> int | None:
    raw = body.get(name)
    if raw is None:
        return None
    if not isinstance(raw, int) or isinstance(raw, bool) or not PIN_MIN <= raw <= PIN_MAX:
        raise _bad(f"{name} must be an integer from {PIN_MIN} to {PIN_MAX}")
    return raw


def _optional_str(body: dict[str, Any], name: str, max_len: int) -> str | None:
    raw = body.get(name)
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw) > max_len:
        raise _bad(f"{name} must be a string of at most {max_len} characters")
    return raw


def _random_pin(avoid: int | None = None) -> int:
    while True:
        pin = random.randint(100_000, 999_999)
        if pin != avoid:
            return pin


def validate_create(body: dict[str, Any]) -> dict[str, Any]:
    subject = body.get("subject")
    if not isinstance(subject, str) or not subject.strip():
        raise _bad("subject is required")
    if len(subject) > 100:
        raise _bad("subject must be at most 100 characters")
    start, end = _parse_time(body, "startTime"), _parse_time(body, "endTime")
    if end <= start:
        raise _bad("endTime must be after startTime")
    host_pin, guest_pin = _parse_pin(body, "hostPin"), _parse_pin(body, "guestPin")
    if host_pin is not None and host_pin == guest_pin:
        raise _bad("hostPin and guestPin must differ")
    host_pin = host_pin if host_pin is not None else _random_pin(avoid=guest_pin)
    guest_pin = guest_pin if guest_pin is not None else _random_pin(avoid=host_pin)
    extra: dict[str, Any] = {}
    for name, max_len in (("description", 500), ("externalId", 200), ("projectCode", 100)):
        value = _optional_str(body, name, max_len)
        if value is not None:
            extra[name] = value
    max_participants = body.get("maxParticipants", 0)
    if (
        not isinstance(max_participants, int)
        or isinstance(max_participants, bool)
        or max_participants < 0
    ):
        raise _bad("maxParticipants must be a non-negative integer")
    end_on_end = body.get("endMeetingOnEndTime", False)
    guest_pin_required = body.get("guestPinRequired", False)
    if not isinstance(end_on_end, bool) or not isinstance(guest_pin_required, bool):
        raise _bad("endMeetingOnEndTime and guestPinRequired must be booleans")
    extra |= {
        "maxParticipants": max_participants,
        "endMeetingOnEndTime": end_on_end,
        "guestPinRequired": guest_pin_required,
    }
    return {
        "subject": subject,
        "start": start,
        "end": end,
        "host_pin": host_pin,
        "guest_pin": guest_pin,
        "extra": extra,
    }


def _new_alias(node: Node, domain: str) -> str:
    while True:
        alias = f"{random.randint(1_000_000, 9_999_999)}@{domain}"
        if alias not in node.rooms:
            return alias


def meeting_json(meeting: Meeting, base_url: str) -> dict[str, Any]:
    user = {"organisationId": "emulator", "email": "api@vdx.localhost"}
    short_link = f"https://m.vconf.localhost/{meeting.short_id}"
    body = {
        "uuid": meeting.uuid,
        "subject": meeting.subject,
        "startTime": vdx_time(meeting.start),
        "endTime": vdx_time(meeting.end),
        "createdBy": user,
        "organizedBy": user,
        "createdTime": vdx_time(meeting.created),
        "shortId": meeting.short_id,
        "shortLink": short_link,
        "shortlink": short_link,
        "guestMicrophone": "on",
        "labels": [],
        "uriWithDomain": meeting.uri_with_domain,
        "hostPin": meeting.host_pin,
        "guestPin": meeting.guest_pin,
        "_links": {"self": {"href": f"{base_url}/videoapi/v2/meetings/{meeting.uuid}"}},
    }
    return body | {
        k: v
        for k, v in meeting.extra.items()
        if k in ("description", "externalId", "projectCode", "guestPinRequired")
    }


def _base_url(request: Request[Any, Any, Any]) -> str:
    return str(request.base_url).rstrip("/")


async def _body(request: Request[Any, Any, Any]) -> dict[str, Any]:
    try:
        body = msgspec.json.decode(await request.body())
    except msgspec.DecodeError as exc:
        raise _bad("Request body must be JSON") from exc
    if not isinstance(body, dict):
        raise _bad("Request body must be a JSON object")
    return body


@post("/v2/meetings", operation_id="CreateMeeting")
async def create_meeting(request: Request[Any, Any, Any]) -> Response[Any]:
    fields = validate_create(await _body(request))
    node: Node = request.app.state.node
    store: MeetingStore = request.app.state.meetings
    meeting = Meeting(
        uuid=str(uuid.uuid4()),
        subject=fields["subject"],
        start=fields["start"],
        end=fields["end"],
        host_pin=fields["host_pin"],
        guest_pin=fields["guest_pin"],
        uri_with_domain=_new_alias(node, request.app.state.settings.alias_domain),
        short_id="".join(secrets.choice(string.ascii_lowercase) for _ in range(12)),
        created=datetime.now(UTC).replace(microsecond=0),
        extra=fields["extra"],
    )
    store.meetings[meeting.uuid] = meeting
    node.provision(meeting.uri_with_domain, str(meeting.host_pin), str(meeting.guest_pin))
    return Response(
        content=meeting_json(meeting, _base_url(request)),
        status_code=200,
        media_type="application/json",
    )


@get("/v2/meetings/{meeting_uuid:str}", operation_id="GetMeeting")
async def get_meeting(request: Request[Any, Any, Any], meeting_uuid: str) -> dict[str, Any]:
    store: MeetingStore = request.app.state.meetings
    return meeting_json(store.get(meeting_uuid), _base_url(request))


@delete("/v2/meetings/{meeting_uuid:str}", operation_id="DeleteMeeting", status_code=204)
async def delete_meeting(request: Request[Any, Any, Any], meeting_uuid: str) -> None:
    store: MeetingStore = request.app.state.meetings
    meeting = store.get(meeting_uuid)
    del store.meetings[meeting_uuid]
    node: Node = request.app.state.node
    await node.remove_room(meeting.uri_with_domain, "Conference terminated by an administrator")


@get("/v2/scheduling-info/{meeting_uuid:str}", operation_id="GetSchedulingInfo")
async def scheduling_info(request: Request[Any, Any, Any], meeting_uuid: str) -> dict[str, Any]:
    store: MeetingStore = request.app.state.meetings
    meeting = store.get(meeting_uuid)
    base = _base_url(request)
    return {
        "uuid": meeting.uuid,
        "uriWithDomain": meeting.uri_with_domain,
        "uriWithoutDomain": meeting.uri_without_domain,
        "hostPin": meeting.host_pin,
        "guestPin": meeting.guest_pin,
        "provisionStatus": "PROVISIONED_OK",
        "vmrAvailableBefore": 30,
        "maxParticipants": meeting.extra.get("maxParticipants", 0),
        "endMeetingOnEndTime": meeting.extra.get("endMeetingOnEndTime", False),
        "vmrType": "conference",
        "createdTime": vdx_time(meeting.created),
        "meetingDetails": meeting_json(meeting, base),
        "_links": {"self": {"href": f"{base}/videoapi/v2/scheduling-info/{meeting.uuid}"}},
    }


def videoapi_router() -> Router:
    return Router(
        path="/videoapi",
        route_handlers=[create_meeting, get_meeting, delete_meeting, scheduling_info],
        guards=[requires_vdx_token],
        exception_handlers={VdxError: vdx_error_handler},
        tags=["VDX VideoAPI"],
    )
