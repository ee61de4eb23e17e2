"""Staff launch, the session's meeting (clock, ending it for everyone), and leaving; a citizen's
GuestLink is redeemed by bff.joins.service for the app shell's link page (bff.shell)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery

from bff.core import store
from bff.core.deps import Injected, provide
from bff.core.errors import Forbidden, Gone, NotFound, Unauthenticated
from bff.core.http import error_responses
from bff.core.sealing import DataSealer, Pseudonymiser
from bff.core.security import new_token, staff_key
from bff.core.settings import Settings
from bff.core.store import SEAT
from bff.joins.launch import LEEWAY, verify_launch
from bff.joins.models import JoinGrant
from bff.joins.service import (
    SessionMeeting,
    check_open,
    end_browser_session,
    meeting_cipher,
    meeting_of_session,
    start_session,
)
from bff.joins.sessions import (
    BROWSER_SESSION,
    redirect_with_session,
    session_cookie,
)
from bff.meetings.deps import provide_vdx
from bff.meetings.overrun import MeetingClock, clock, cookie_seconds, end_now, extend_if_due
from bff.meetings.service import (
    get_meeting,
    remember_host_name,
    remember_host_staff,
)
from bff.meetings.vdx import VdxClient
from bff.ops.ratelimit import limit_launch
from bff.parties.deps import require_party
from bff.phonebook.refs import person_pseudonym

log = logging.getLogger("bff.joins")
ERRORS = {
    401: "No meeting session (no cookie, or it ended): open the meeting's link again",
    403: "The request came from another site (not the app's own pages)",
    410: "The meeting is over or cancelled",
    502: "VDX failed; the meeting goes on",
}
HOST_ERRORS = {**ERRORS, 403: "Not the meeting's host, or the request came from another site"}


async def _session_meeting(request: Request[Any, Any, Any]) -> SessionMeeting:
    return await meeting_of_session(
        request,
        refused=Unauthenticated("No meeting session: open the meeting's link again"),
        over=Gone("The meeting is over"),
    )


class JoinController(Controller):
    tags = ["Join"]
    dependencies = {"vdx": provide(provide_vdx)}

    # A case system's launch link: a redirect that sets the session cookie, or a Danish error
    # page; no API a program calls. (A citizen's SMS link is the app shell's: bff.shell.)
    @get("/{party_id:str}/launch", operation_id="LaunchStaff", include_in_schema=False)
    async def launch_staff(
        self,
        request: Request[Any, Any, Any],
        party_id: FromPath[str],
        redis: Injected[store.Redis],
        sealer: Injected[DataSealer],
        pseudonyms: Injected[Pseudonymiser],
        settings: Injected[Settings],
        token: FromQuery[str] = "",
    ) -> Response[Any]:
        party = require_party(request, party_id)
        await limit_launch(request)  # shared by every instance
        now = datetime.now(UTC)
        claims = verify_launch(party, token, now)
        meeting = await get_meeting(redis, claims.meeting_id)
        if meeting is None or meeting.party != party.id:
            raise NotFound(
                "Mødet i login-linket findes ikke hos " + party.name + ".",
                hint="Book mødet igen i fagsystemet.",
            )
        check_open(meeting, now, timedelta(days=365))
        jti_ttl = claims.exp - int(now.timestamp()) + LEEWAY
        if not await redis.set(f"{store.JTI}{party.id}:{claims.jti}", 1, nx=True, ex=jti_ttl):
            raise Unauthenticated(
                "Login-linket fra fagsystemet er allerede brugt.",
                hint="Åbn mødet igen fra fagsystemet for at få et nyt link.",
            )
        cipher = await meeting_cipher(redis, sealer, meeting)
        grant = JoinGrant.sealed(cipher, meeting.id, "host", claims.name, new_token())
        if claims.person is not None:  # the phonebook: the staff member's pseudonym
            grant.person = person_pseudonym(pseudonyms, claims.person)
        grant.treatment = claims.treatment
        if not meeting.host_name_sealed:
            await remember_host_name(redis, cipher, meeting.id, claims.name, now)
        if claims.host_staff_id and not meeting.host_staff:
            staff = staff_key(party.id, claims.host_staff_id)
            await remember_host_staff(redis, meeting.id, staff, now)
        sid = await start_session(request, party, meeting, grant, now)
        log.info("staff launch party=%s meeting=%s", party.id, meeting.id)
        cookie_ttl = cookie_seconds(meeting, party, now)
        return redirect_with_session(f"/{party.id}/", sid, cookie_ttl, settings)

    @post(
        "/api/session/heartbeat",
        operation_id="SessionHeartbeat",
        summary="This browser is in the call: the meeting's time",
        status_code=200,
        security=BROWSER_SESSION,
        responses=error_responses(ERRORS, 401, 403, 410),
    )
    async def heartbeat(
        self,
        request: Request[Any, Any, Any],
        redis: Injected[store.Redis],
        settings: Injected[Settings],
        vdx: Injected[VdxClient],
    ) -> MeetingClock:
        """The browser is in the call: near the end the meeting runs over (bff.meetings.overrun);
        the answer says until when it now lasts and how far it may still go."""
        party, session, meeting = await _session_meeting(request)
        if await redis.exists(SEAT + session.grant.seat):  # seated: really in the call
            meeting = await extend_if_due(
                redis,
                vdx,
                party,
                meeting,
                datetime.now(UTC),
                settings.meetings.overrun_step,
                settings.meetings.overrun_lead,
            )
        return clock(meeting, party, settings.meetings.overrun_lead)

    @post(
        "/api/session/end-meeting",
        operation_id="EndMeetingForAll",
        summary="End the meeting for everyone (its host)",
        status_code=204,
        security=BROWSER_SESSION,
        responses=error_responses(HOST_ERRORS, 401, 403, 410, 502),
    )
    async def end_meeting(
        self,
        request: Request[Any, Any, Any],
        redis: Injected[store.Redis],
        vdx: Injected[VdxClient],
    ) -> None:
        """The host ends the meeting for everyone, also at VDX: its links stop working."""
        party, session, meeting = await _session_meeting(request)
        if session.grant.role != "host":
            raise Forbidden("Only the meeting's host may end it for everyone")
        await end_now(redis, vdx, meeting, datetime.now(UTC))
        log.info("meeting ended by its host party=%s meeting=%s", party.id, meeting.id)

    @delete(
        "/api/session",
        operation_id="EndSession",
        summary="Leave: this browser's meeting session ends (none: nothing to end)",
        status_code=204,
        security=[*BROWSER_SESSION, {}],  # without a session too: 204
        responses={
            # Response[None] (it clears the cookie) is still no content: no JSON body.
            204: ResponseSpec(None, description="Left, or nothing to leave; the cookie is cleared"),
            **error_responses(ERRORS, 403),
        },
    )
    async def leave(
        self, request: Request[Any, Any, Any], settings: Injected[Settings]
    ) -> Response[None]:
        await end_browser_session(request)
        return Response(None, status_code=204, cookies=[session_cookie(settings, "", 0)])
