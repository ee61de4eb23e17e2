"""Devices: the party admin's enrolment and registry, the party API (X-API-Key), the staff
view's calls (the host's session cookie), and the device's own endpoints (its signed JWTs)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, WebSocket, delete, get, patch, post, websocket
from litestar.datastructures import CacheControlHeader
from litestar.params import QueryParameter, RequestBody

from bff.auth.deps import PARTY_ADMIN
from bff.auth.guards import PartyAdminController, requires_api_client
from bff.core import store
from bff.core.deps import Injected, provide_settings
from bff.core.errors import (
    Conflict,
    NotFound,
    Unauthenticated,
)
from bff.core.http import error_responses, required_bearer
from bff.core.sealing import DataSealer
from bff.core.security import from_own_origin, origin_of, sha256_hex
from bff.core.settings import Settings
from bff.devices import guesses
from bff.devices.channel import DeviceHub, serve
from bff.devices.deps import (
    DEPENDENCIES,
    HOST_AND_CALL,
    RECORDS_IN_PATH,
    CallIdParam,
    MeetingIdParam,
    provide_device_hub,
)
from bff.devices.models import (
    Device,
    DeviceCall,
    DeviceCallIn,
    DeviceCallOut,
    DeviceOut,
    DevicePatch,
    EnrolIn,
    EnrolmentCreate,
    EnrolmentOut,
    EnrolOut,
    FromDevicePage,
    GrantOut,
    MessageIn,
    MessageQueued,
    PendingMessage,
)
from bff.devices.service import DeviceService, check_joinable, valid_id
from bff.devices.tokens import normalise_code, public_jwk
from bff.joins.models import JoinGrant
from bff.joins.service import SessionMeeting, start_session
from bff.joins.sessions import BROWSER_SESSION, session_cookie
from bff.meetings.keys import open_meeting_key
from bff.meetings.overrun import cookie_seconds
from bff.meetings.service import get_meeting
from bff.ops.ratelimit import client_address
from bff.parties.deps import PARTY
from bff.parties.models import Party

NO_STORE = CacheControlHeader(no_store=True)

AfterParam = Annotated[
    str | None,
    QueryParameter(
        description="`next` of the page before (a stream id); none: from the oldest kept",
        pattern=r"^[0-9]{1,15}-[0-9]{1,15}$",
    ),
]
LimitParam = Annotated[int, QueryParameter(ge=1, le=500, description="1..500")]
ERRORS = {
    400: "Bad body: the reason names the field",
    401: "Key missing or unknown",
    403: "Not allowed",
    404: "No such device, meeting or call (or another party's)",
    409: "The device is disabled or already ringing, the call no longer rings, or the meeting "
    "is over, cancelled or not open yet",
    413: "Body too large",
    429: "The device's queue is full: see Retry-After",
}


STAFF_ERRORS = {
    **ERRORS,
    403: "No meeting session of a host (no cookie, a guest's), or the request came from "
    "another site",
    409: "The meeting is over or cancelled, the device is disabled or already ringing, or "
    "the call no longer rings",
}


# -- the party's admin (X-Admin-Key) ----------------------------------------------------------


class DeviceAdminController(PartyAdminController):
    """Enrol, list, rename, disable and revoke the party's devices."""

    path = "/api/v1/parties/{party_id:str}"
    tags = ["Devices (admin)"]
    dependencies = DEPENDENCIES | PARTY_ADMIN | RECORDS_IN_PATH

    @post(
        "/device-enrolments",
        operation_id="CreateDeviceEnrolment",
        summary="A one-time enrolment code (15 minutes) and its QR code",
        description="Open the device page `/{party}/device` on the tablet and type the code, "
        "or scan the QR code (it opens that page with the code). The code works once.",
        responses=error_responses(ERRORS, 400, 401, 403, 404, 413),
    )
    async def create_enrolment(
        self,
        party: Injected[Party],
        data: RequestBody[EnrolmentCreate],
        devices: Injected[DeviceService],
        settings: Injected[Settings],
        admin: Injected[str],
    ) -> EnrolmentOut:
        public_url = settings.serving.public_url
        return await devices.new_enrolment(party, data.label, admin, public_url)

    @get(
        "/devices",
        operation_id="AdminListDevices",
        summary="The party's devices",
        responses=error_responses(ERRORS, 400, 401, 403, 404),
    )
    async def list_devices(
        self, party: Injected[Party], devices: Injected[DeviceService]
    ) -> list[DeviceOut]:
        return await devices.list_devices(party)

    @patch(
        "/devices/{device_id:str}",
        operation_id="UpdateDevice",
        summary="Rename, disable or enable a device",
        description="A disabled device is refused and its connection closed until enabled.",
        responses=error_responses(ERRORS, 400, 401, 403, 404, 413),
    )
    async def update_device(
        self,
        device: Injected[Device],
        data: RequestBody[DevicePatch],
        devices: Injected[DeviceService],
        device_hub: Injected[DeviceHub],
    ) -> DeviceOut:
        label = data.label if isinstance(data.label, str) else None
        enabled = data.enabled if isinstance(data.enabled, bool) else None
        await devices.update(device, label, enabled)
        if not device.enabled:
            await device_hub.notify(device.id, "disabled")
        return await devices.out(device)

    @delete(
        "/devices/{device_id:str}",
        operation_id="RevokeDevice",
        summary="Revoke a device: refused at once on every instance, its connection closed",
        responses=error_responses(ERRORS, 400, 401, 403, 404),
    )
    async def revoke_device(
        self, device: Injected[Device], device_hub: Injected[DeviceHub]
    ) -> None:
        await device_hub.devices.revoke(device)
        await device_hub.notify(device.id, "revoked")


