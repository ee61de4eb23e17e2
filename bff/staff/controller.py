"""The staff portal's API (`/{party}/staff`): who is logged in, her meetings of a day (hers,
her team's, or for a `scheduler` the party's), book one, open it as host, cancel it, log out.
Authorised by the staff login's cookie (bff.auth.guards: role `staff` of the path's party);
opening and cancelling also need the meeting to be hers, or role `scheduler`. Unsafe requests
also carry the login's CSRF token in X-CSRF-Token and come from the app's own origin."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal, cast

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import CacheControlHeader
from litestar.params import FromQuery, PathParameter, QueryParameter, RequestBody

from bff.auth.deps import STAFF_LOGIN
from bff.auth.guards import requires_staff, requires_staff_login
from bff.auth.idp import Issuers
from bff.auth.login import end_host_grants, end_session_url
from bff.auth.sessions import (
    STAFF_READ,
    STAFF_WRITE,
    Role,
    StaffLogin,
    StaffSession,
    end_staff_session,
    remember_grant,
    staff_cookie,
)
from bff.core import store
from bff.core.deps import Injected, provide
from bff.core.errors import Forbidden, InvalidInput, NotFound
from bff.core.http import error_responses
from bff.core.sealing import DataSealer, Sealer, SealError
from bff.core.security import new_token
from bff.core.settings import Settings
from bff.joins.models import JoinGrant
from bff.joins.service import check_open, meeting_cipher, start_session
from bff.joins.sessions import session_cookie, session_ref
from bff.meetings.deps import provide_meetings
from bff.meetings.keys import unwrap_meeting_key
from bff.meetings.models import COPENHAGEN, GuestLink, Meeting, MeetingCreate, MeetingStatus
from bff.meetings.overrun import cookie_seconds
from bff.meetings.service import (
    MeetingService,
    get_meeting,
    remember_host_name,
    staff_day_key,
    team_day_key,
)
from bff.parties.deps import PARTY
from bff.parties.models import Party

log = logging.getLogger("bff.staff")
NO_STORE = CacheControlHeader(no_store=True)
MeetingId = Annotated[
    str, PathParameter(description="A meeting id (StaffListMeetings)", pattern=r"^[0-9a-f]{32}$")
]
ERRORS = {
    400: "A parameter or the body is not as documented: the reason names it",
    401: "No staff login (or it has timed out or ended): log in at /{party}/staff/login",
    403: "The login is another party's or lacks the role (`staff`; `scheduler` for the "
    "party's day), the team is not hers, X-CSRF-Token is missing or wrong, or the request "
    "came from another site",
    404: "No such party, or no such meeting at it",
    410: "The meeting is over or cancelled",
    413: "Body too large",
    425: "The meeting's room is not ready yet: see the reason for when it opens",
    429: "A booking or SMS limit was reached: see Retry-After",
    502: "VDX failed; nothing was changed",
}
SESSION_ERRORS = {
    **ERRORS,
    403: "The login is another party's, X-CSRF-Token is missing or wrong, or the request "
    "came from another site",
}


Scope = Literal["mine", "team", "party"]
MAX_DAY = 500


class StaffSessionOut(msgspec.Struct):
    party: str
    party_name: str
    name: str
    roles: list[Role]
    teams: list[str]
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
    guests: list[str]  # the guests' names, only where shown (empty once cancelled: deleted)
    guest_count: int
    mine: bool  # hers: she hosts or booked it (she may open and cancel it)
    team: str | None


class StaffDay(msgspec.Struct):
    day: date
    scope: Scope
    meetings: list[StaffMeeting]


class HostOut(msgspec.Struct):
    url: str


class LogoutOut(msgspec.Struct):
    logout_url: str | None


def _day_bounds(day: date) -> tuple[float, float]:
    start = datetime(day.year, day.month, day.day, tzinfo=COPENHAGEN)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=COPENHAGEN)
    return start.timestamp(), end.timestamp()


def _may_manage(login: StaffSession, meeting: Meeting) -> bool:
    """Open and cancel: her own meetings; every meeting of the party for a scheduler."""
    return "scheduler" in login.roles or meeting.belongs_to(login.staff_key)


def _out(party: Party, meeting: Meeting, login: StaffSession, names: list[str]) -> StaffMeeting:
    opens_before = timedelta(minutes=party.options.link_opens_minutes_before)
    return StaffMeeting(
        id=meeting.id,
        subject=meeting.subject,
        start=meeting.start,
        end=meeting.end,
        status=meeting.status_at(datetime.now(UTC)),
        opens_at=meeting.opens_at(opens_before),
        guests=names,
        guest_count=len(meeting.guest_links),
        mine=meeting.belongs_to(login.staff_key),
        team=meeting.team,
    )


# The day's list in one round trip: the ids in the day indexes (KEYS) between the bounds, at
# most ARGV[3], each with its meeting; the meeting's wrapped key and its guests' links only where
# she may manage it (ARGV[7] her staff key, ARGV[8] "1" for a scheduler) and it is scheduled.
# Answers {id, meeting, wrapped key or false, {links}} per meeting of the party (ARGV[9]).
_READ_DAY = """
local low, high, most = ARGV[1], ARGV[2], tonumber(ARGV[3])
local seen, ids = {}, {}
for _, key in ipairs(KEYS) do
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', key, low, high)) do
    if not seen[id] and #ids < most then seen[id] = true; ids[#ids + 1] = id end
  end
