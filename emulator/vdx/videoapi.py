"""VDX VideoAPI v2: the meetings endpoints, each meeting provisioning a room on the node."""

from __future__ import annotations

import asyncio
import random
import secrets
import string
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from litestar import Request, Response, Router, delete, get, patch, post

from emulator.node.rooms import Node
from emulator.vdx.auth import requires_keycloak_jwt
from emulator.vdx.errors import VdxError, vdx_error_handler

PIN_MIN, PIN_MAX = 1000, 999_999_999
INPUT_ERROR = 10


AWAITS_PROVISION = "AWAITS_PROVISION"
PROVISIONED_OK = "PROVISIONED_OK"
DEPROVISION_OK = "DEPROVISION_OK"
DEFAULT_TEMPLATE_ID = 1
HAL_JSON = "application/hal+json"


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
    available_before: int  # minutes: the scheduling template's vMRAvailableBefore
    extra: dict[str, Any] = field(default_factory=dict)
    provision_status: str = AWAITS_PROVISION
    provisioned: datetime | None = None
    updated: datetime | None = None
    # time.time() before which the provisioning job leaves the meeting alone (the job's lag)
    provision_after: float = 0.0

    @property
    def uri_without_domain(self) -> str:
        return self.uri_with_domain.split("@", 1)[0]

    @property
    def room_from(self) -> datetime:
        return self.start - timedelta(minutes=self.available_before)