# -- the party's systems (X-API-Key) ----------------------------------------------------------


class DeviceApiController(Controller):
    """Devices for case systems: list, send documents, read what devices sent, call one."""

    path = "/api/v1"
    tags = ["Devices"]
    guards = [requires_api_client(read="devices:read", write="devices:write")]
    security = [{"bearer": []}, {"apiKey": []}]
    cache_control = NO_STORE
    dependencies = DEPENDENCIES | PARTY | RECORDS_IN_PATH

    @get(
        "/devices",
        operation_id="ListDevices",
        summary="The party's devices: online, battery, app version, last seen",
        responses=error_responses(ERRORS, 400, 401),
    )
    async def list_devices(
        self, party: Injected[Party], devices: Injected[DeviceService]
    ) -> list[DeviceOut]:
        return await devices.list_devices(party)

    @get(
        "/devices/{device_id:str}",
        operation_id="GetDevice",
        responses=error_responses(ERRORS, 400, 401, 404),
    )
    async def get_device(
        self, device: Injected[Device], devices: Injected[DeviceService]
    ) -> DeviceOut:
        return await devices.out(device)

    @post(
        "/devices/{device_id:str}/messages",
        operation_id="SendDeviceMessage",
        summary="Send a JSON document to a device",
        description="Delivered at once when the device is online, else when it comes back "
        "(in order, each exactly once to its app), until `ttl_seconds` runs out. At most 100 "
        "wait per device (then 429).",
        status_code=202,
        responses=error_responses(ERRORS, 400, 401, 404, 413, 429),
    )
    async def send_message(
        self,
        device: Injected[Device],
        data: RequestBody[MessageIn],
        devices: Injected[DeviceService],
        device_hub: Injected[DeviceHub],
    ) -> MessageQueued:
        message_id, expires = await devices.enqueue(device, data.body, data.ttl_seconds)
        online = await device_hub.notify(device.id, "message")
        return MessageQueued(id=message_id, expires_at=expires, device_online=online)

    @get(
        "/devices/{device_id:str}/messages",
        operation_id="ListWaitingDeviceMessages",
        summary="Messages still waiting for the device (not yet acknowledged)",
        responses=error_responses(ERRORS, 400, 401, 404),
    )
    async def waiting_messages(
        self, device: Injected[Device], devices: Injected[DeviceService]
    ) -> list[PendingMessage]:
        return await devices.waiting(device)

    @get(
        "/device-messages",
        operation_id="ListMessagesFromDevices",
        summary="Documents the party's devices sent (kept 7 days); also POSTed to the webhook",
        responses=error_responses(ERRORS, 400, 401),
    )
    async def from_devices(
        self,
        party: Injected[Party],
        devices: Injected[DeviceService],
        after: AfterParam = None,
        limit: LimitParam = 100,
    ) -> FromDevicePage:
        return await devices.received(party, after, limit)

    @post(
        "/meetings/{meeting_id:str}/device-calls",
        operation_id="CallDevice",
        summary="Call a device into the meeting: it rings and joins as a guest when answered",
        responses=error_responses(ERRORS, 400, 401, 404, 409, 413),
    )
    async def call_device(
        self,
        party: Injected[Party],
        meeting_id: MeetingIdParam,
        data: RequestBody[DeviceCallIn],
        device_hub: Injected[DeviceHub],
    ) -> DeviceCallOut:
        call = await device_hub.ring(party, meeting_id, data.device_id, party.name)
        return call.out(datetime.now(UTC))

    @get(
        "/meetings/{meeting_id:str}/device-calls/{call_id:str}",
        operation_id="GetDeviceCall",
        summary="ringing, answered, declined, no-answer or cancelled",
        responses=error_responses(ERRORS, 400, 401, 404),
    )
    async def get_call(self, call: Injected[DeviceCall]) -> DeviceCallOut:
        return call.out(datetime.now(UTC))

    @delete(
        "/meetings/{meeting_id:str}/device-calls/{call_id:str}",
        operation_id="CancelDeviceCall",
        summary="Stop a call that still rings",
        responses=error_responses(ERRORS, 400, 401, 404, 409),
    )
    async def cancel_call(
        self, call: Injected[DeviceCall], device_hub: Injected[DeviceHub]
    ) -> None:
        await device_hub.hang_up(call)


