"""Running over: a call in progress is never cut by its booked end.

On VDX a provisioned meeting's room is removed by a job once its `endTime` has passed
(KvalitetsIT/medcom-video-api `dao/SchedulingInfoRepository.java`,
`findAllWithinEndTimeLessThenAndStatus`), and `endTime` is the one field that may still be
PATCHed while the meeting is provisioned (`service/MeetingServiceImpl.java`, `updateMeeting`).
So while someone is in the call near the end, the end moves: at VDX first, then here (the
meeting record, its key, links, sessions and seats live until the new end), in steps of
`BV_OVERRUN_STEP`, never past the party's `overrun_limit_minutes` after the booked end.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import msgspec

from bff.core import store
from bff.core.errors import UpstreamFailed
from bff.meetings.models import Meeting
from bff.meetings.service import KEEP_AFTER_END, change_meeting, get_meeting, ttl_seconds
from bff.meetings.vdx import VdxClient
from bff.parties.models import Party

log = logging.getLogger("bff.meetings.overrun")
LOCK_SECONDS = 15  # one instance talks to VDX about a meeting at a time


class MeetingClock(msgspec.Struct):
    """What a participant's browser learns of the meeting's time (POST /api/session/heartbeat)."""

    end: datetime
    booked_end: datetime
    latest_end: datetime
    next_in: int  # seconds until the browser should say again that it is in the call


def overrun_limit(party: Party) -> timedelta:
    return timedelta(minutes=party.options.overrun_limit_minutes)


def cookie_seconds(meeting: Meeting, party: Party, now: datetime) -> int:
    """A session cookie lives as long as the meeting may run over: a browser cannot be given
    a longer one later without a page load. Redis decides meanwhile whether it still holds."""
    return ttl_seconds(meeting.latest_end(overrun_limit(party)), now)


def due_end(
    meeting: Meeting, limit: timedelta, now: datetime, step: int, lead: int
) -> datetime | None:
    """The new end when the meeting should run over now, else None."""
    if meeting.status_at(now) != "scheduled" or meeting.end - now > timedelta(seconds=lead):
        return None
    latest = meeting.latest_end(limit)
    if meeting.end >= latest:
        return None
    # whole seconds: VDX keeps no more, and its end and ours must be the same
    return min(latest, max(meeting.end, now) + timedelta(seconds=step)).replace(microsecond=0)


def clock(meeting: Meeting, party: Party, lead: int) -> MeetingClock:
    return MeetingClock(
        end=meeting.end,
        booked_end=meeting.as_booked,
        latest_end=meeting.latest_end(overrun_limit(party)),
        next_in=max(5, min(60, lead // 4)),
    )


async def extend_if_due(
    redis: store.Redis,
    vdx: VdxClient,
    party: Party,
    meeting: Meeting,
    now: datetime,
    step: int,
    lead: int,
) -> Meeting:
    """Move the end when it is near and the limit allows; the meeting as it now stands."""
    new_end = due_end(meeting, overrun_limit(party), now, step, lead)
    if new_end is None:
        return meeting
    if not await redis.set(store.OVERRUN_LOCK + meeting.id, 1, nx=True, ex=LOCK_SECONDS):
        return meeting  # another participant's heartbeat is moving it right now
    try:
        try:
            await vdx.move_end(meeting.vdx_uuid, new_end)
        except UpstreamFailed as exc:  # the call goes on until the booked end; try again
            log.warning("overrun refused party=%s meeting=%s: %s", party.id, meeting.id, exc.reason)
            return meeting
        moved = await _save_end(redis, meeting.id, new_end, now)
        if moved is None:
            return meeting
        await _keep_until(redis, moved, now)
        log.info("meeting runs over party=%s meeting=%s", party.id, meeting.id)
        return moved
    finally:
        await redis.delete(store.OVERRUN_LOCK + meeting.id)


async def end_now(redis: store.Redis, vdx: VdxClient, meeting: Meeting, now: datetime) -> None:
    """The host ends the meeting for everyone: VDX removes the room (and with it every
    participant); links, launches and heartbeats answer "ended" from now on. The end is
    saved before VDX is asked, so nobody gets in again while the room goes (a guest whose
    call just ended, tapping her link); if VDX fails, the end is taken back and the host may
    try again."""
    moved = await _save_end(redis, meeting.id, now, now)
    try:
        await vdx.cancel_meeting(meeting.vdx_uuid)
    except UpstreamFailed:
        await _restore_end(redis, meeting, now)
        raise
    if moved is not None:
        await _keep_until(redis, moved, now)


async def _restore_end(redis: store.Redis, meeting: Meeting, now: datetime) -> None:
    def back(stored: Meeting) -> bool:
        stored.end, stored.booked_end = meeting.end, meeting.booked_end
        return True

    await change_meeting(redis, meeting.id, now, back, tries=20)


async def _save_end(
    redis: store.Redis, meeting_id: str, end: datetime, now: datetime
) -> Meeting | None:
    def move(meeting: Meeting) -> bool:
        meeting.booked_end = meeting.as_booked
        meeting.end = end
        return True

    moved = await change_meeting(redis, meeting_id, now, move, tries=20)
    return moved or await get_meeting(redis, meeting_id)


async def _keep_until(redis: store.Redis, meeting: Meeting, now: datetime) -> None:
    """Everything that expired at the old end expires at the new one (each key on its own:
    they live in different cluster slots)."""
    until_end = ttl_seconds(meeting.end, now)
    after_end = ttl_seconds(meeting.end + KEEP_AFTER_END, now)
    index = store.MEETING_SESSIONS + meeting.id
    members = await redis.smembers(index)
    async with redis.pipeline(transaction=False) as pipe:
        pipe.expire(store.MEETING_KEY + meeting.id, until_end)
        pipe.expire(store.ALIAS + meeting.alias, after_end)
        pipe.expire(index, until_end)
        for digest in meeting.guest_links:
            pipe.expire(store.GUEST_LINK + digest, after_end)
            pipe.expire(store.LINK_SESSION + digest, until_end)
        for member in members:
            ref, _, seat = (member.decode() if isinstance(member, bytes) else member).partition(" ")
            pipe.expire(store.SESSION + ref, until_end)
            if seat:
                pipe.expire(store.SEAT + seat, until_end)
        await pipe.execute()