end
local out = {}
for _, id in ipairs(ids) do
  local raw = redis.call('GET', ARGV[4] .. id)
  if raw then
    local meeting = cjson.decode(raw)
    if meeting['party'] == ARGV[9] then
      local me = ARGV[7]
      local mine = me ~= '' and (meeting['host_staff'] == me or meeting['booked_by'] == me)
      local named = (ARGV[8] == '1' or mine) and meeting['status'] == 'scheduled'
      local wrapped, links = false, {}
      if named then
        wrapped = redis.call('GET', ARGV[5] .. id) or false
        for i, digest in ipairs(meeting['guest_links'] or {}) do
          links[i] = redis.call('GET', ARGV[6] .. digest) or false
        end
      end
      out[#out + 1] = {id, raw, wrapped, links}
    end
  end
end
return out
"""


async def _read_day(
    redis: store.Redis,
    sealer: Sealer,
    party: Party,
    login: StaffSession,
    index_keys: list[str],
    day: date,
) -> list[StaffMeeting]:
    """The meetings in the day indexes, with guests' names only where she may manage them:
    one round trip whatever their number (a script reads the indexes, the meetings, their keys
    and links), never one per meeting."""
    if not index_keys:
        return []
    low, high = _day_bounds(day)
    scheduler = "1" if "scheduler" in login.roles else "0"
    args = (
        low,
        f"({high}",
        MAX_DAY,
        store.MEETING,
        store.MEETING_KEY,
        store.GUEST_LINK,
        login.staff_key or "",
        scheduler,
        party.id,
    )
    found = await redis.eval(_READ_DAY, len(index_keys), *index_keys, *args)
    out = []
    for meeting_id, raw, wrapped, links in found:
        meeting = msgspec.json.decode(raw, type=Meeting)
        named = _may_manage(login, meeting) and meeting.status == "scheduled"
        cipher = unwrap_meeting_key(sealer, meeting_id.decode(), wrapped or None) if named else None
        out.append(_out(party, meeting, login, _names(cipher, links)))
    return sorted(out, key=lambda m: m.start)


def _names(cipher: Sealer | None, links: list[bytes | None]) -> list[str]:
    if cipher is None:
        return []
    names = []
    for raw in links:
        if raw is None:
            continue
        try:
            names.append(msgspec.json.decode(raw, type=GuestLink).display_name(cipher))
        except (msgspec.ValidationError, SealError):
            continue
    return names


async def _own_meeting(redis: store.Redis, party: Party, meeting_id: str) -> Meeting:
    meeting = await get_meeting(redis, meeting_id)
    if meeting is None or meeting.party != party.id:
        raise NotFound("No such meeting")
    return meeting


async def _managed_meeting(
    staff: StaffSession, redis: store.Redis, party: Party, meeting_id: str
) -> Meeting:
    """A meeting she may open or cancel (hers, or any for a scheduler); else 403."""
    meeting = await _own_meeting(redis, party, meeting_id)
    if not _may_manage(staff, meeting):
        raise Forbidden(
            "Not your meeting: only its host, who booked it, or a scheduler may open or cancel it"
        )
    return meeting


class StaffController(Controller):
    path = "/api/staff/v1/parties/{party_id:str}"
    tags = ["Staff portal"]
    cache_control = NO_STORE
    dependencies = {"meetings": provide(provide_meetings), **PARTY, **STAFF_LOGIN}

    @get(
        "/session",
        guards=[requires_staff_login],
        operation_id="StaffSession",
        summary="Who is logged in, and the login's CSRF token",
        description="Any role's login of the party (the portal, the admin pages).",
        security=STAFF_READ,
        responses=error_responses(SESSION_ERRORS, 401, 403, 404),
    )
    async def session(
        self,
        party: Injected[Party],
        login: Injected[StaffLogin],
        request: Request[Any, Any, Any],
        settings: Injected[Settings],
        sealer: Injected[DataSealer],
    ) -> StaffSessionOut:
        return StaffSessionOut(
            party=party.id,
            party_name=party.name,
            name=login.name(sealer),
            roles=cast("list[Role]", login.session.roles),  # the login keeps only these (ROLES)
            teams=login.session.teams,
            csrf_token=login.session.csrf,
            expires_at=datetime.fromtimestamp(login.session.expires, UTC),
            idle_timeout_seconds=settings.identity.staff_idle_timeout,
        )

    @post(
        "/logout",
        guards=[requires_staff_login],
        operation_id="StaffLogout",
        summary="Log out",
        status_code=200,
        security=STAFF_WRITE,
        responses=error_responses(SESSION_ERRORS, 401, 403, 404),
    )
    async def logout(
        self,
        party: Injected[Party],
        login: Injected[StaffLogin],
        request: Request[Any, Any, Any],
        settings: Injected[Settings],
        redis: Injected[store.Redis],
        issuers: Injected[Issuers],
    ) -> Response[LogoutOut]:
        """Ends the login here and names the broker's end-session URL (RP-initiated logout)."""
        await end_staff_session(redis, login.ref)
        await end_host_grants(request, login.ref)  # its meetings as host too
        oidc = party.oidc
        url = await end_session_url(issuers, settings, party, oidc) if oidc else None
        log.info("staff logout party=%s", party.id)
        return Response(LogoutOut(logout_url=url), cookies=[staff_cookie(settings, "", clear=True)])

    @get(
        "/meetings",
        guards=[requires_staff],
        operation_id="StaffListMeetings",
        summary="The meetings of a day",
        security=STAFF_READ,
        responses=error_responses(ERRORS, 400, 401, 403, 404),
    )
    async def list_meetings(
        self,
        party: Injected[Party],
        login: Injected[StaffLogin],
        redis: Injected[store.Redis],
        sealer: Injected[DataSealer],
        day: FromQuery[date | None] = None,
        shown: Annotated[Scope, QueryParameter(name="scope")] = "mine",
        team: FromQuery[str | None] = None,
    ) -> StaffDay:
        """Meetings starting on `day` (Danish time; default today), by start. `mine`: those
        she hosts or booked; `team`: her team's (`team`, default every team of her login);
        `party`: the whole party's, for role `scheduler` only."""
        day, staff = day or datetime.now(COPENHAGEN).date(), login.session
        if shown == "party":
            if "scheduler" not in staff.roles:
                raise Forbidden("The whole party's day needs the role scheduler")
            keys = [store.PARTY_MEETINGS + party.id]
        elif shown == "team":
            if team is not None and team not in staff.teams:
                raise Forbidden("Not a team of your login")
            if not staff.teams:
                raise InvalidInput("Your login names no team (the party's oidc.teams_claim)")
            keys = [team_day_key(party.id, t, day) for t in ([team] if team else staff.teams)]
        else:
            keys = [staff_day_key(party.id, staff.staff_key, day)] if staff.staff_key else []
        meetings = await _read_day(redis, sealer, party, staff, keys, day)
        return StaffDay(day=day, scope=shown, meetings=meetings)

    @post(
        "/meetings",
        guards=[requires_staff],
        operation_id="StaffBookMeeting",
        summary="Book a meeting and send the guests' links",
        request_max_body_size=16 * 1024,
        security=STAFF_WRITE,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 413, 429, 502),
    )
    async def book(
        self,
        party: Injected[Party],
        login: Injected[StaffLogin],
        request: Request[Any, Any, Any],
        data: RequestBody[MeetingCreate],
        redis: Injected[store.Redis],
        sealer: Injected[DataSealer],
        meetings: Injected[MeetingService],
    ) -> StaffMeeting:
        """Book as the party's case systems do (the same rules and limits); the guests'
        links go by SMS. Without a `host_name` the logged-in staff member hosts it: her name is
        what the guests read while they wait."""
        if data.host_staff_id is None and data.host_name is None:
            data.host_name = login.name(sealer) or None
        if data.team is not None and data.team not in login.session.teams:
            raise Forbidden("team: not a team of your login")
        data.team = data.team or (login.session.teams[0] if login.session.teams else None)
        booked_by = login.session.staff_key or None
        created = await meetings.book(party, data, booked_by=booked_by)
        log.info("staff booked party=%s meeting=%s", party.id, created.id)
        meeting = await _own_meeting(redis, party, created.id)
        return _out(party, meeting, login.session, [g.display_name for g in data.guests])

    @delete(
        "/meetings/{meeting_id:str}",
        guards=[requires_staff],
        operation_id="StaffCancel",
        summary="Cancel a meeting (hers, or any for a scheduler)",
        security=STAFF_WRITE,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 502),
    )
    async def cancel(
        self,
        party: Injected[Party],
        login: Injected[StaffLogin],
        meeting_id: MeetingId,
        redis: Injected[store.Redis],
        meetings: Injected[MeetingService],
    ) -> None:
        await _managed_meeting(login.session, redis, party, meeting_id)
        await meetings.cancel(party, meeting_id)

    @post(
        "/meetings/{meeting_id:str}/host",
        guards=[requires_staff],
        operation_id="StaffHost",
        summary="Open a meeting as its host (hers, or any for a scheduler)",
        status_code=200,
        security=STAFF_WRITE,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 410, 425),
    )
    async def open_as_host(
        self,
        party: Injected[Party],
        login: Injected[StaffLogin],
        request: Request[Any, Any, Any],
        meeting_id: MeetingId,
        settings: Injected[Settings],
        redis: Injected[store.Redis],
        sealer: Injected[DataSealer],
    ) -> Response[HostOut]:
        """A host grant for the logged-in staff member, made here (as the EOJ launch makes
        one): the meeting's join cookie is set; the portal then opens `url`."""
        meeting = await _managed_meeting(login.session, redis, party, meeting_id)
        now = datetime.now(UTC)
        check_open(meeting, now, timedelta(days=365))
        if meeting.status != "scheduled":
            raise InvalidInput("The meeting is cancelled")
        cipher = await meeting_cipher(redis, sealer, meeting)
        logged_in_as = login.name(sealer)
        name = logged_in_as or "Medarbejder"
        grant = JoinGrant.sealed(cipher, meeting.id, "host", name, new_token())
        if logged_in_as and not meeting.host_name_sealed:  # as the EOJ launch does
            await remember_host_name(redis, cipher, meeting.id, logged_in_as, now)
        sid = await start_session(request, party, meeting, grant, now)
        # The host session ends with this login (logout, back-channel logout).
        await remember_grant(redis, settings, login.ref, session_ref(sid))
        log.info("staff host party=%s meeting=%s", party.id, meeting.id)
        cookie_ttl = cookie_seconds(meeting, party, now)  # a call may run over
        return Response(
            HostOut(url=f"/{party.id}/"), cookies=[session_cookie(settings, sid, cookie_ttl)]
        )
