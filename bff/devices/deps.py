"""The devices domain's dependencies (Litestar `Provide`; the channel's websocket calls them
with its socket). `running_devices` makes both while the app runs. A route that names a device
or a call in its path is given the record (`device`, `call`): the party's own, else 404."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.di import Provide
from litestar.params import FromPath, PathParameter

from bff.core.deps import Connection, Injected, kept, provide
from bff.core.errors import Conflict, Forbidden
from bff.devices.channel import DeviceHub
from bff.devices.models import Device, DeviceCall
from bff.devices.service import DeviceService
from bff.joins.service import SessionMeeting, meeting_of_session
from bff.parties.models import Party

DeviceIdParam = Annotated[str, PathParameter(description="Device id", pattern=r"^[0-9a-f]{32}$")]
CallIdParam = Annotated[str, PathParameter(description="Call id", pattern=r"^[0-9a-f]{32}$")]
MeetingIdParam = Annotated[
    str, PathParameter(description="Meeting id from CreateMeeting", pattern=r"^[0-9a-f]{32}$")
]


def provide_devices(request: Connection) -> DeviceService:
    return kept(request, "devices", DeviceService)


def provide_device_hub(request: Connection) -> DeviceHub:
    """This instance's side of the devices' channel (tells a device, wherever it is)."""
    return kept(request, "device_hub", DeviceHub)


DEPENDENCIES = {
    "devices": provide(provide_devices),
    "device_hub": provide(provide_device_hub),
}


async def provide_device(
    party: Injected[Party], device_id: DeviceIdParam, devices: Injected[DeviceService]
) -> Device:
    """The party's device `{device_id}` (another party's is 404, as an unknown one)."""
    return await devices.own(party, device_id)


async def provide_call(
    party: Injected[Party],
    meeting_id: MeetingIdParam,
    call_id: CallIdParam,
    devices: Injected[DeviceService],
) -> DeviceCall:
    """The party's call `{call_id}` into its meeting `{meeting_id}`."""
    return await devices.party_call(party, meeting_id, call_id)


RECORDS_IN_PATH = {"device": Provide(provide_device), "call": Provide(provide_call)}


async def provide_host_meeting(request: Request[Any, Any, Any]) -> SessionMeeting:
    """The session's party and meeting, when the session is a meeting's host (staff)."""
    return await meeting_of_session(
        request,
        role="host",
        refused=Forbidden("only the meeting's host may call devices"),
        over=Conflict("The meeting is over or cancelled"),
    )


async def provide_host_call(
    host: Injected[SessionMeeting], call_id: FromPath[str], devices: Injected[DeviceService]
) -> DeviceCall:
    """The call `{call_id}` the host made into its meeting."""
    return await devices.party_call(host.party, host.meeting.id, call_id)


HOST_AND_CALL = {"host": Provide(provide_host_meeting), "call": Provide(provide_host_call)}
