"""The staff portal's API (`/{party}/staff`): who is logged in, the party's meetings of a day,
book one, open it as host, cancel it, log out. Authorised by the staff login's cookie
(bff.auth.guards: role `staff` of the path's party); unsafe requests also carry the login's
CSRF token in X-CSRF-Token and come from the app's own origin."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromQuery, PathParameter, RequestBody

from bff import store
from bff.auth.guards import requires_staff, requires_staff_login
from bff.auth.login import end_host_grants, end_session_url
from bff.auth.sessions import StaffSession, end_staff_session, remember_grant, staff_cookie
from bff.errors import InvalidInput, NotFound
from bff.joins.controller import _check_open, _meeting_cipher, _replace_session
from bff.joins.models import JoinGrant, Session
from bff.joins.sessions import session_cookie, session_ref
from bff.meetings.controller import provide_meetings
from bff.meetings.keys import open_meeting_key
from bff.meetings.models import GuestLink, Meeting, MeetingCreate, MeetingStatus
from bff.meetings.overrun import cookie_seconds
from bff.meetings.service import COPENHAGEN, get_meeting, remember_host_name, ttl_seconds
from bff.parties.models import Party
from bff.sealing import SealError
from bff.security import new_token

log = logging.getLogger("bff.staff")
NO_STORE = CacheControlHeader(no_store=True)
MeetingId = Annotated[str, PathParameter(pattern=r"^[0-9a-f]{32}$")]


class StaffSessionOut(msgspec.Struct):
    party: str
    party_name: str
    name: str
    roles: list[str]
    csrf_token: str
    expires_at: datetime
    idle_timeout_seconds: int


class StaffMeeting(msgspec.Struct):
    id: str
    subject: str
    start: datetime
    end: datetime
    status: MeetingStatus
    opens_at: datetime
    guests: list[str]  # the guests' names (empty once cancelled: they are deleted)


class StaffDay(msgspec.Struct):
    day: date
    meetings: list[StaffMeeting]


class HostOut(msgspec.Struct):
    url: str


class LogoutOut(msgspec.Struct):
    logout_url: str | None


def _day_bounds(day: date) -> tuple[float, float]:
    start = datetime(day.year, day.month, day.day, tzinfo=COPENHAGEN)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=COPENHAGEN)
    return start.timestamp(), end.timestamp()


async def _guest_names(request: Request, meeting: Meeting) -> list[str]:
    state = request.app.state
    cipher = await open_meeting_key(state.redis, state.sealer, meeting.id)
    if cipher is None or not meeting.guest_links:
        return []
    raws = await state.redis.mget([store.GUEST_LINK + d for d in meeting.guest_links])
    names = []
    for raw in raws:
        if raw is None:
            continue
        try:
            names.append(msgspec.json.decode(raw, type=GuestLink).display_name(cipher))
        except (msgspec.ValidationError, SealError):
            continue
    return names


async def _out(request: Request, party: Party, meeting: Meeting) -> StaffMeeting:
    opens_before = timedelta(minutes=party.options.link_opens_minutes_before)
    return StaffMeeting(
        id=meeting.id,
        subject=meeting.subject,
        start=meeting.start,
        end=meeting.end,
        status=meeting.status_at(datetime.now(UTC)),
        opens_at=meeting.opens_at(opens_before),
        guests=await _guest_names(request, meeting),
    )


async def _own_meeting(request: Request, party: Party, meeting_id: str) -> Meeting:
    meeting = await get_meeting(request.app.state.redis, meeting_id)
    if meeting is None or meeting.party != party.id:
        raise NotFound("No such meeting")
    return meeting


class StaffController(Controller):
    path = "/api/staff/v1/parties/{party_id:str}"
    tags = ["Staff portal"]  # noqa: RUF012
    include_in_schema = False  # the portal's own API (cookie and CSRF token), not a contract
    cache_control = NO_STORE

    @get("/session", guards=[requires_staff_login], operation_id="StaffSession")
    async def session(self, request: Request) -> StaffSessionOut:
        party: Party = request.state.party
        login: StaffSession = request.state.staff
        settings = request.app.state.settings
        return StaffSessionOut(
            party=party.id,
            party_name=party.name,
            name=login.name(request.app.state.sealer, request.state.staff_ref),
            roles=login.roles,
            csrf_token=login.csrf,
            expires_at=datetime.fromtimestamp(login.expires, UTC),
            idle_timeout_seconds=settings.staff_idle_timeout,
        )

    @post("/logout", guards=[requires_staff_login], operation_id="StaffLogout", status_code=200)
    async def logout(self, request: Request) -> Response[LogoutOut]:
        """Ends the login here and names the broker's end-session URL (RP-initiated logout)."""
        party: Party = request.state.party
        await end_staff_session(request.app.state.redis, request.state.staff_ref)
        await end_host_grants(request, request.state.staff_ref)  # its meetings as host too
        url = await end_session_url(request, party, party.oidc) if party.oidc else None
        log.info("staff logout party=%s", party.id)
        settings = request.app.state.settings
        return Response(LogoutOut(logout_url=url), cookies=[staff_cookie(settings, "", clear=True)])

    @get("/meetings", guards=[requires_staff], operation_id="StaffListMeetings")
    async def list_meetings(self, request: Request, day: FromQuery[date | None] = None) -> StaffDay:
        """The party's meetings starting on `day` (Danish time; default today), by start."""
        party: Party = request.state.party
        day = day or datetime.now(COPENHAGEN).date()
        low, high = _day_bounds(day)
        redis: store.Redis = request.app.state.redis
        ids = await redis.zrangebyscore(store.PARTY_MEETINGS + party.id, low, f"({high}")
        meetings = []
        for raw_id in ids[:500]:
            meeting = await get_meeting(redis, raw_id.decode())
            if meeting is not None and meeting.party == party.id:
                meetings.append(await _out(request, party, meeting))
        meetings.sort(key=lambda m: m.start)
        return StaffDay(day=day, meetings=meetings)

    @post("/meetings", guards=[requires_staff], operation_id="StaffBookMeeting",
          request_max_body_size=16 * 1024)  # fmt: skip
    async def book(self, request: Request, data: RequestBody[MeetingCreate]) -> StaffMeeting:
        """Book as the party's case systems do (the same rules and limits); the guests'
        links go by SMS. Without a `host_name` the logged-in staff member hosts it: her name is
        what the guests read while they wait."""
        party: Party = request.state.party
        if data.host_name is None:
            login: StaffSession = request.state.staff
            data.host_name = login.name(request.app.state.sealer, request.state.staff_ref) or None
        created = await provide_meetings(request).book(party, data)
        log.info("staff booked party=%s meeting=%s", party.id, created.id)
        return await _out(request, party, await _own_meeting(request, party, created.id))

    @delete("/meetings/{meeting_id:str}", guards=[requires_staff], operation_id="StaffCancel")
    async def cancel(self, request: Request, meeting_id: MeetingId) -> None:
        party: Party = request.state.party
        await provide_meetings(request).cancel(party, meeting_id)

    @post("/meetings/{meeting_id:str}/host", guards=[requires_staff], operation_id="StaffHost",
          status_code=200)  # fmt: skip
    async def open_as_host(self, request: Request, meeting_id: MeetingId) -> Response[HostOut]:
        """A host grant for the logged-in staff member, made here (as the EOJ launch makes
        one): the meeting's join cookie is set; the portal then opens `url`."""
        party: Party = request.state.party
        meeting = await _own_meeting(request, party, meeting_id)
        now = datetime.now(UTC)
        _check_open(meeting, now, timedelta(days=365))
        if meeting.status != "scheduled":
            raise InvalidInput("The meeting is cancelled")
        state = request.app.state
        cipher = await _meeting_cipher(state, meeting)
        login: StaffSession = request.state.staff
        logged_in_as = login.name(state.sealer, request.state.staff_ref)
        name = logged_in_as or "Medarbejder"
        grant = JoinGrant.sealed(cipher, meeting.id, "host", name, new_token())
        if logged_in_as and not meeting.host_name_sealed:  # as the EOJ launch does
            await remember_host_name(state.redis, cipher, meeting.id, logged_in_as, now)
        ttl = ttl_seconds(meeting.end, now)
        sid = await _replace_session(request, Session(party=party.id, grant=grant), ttl)
        # The host session ends with this login (logout, back-channel logout).
        await remember_grant(state.redis, state.settings, request.state.staff_ref, session_ref(sid))
        log.info("staff host party=%s meeting=%s", party.id, meeting.id)
        cookie_ttl = cookie_seconds(meeting, party, now)  # a call may run over
        return Response(
            HostOut(url=f"/{party.id}/"), cookies=[session_cookie(state.settings, sid, cookie_ttl)]
        )
