"""Meetings API for case systems (EOJ backends): header X-API-Key picks the party."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.datastructures import CacheControlHeader
from litestar.openapi.spec import SecurityScheme
from litestar.params import PathParameter, RequestBody

from bff.auth.guards import requires_api_client
from bff.core.deps import Injected, provide
from bff.core.http import error_responses
from bff.meetings.deps import provide_meetings
from bff.meetings.models import MeetingCreate, MeetingCreated, MeetingOut
from bff.meetings.service import MeetingService
from bff.parties.deps import PARTY
from bff.parties.models import Party

API_KEY_SCHEME = {
    "bearer": SecurityScheme(
        type="http",
        scheme="bearer",
        bearer_format="JWT",
        description="An OAuth2 access token (JWT) from the party's identity provider, "
        "audience the party's api_audience, with the operation's scope (meetings:read, "
        "meetings:write, devices:read, devices:write, stats:read)",
    ),
    "apiKey": SecurityScheme(
        type="apiKey",
        name="X-API-Key",
        security_scheme_in="header",
        description="The party's Meetings API key (where static keys are switched on)",
    ),
}


ERRORS = {
    400: "Bad body: the reason names the field",
    401: "X-API-Key missing or unknown",
    404: "No such meeting (another party's, or cancelled)",
    429: "A booking or SMS limit was reached: see Retry-After",
    502: "VDX failed; nothing was stored",
}

MeetingId = Annotated[
    str, PathParameter(description="Meeting id from CreateMeeting", pattern=r"^[0-9a-f]{32}$")
]


class MeetingController(Controller):
    path = "/api/v1/meetings"
    tags = ["Meetings"]
    # An access token with meetings:read (GET) or meetings:write, or X-API-Key (an option).
    guards = [requires_api_client(read="meetings:read", write="meetings:write")]
    security = [{"bearer": []}, {"apiKey": []}]
    cache_control = CacheControlHeader(no_store=True)  # answers hold links and personal data
    dependencies = {"meetings": provide(provide_meetings), **PARTY}

    @post(
        operation_id="CreateMeeting",
        summary="Book a meeting and send guest links",
        description="Creates the VDX meeting (host and guest PIN stay in the BFF), one personal "
        "join link per guest, and sends the link by SMS where a phone is given. "
        "If the SMS fails the meeting stays booked: sms_sent=false, sms_error says "
        "why. If VDX fails: 502 and nothing is stored. Limits per party and per phone "
        "number answer 429 with Retry-After.",
        responses=error_responses(ERRORS, 400, 401, 429, 502),
    )
    async def create_meeting(
        self,
        data: RequestBody[MeetingCreate],
        party: Injected[Party],
        meetings: Injected[MeetingService],
    ) -> MeetingCreated:
        return await meetings.book(party, data)

    @get(
        "/{meeting_id:str}",
        operation_id="GetMeeting",
        summary="Read a meeting (no PINs)",
        responses=error_responses(ERRORS, 400, 401, 404),
    )
    async def get_meeting(
        self,
        meeting_id: MeetingId,
        party: Injected[Party],
        meetings: Injected[MeetingService],
    ) -> MeetingOut:
        return await meetings.read(party, meeting_id)

    @delete(
        "/{meeting_id:str}",
        operation_id="CancelMeeting",
        summary="Cancel: ends the VDX meeting; links and staff launches stop working",
        responses=error_responses(ERRORS, 400, 401, 404, 502),
    )
    async def cancel_meeting(
        self,
        meeting_id: MeetingId,
        party: Injected[Party],
        meetings: Injected[MeetingService],
    ) -> None:
        await meetings.cancel(party, meeting_id)