# -- the staff view (the host's session cookie, same origin) ----------------------------------


class StaffDeviceController(Controller):
    """Behind the staff view's "Ring til en enhed": the host's session, from the app's pages
    (RequestGuard refuses cross-site state changes that carry the cookie)."""

    path = "/api/staff/v1"
    tags = ["Devices (the meeting's host)"]
    security = BROWSER_SESSION  # a host's; without one: 403 (not 401), as the `host` says
    cache_control = NO_STORE
    dependencies = DEPENDENCIES | HOST_AND_CALL

    @get(
        "/devices",
        operation_id="StaffListDevices",
        summary="The party's devices, for the meeting's host to call",
        responses=error_responses(STAFF_ERRORS, 403, 409),
    )
    async def list_devices(
        self, host: Injected[SessionMeeting], devices: Injected[DeviceService]
    ) -> list[DeviceOut]:
        return await devices.list_devices(host.party)

    @post(
        "/device-calls",
        operation_id="StaffCallDevice",
        summary="Ring a device into the host's meeting",
        status_code=201,
        responses=error_responses(STAFF_ERRORS, 400, 403, 404, 409, 413),
    )
    async def call_device(
        self,
        host: Injected[SessionMeeting],
        data: RequestBody[DeviceCallIn],
        redis: Injected[store.Redis],
        sealer: Injected[DataSealer],
        device_hub: Injected[DeviceHub],
    ) -> DeviceCallOut:
        party, session, meeting = host
        cipher = await open_meeting_key(redis, sealer, meeting.id)
        caller = session.grant.display_name(cipher) if cipher else party.name
        call = await device_hub.ring(party, meeting.id, data.device_id, caller)
        return call.out(datetime.now(UTC))

    @get(
        "/device-calls/{call_id:str}",
        operation_id="StaffGetDeviceCall",
        summary="A call the host made: does it still ring?",
        responses=error_responses(STAFF_ERRORS, 403, 404, 409),
    )
    async def get_call(self, call: Injected[DeviceCall]) -> DeviceCallOut:
        return call.out(datetime.now(UTC))

    @delete(
        "/device-calls/{call_id:str}",
        operation_id="StaffCancelDeviceCall",
        summary="Stop ringing",
        responses=error_responses(STAFF_ERRORS, 403, 404, 409),
    )
    async def cancel_call(
        self, call: Injected[DeviceCall], device_hub: Injected[DeviceHub]
    ) -> None:
        await device_hub.hang_up(call)


# -- the device itself (its enrolment code, then its own signed JWTs) --------------------------


