"""Citizen GuestLink redemption, staff launch, and leaving (ending the session)."""

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
from bff.core.sealing import DataSealer, Pseudonymiser, SealError
from bff.core.security import new_token, sha256_hex, staff_key
from bff.core.settings import Settings
from bff.core.store import SEAT
from bff.joins.launch import LEEWAY, verify_launch
from bff.joins.models import JoinGrant, Session
from bff.joins.service import (
    ASK_SENDER,
    SessionMeeting,
    check_open,
    end_browser_session,
    meeting_cipher,
    meeting_of_session,
    release_ended,
    start_session,
)
from bff.joins.sessions import (
    BROWSER_SESSION,
    cookie_sid,
    create_link_session,
    end_session,
    end_session_ref,
    redirect_with_session,
    session_cookie,
)
from bff.meetings.deps import provide_vdx
from bff.meetings.overrun import MeetingClock, clock, cookie_seconds, end_now, extend_if_due
from bff.meetings.service import (
    decode_guest_link,
    get_meeting,
    meeting_and_key,
    remember_host_name,
    remember_host_staff,
    ttl_seconds,
)
from bff.meetings.vdx import VdxClient
from bff.ops.ratelimit import RedeemLimits, limit_launch
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
    tags = ["Join"]  # noqa: RUF012
    dependencies = {"vdx": provide(provide_vdx)}  # noqa: RUF012

    # Pages (a citizen's SMS link, a case system's launch link): a redirect that sets the
    # session cookie, or a Danish error page; no API a program calls.
    @get("/{party_id:str}/j/{token:str}", operation_id="RedeemGuestLink", include_in_schema=False)
    async def redeem_guest_link(
        self,
        request: Request[Any, Any, Any],
        party_id: FromPath[str],
        token: FromPath[str],
        redis: Injected[store.Redis],
        sealer: Injected[DataSealer],
        settings: Injected[Settings],
    ) -> Response[Any]:
        party = require_party(request, party_id)
        digest = sha256_hex(token)
        limits = RedeemLimits(request, digest)  # shared by every instance
        async with redis.pipeline(transaction=False) as pipe:  # one round trip for the three
            limits.queue(pipe)
            pipe.get(store.GUEST_LINK + digest)
            *counts, raw_link = await pipe.execute()
        limits.check(counts)
        link = decode_guest_link(raw_link) if 16 <= len(token) <= 64 else None
        if link is None or link.party != party.id:  # another party's link: as unknown here
            raise NotFound(
                "Linket findes ikke.",
                hint="Tjek, at du har brugt hele linket fra din SMS. " + ASK_SENDER,
                key="link.unknown",
            )
        now = datetime.now(UTC)
        opens_before = timedelta(minutes=party.options.link_opens_minutes_before)
        found, cipher = await meeting_and_key(redis, sealer, link.meeting_id)
        meeting = check_open(found, now, opens_before)
        ttl = ttl_seconds(meeting.end, now)
        if cipher is None:  # over, or sealed under a data key this installation no longer has
            raise Gone("Linket virker ikke længere.", hint=ASK_SENDER, key="link.broken")
        try:
            name = link.display_name(cipher)
        except SealError:
            raise Gone("Linket virker ikke længere.", hint=ASK_SENDER, key="link.broken") from None
        seat = sha256_hex("seat:" + digest)  # the link's one seat, however often it is redeemed
        grant = JoinGrant.sealed(cipher, meeting.id, "guest", name, seat)
        grant.person = link.person  # the phonebook: the guest's pseudonym, if booked with one
        # A fresh session id for every redemption (no fixation); the browser's old one ends,
        # and so does the session (and the seat) a previous redemption of the link held.
        await release_ended(request, await end_session(redis, cookie_sid(request, settings)))
        session = Session(party=party.id, grant=grant)
        sid, previous = await create_link_session(redis, session, ttl, digest)
        if previous:
            await release_ended(request, await end_session_ref(redis, previous))
        log.info("guest link redeemed party=%s meeting=%s", party.id, meeting.id)
        cookie_ttl = cookie_seconds(meeting, party, now)
        return redirect_with_session(f"/{party.id}/", sid, cookie_ttl, settings)

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
                redis, vdx, party, meeting, datetime.now(UTC),
                settings.meetings.overrun_step, settings.meetings.overrun_lead,
            )  # fmt: skip
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