class MeetingStore:
    """The meetings and their provisioning: a room exists on the node only from
    `vmrAvailableBefore` minutes before the start until the meeting ends."""

    def __init__(self, node: Node) -> None:
        self.meetings: dict[str, Meeting] = {}
        self.node = node
        # Called after every change (EMU_STATE_DIR: the meetings are written to disk).
        self.on_change: Callable[[], None] | None = None

    def changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def reprovision(self, meeting: Meeting) -> None:
        """After a restart: the room a provisioned meeting had, again (same alias and PINs)."""
        provisioned = meeting.provisioned
        self._provision(meeting, provisioned or datetime.now(UTC))
        meeting.provisioned = provisioned

    def get(self, meeting_uuid: str) -> Meeting:
        meeting = self.meetings.get(meeting_uuid)
        if meeting is None:
            raise VdxError(404, f"Meeting {meeting_uuid} not found", code=11)
        return meeting

    def alias_taken(self, alias: str) -> bool:
        return alias in self.node.rooms or any(
            m.uri_with_domain == alias for m in self.meetings.values()
        )

    async def provision_due(self, now: datetime) -> None:
        """One round of the provisioner: create the rooms whose time has come.

        Real VDX provisions in a job of its own that picks up AWAITS_PROVISION meetings
        (medcom-video-api `service/SchedulingInfoServiceImpl.java` getSchedulingInfoAwaitsProvision
        and the provisioner's status update), so a meeting booked for now has no room at once.
        """
        for meeting in list(self.meetings.values()):
            if meeting.provision_status == AWAITS_PROVISION:
                lagging = time.time() < meeting.provision_after
                if meeting.room_from <= now < meeting.end and not lagging:
                    self._provision(meeting, now)

    async def deprovision_due(self, now: datetime) -> None:
        """One round of VDX's deprovisioning job: every provisioned meeting whose endTime has
        passed loses its room, whoever is still in it (medcom-video-api
        dao/SchedulingInfoRepository.java `findAllWithinEndTimeLessThenAndStatus(now,
        PROVISIONED_OK)`, used by service/SchedulingInfoServiceImpl.java
        `getSchedulingInfoAwaitsDeProvision`). A call runs over only if its end is moved."""
        for meeting in list(self.meetings.values()):
            if meeting.provision_status == PROVISIONED_OK and meeting.end < now:
                await self.end(meeting, "Conference ended at its end time")

    def _provision(self, meeting: Meeting, now: datetime) -> None:
        pins = str(meeting.host_pin), str(meeting.guest_pin)
        microphone = meeting.extra.get("guestMicrophone", "on")
        self.node.provision(
            meeting.uri_with_domain,
            *pins,
            # Pexip's mute_all_guests; guestMicrophone "off" also keeps guests from unmuting.
            mute_guests_on_join=bool(meeting.extra.get("muteAllGuests")) or microphone != "on",
            guests_can_unmute=microphone != "off",
            # the meeting's own directMedia, else the template's (the node's default)
            direct_media={"best_effort": True, "never": False}.get(
                str(meeting.extra.get("directMedia"))
            ),
        )
        meeting.provision_status = PROVISIONED_OK
        meeting.provisioned = now
        self.changed()

    async def end(self, meeting: Meeting, reason: str) -> None:
        await self.node.remove_room(meeting.uri_with_domain, reason)
        meeting.provision_status = DEPROVISION_OK
        self.changed()

    async def run_provisioner(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self.provision_due(datetime.now(UTC))

    async def run_deprovisioner(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self.deprovision_due(datetime.now(UTC))


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
    microphone = body.get("guestMicrophone", "on")
    if microphone not in ("muted", "off", "on"):
        raise _bad("guestMicrophone must be one of muted, off, on")
    if not isinstance(body.get("muteAllGuests", False), bool):
        raise _bad("muteAllGuests must be a boolean")
    extra |= {"guestMicrophone": microphone, "muteAllGuests": body.get("muteAllGuests", False)}
    end_on_end = body.get("endMeetingOnEndTime", False)
    guest_pin_required = body.get("guestPinRequired", False)
    if not isinstance(end_on_end, bool) or not isinstance(guest_pin_required, bool):
        raise _bad("endMeetingOnEndTime and guestPinRequired must be booleans")
    template = body.get("schedulingTemplateId")
    if template is not None and (not isinstance(template, int) or isinstance(template, bool)):
        raise _bad("schedulingTemplateId must be an integer")
    # An unknown template is not refused: SchedulingInfoServiceImpl.createSchedulingInfo
    # catches RessourceNotFoundException and books with the organisation's default template.
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


def _new_alias(store: MeetingStore, domain: str) -> str:
    while True:
        alias = f"{random.randint(1_000_000, 9_999_999)}@{domain}"
        if not store.alias_taken(alias):
            return alias


def meeting_json(meeting: Meeting, base_url: str) -> dict[str, Any]:
    """The public `meeting` schema: no address and no PINs (those are in scheduling-info)."""
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
        "labels": [],
        "_links": {"self": {"href": f"{base_url}/videoapi/v2/meetings/{meeting.uuid}"}},
    }
    if meeting.updated is not None:
        body |= {"updatedBy": user, "updatedTime": vdx_time(meeting.updated)}
    return body | {
        k: v
        for k, v in meeting.extra.items()
        if k in ("description", "externalId", "projectCode", "guestPinRequired", "guestMicrophone")
    }


def scheduling_info_json(meeting: Meeting, base_url: str, direct_media: bool) -> dict[str, Any]:
    info = {
        "uuid": meeting.uuid,
        "uriWithDomain": meeting.uri_with_domain,
        "uriWithoutDomain": meeting.uri_without_domain,
        "hostPin": meeting.host_pin,
        "guestPin": meeting.guest_pin,
        "provisionStatus": meeting.provision_status,
        "vmrAvailableBefore": meeting.available_before,
        "maxParticipants": meeting.extra.get("maxParticipants", 0),
        "endMeetingOnEndTime": meeting.extra.get("endMeetingOnEndTime", False),
        "vmrType": "conference",
        "muteAllGuests": meeting.extra.get("muteAllGuests", False),
        "directMedia": "best_effort" if direct_media else "never",
        "createdTime": vdx_time(meeting.created),
        "meetingDetails": meeting_json(meeting, base_url),
        "_links": {"self": {"href": f"{base_url}/videoapi/v2/scheduling-info/{meeting.uuid}"}},
    }
    if meeting.provisioned is not None:
        info["provisionTimestamp"] = vdx_time(meeting.provisioned)
    return info


def hal(content: dict[str, Any]) -> Response[Any]:
    """VideoAPI answers are HAL documents (`application/hal+json` in the public OpenAPI)."""
    return Response(content=content, status_code=200, media_type=HAL_JSON)


def _base_url(request: Request[Any, Any, Any]) -> str:
    return str(request.base_url).rstrip("/")


def _store(request: Request[Any, Any, Any]) -> MeetingStore:
    store: MeetingStore = request.app.state.meetings
    return store


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
    store = _store(request)
    settings = request.app.state.settings
    now = datetime.now(UTC).replace(microsecond=0)
    meeting = Meeting(
        uuid=str(uuid.uuid4()),
        subject=fields["subject"],
        start=fields["start"],
        end=fields["end"],
        host_pin=fields["host_pin"],
        guest_pin=fields["guest_pin"],
        uri_with_domain=_new_alias(store, settings.alias_domain),
        short_id="".join(secrets.choice(string.ascii_lowercase) for _ in range(12)),
        created=now,
        available_before=settings.vdx_available_before,
        extra=fields["extra"],
        provision_after=time.time() + settings.vdx_provision_delay,
    )
    store.meetings[meeting.uuid] = meeting
    store.changed()
    await store.provision_due(now)  # without a provisioning delay: in the job's next round
    return hal(meeting_json(meeting, _base_url(request)))


@get("/v2/meetings/{meeting_uuid:str}", operation_id="GetMeeting")
async def get_meeting(request: Request[Any, Any, Any], meeting_uuid: str) -> Response[Any]:
    return hal(meeting_json(_store(request).get(meeting_uuid), _base_url(request)))


def _patch_awaiting(meeting: Meeting, body: dict[str, Any]) -> None:
    """Before provisioning every field of patch-meeting may change."""
    start = _parse_time(body, "startTime") if "startTime" in body else meeting.start
    end = _parse_time(body, "endTime") if "endTime" in body else meeting.end
    if end <= start:
        raise _bad("endTime must be after startTime")
    if "subject" in body:
        subject = body["subject"]
        if not isinstance(subject, str) or not subject.strip() or len(subject) > 100:
            raise _bad("subject must be 1 to 100 characters")
        meeting.subject = subject
    host_pin, guest_pin = _parse_pin(body, "hostPin"), _parse_pin(body, "guestPin")
    meeting.host_pin = host_pin if host_pin is not None else meeting.host_pin
    meeting.guest_pin = guest_pin if guest_pin is not None else meeting.guest_pin
    if meeting.host_pin == meeting.guest_pin:
        raise _bad("hostPin and guestPin must differ")
    meeting.start, meeting.end = start, end


@patch("/v2/meetings/{meeting_uuid:str}", operation_id="PatchMeeting")
async def patch_meeting(request: Request[Any, Any, Any], meeting_uuid: str) -> Response[Any]:
    """Once provisioned only endTime changes; an end time now or past ends the meeting."""
    store = _store(request)
    meeting = store.get(meeting_uuid)
    body = await _body(request)
    now = datetime.now(UTC).replace(microsecond=0)
    if meeting.provision_status == AWAITS_PROVISION:
        _patch_awaiting(meeting, body)
    elif meeting.provision_status == PROVISIONED_OK:
        if "endTime" in body:
            meeting.end = _parse_time(body, "endTime")
    else:
        raise VdxError(
            406,
            "Meeting must have status AWAITS_PROVISION (0) or PROVISIONED_OK (3) "
            "in order to be updated",
            code=12,
        )
    meeting.updated = now
    store.changed()
    if meeting.provision_status == PROVISIONED_OK and meeting.end <= now:
        # VDX ends it through the node's management API, which names it so.
        await store.end(meeting, "API initiated conference termination")
    await store.provision_due(now)
    return hal(meeting_json(meeting, _base_url(request)))


@delete("/v2/meetings/{meeting_uuid:str}", operation_id="DeleteMeeting", status_code=204)
async def delete_meeting(request: Request[Any, Any, Any], meeting_uuid: str) -> None:
    store = _store(request)
    meeting = store.get(meeting_uuid)
    if meeting.provision_status != AWAITS_PROVISION:
        raise VdxError(
            406, "Meeting must have status AWAITS_PROVISION (0) in order to be deleted", code=13
        )
    del store.meetings[meeting_uuid]
    store.changed()


@get("/v2/scheduling-info/{meeting_uuid:str}", operation_id="GetSchedulingInfo")
async def scheduling_info(request: Request[Any, Any, Any], meeting_uuid: str) -> Response[Any]:
    meeting = _store(request).get(meeting_uuid)
    direct_media = request.app.state.settings.direct_media
    return hal(scheduling_info_json(meeting, _base_url(request), direct_media))


@get("/v2/scheduling-templates", operation_id="GetSchedulingTemplates")
async def scheduling_templates(request: Request[Any, Any, Any]) -> Response[Any]:
    settings = request.app.state.settings
    template = {
        "id": DEFAULT_TEMPLATE_ID,
        "organisationId": settings.vdx_organisation,
        "conferencingSysId": 1,
        "uriPrefix": "",
        "uriDomain": settings.alias_domain,
        "hostPinRequired": True,
        "guestPinRequired": True,
        "vMRAvailableBefore": settings.vdx_available_before,
        "maxParticipants": 0,
        "endMeetingOnEndTime": False,
        "uriNumberRangeLow": 1_000_000,
        "uriNumberRangeHigh": 9_999_999,
        "ivrTheme": "10",
        "isDefaultTemplate": True,
        "isPoolTemplate": False,
        "directMedia": "best_effort" if settings.direct_media else "never",
    }
    return Response(content=[template], status_code=200, media_type=HAL_JSON)


def videoapi_router() -> Router:
    return Router(
        path="/videoapi",
        route_handlers=[
            create_meeting,
            get_meeting,
            patch_meeting,
            delete_meeting,
            scheduling_info,
            scheduling_templates,
        ],
        guards=[requires_keycloak_jwt],
        exception_handlers={VdxError: vdx_error_handler},
        tags=["VDX VideoAPI"],
    )