class DeviceSelfController(Controller):
    """What the device's page calls: enrol once, then answer or decline calls."""

    path = "/api/device/v1"
    tags = ["Devices (the device itself)"]
    cache_control = NO_STORE
    dependencies = DEPENDENCIES

    @post(
        "/enrol",
        operation_id="EnrolDevice",
        summary="Enrol this device with a one-time code and its new public key",
        status_code=201,
        responses=error_responses(ERRORS, 400, 401, 413, 429),
    )
    async def enrol(
        self,
        request: Request[Any, Any, Any],
        data: RequestBody[EnrolIn],
        parties: Injected[dict[str, Party]],
        redis: Injected[store.Redis],
        devices: Injected[DeviceService],
    ) -> EnrolOut:
        party = parties.get(data.party)
        keys = guesses.guess_keys(data.party, client_address(request), normalise_code(data.code))
        await guesses.count_try(redis, keys)
        if party is None:
            raise Unauthenticated("Koden er forkert eller udløbet.")
        enrolled = await devices.enrol(party, data.code, public_jwk(data.public_key), data.proof)
        await guesses.give_back(redis, keys)
        return enrolled

    @post(
        "/calls/{call_id:str}/answer",
        operation_id="AnswerDeviceCall",
        status_code=200,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 409),
    )
    async def answer(
        self,
        request: Request[Any, Any, Any],
        call_id: CallIdParam,
        settings: Injected[Settings],
        parties: Injected[dict[str, Party]],
        redis: Injected[store.Redis],
        sealer: Injected[DataSealer],
        device_hub: Injected[DeviceHub],
    ) -> Response[GrantOut]:
        """Join the call's meeting as a guest: a session cookie on this origin whose grant
        holds one seat (the device's in that meeting). No PIN reaches the device."""
        devices = device_hub.devices
        device = await devices.authenticate(required_bearer(request, "device token"))
        call = await devices.call(call_id) if valid_id(call_id) else None
        if call is None or call.device_id != device.id:
            raise NotFound("No such call")
        party = parties.get(device.party)
        meeting = await get_meeting(redis, call.meeting_id)
        now = datetime.now(UTC)
        if party is None or meeting is None:
            raise Conflict("The meeting is over or cancelled")
        check_joinable(meeting, party, now)
        cipher = await open_meeting_key(redis, sealer, meeting.id)
        if cipher is None:
            raise Conflict("The meeting is over or cancelled")
        await devices.settle(call.id, "answered", device.id)
        name = devices.label(device)
        seat = sha256_hex(f"device-seat:{device.id}:{meeting.id}")
        grant = JoinGrant.sealed(cipher, meeting.id, "guest", name, seat)
        sid = await start_session(request, party, meeting, grant, now)
        await device_hub.notify(device.id, "ring-end", call=call.id, status="answered")
        body = GrantOut(
            role="guest",
            displayName=name,
            conferenceAlias=meeting.alias,
            meeting=meeting.info(),
            caller=devices.caller(call) or None,
        )
        cookie_ttl = cookie_seconds(meeting, party, now)  # a call may run over
        return Response(body, cookies=[session_cookie(settings, sid, cookie_ttl)])

    @post(
        "/calls/{call_id:str}/decline",
        operation_id="DeclineDeviceCall",
        status_code=204,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 409),
    )
    async def decline(
        self,
        request: Request[Any, Any, Any],
        call_id: CallIdParam,
        device_hub: Injected[DeviceHub],
    ) -> None:
        device = await device_hub.devices.authenticate(required_bearer(request, "device token"))
        call = await device_hub.devices.settle(call_id, "declined", device.id)
        await device_hub.notify(device.id, "ring-end", call=call.id, status="declined")


@websocket("/api/device/v1/channel", include_in_schema=False)
async def device_channel(socket: WebSocket[Any, Any, Any]) -> None:
    """The device's one connection (see bff.devices.channel for the protocol). A page on
    another site may not open it (a device's key signs its hello, but no need to try)."""
    settings = provide_settings(socket)
    origin, host = socket.headers.get("origin"), socket.headers.get("host")
    own = origin_of(settings.serving.public_url)
    if not from_own_origin(origin, None, host, own, socket.scope.get("scheme")):
        await socket.close(code=4403, reason="cross-site connection refused")
        return
    await serve(socket, provide_device_hub(socket))
