"""Booking, reading and cancelling meetings; the Redis access for meetings and links."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec

from bff import store
from bff.errors import InvalidInput, NotFound, UpstreamFailed
from bff.meetings import limits
from bff.meetings.keys import drop_meeting_key, new_meeting_key
from bff.meetings.models import (
    GuestInvite,
    GuestLink,
    GuestLinkOut,
    Meeting,
    MeetingCreate,
    MeetingCreated,
    MeetingOut,
    StaffLaunch,
)
from bff.meetings.vdx import VdxClient
from bff.parties.models import Party
from bff.sealing import Pseudonymiser, Sealer
from bff.security import new_token, random_pin, sha256_hex
from bff.settings import Settings

log = logging.getLogger("bff.meetings")

CPR_LIKE = re.compile(r"\d{6}-?\d{4}")
MAX_LENGTH = timedelta(hours=24)
MAX_AHEAD = timedelta(days=366)
# Control characters and bidi overrides: a display name must show what it says.
UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
KEEP_AFTER_END = timedelta(hours=1)
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def validate_booking(body: MeetingCreate, now: datetime) -> None:
    """Rules msgspec cannot express. Raises InvalidInput naming the field."""
    if CPR_LIKE.search(body.subject):
        raise InvalidInput("subject: looks like a CPR number; use an opaque case reference")
    if UNSAFE_TEXT.search(body.subject):
        raise InvalidInput("subject: must not contain control characters")
    for i, guest in enumerate(body.guests):
        if UNSAFE_TEXT.search(guest.display_name):
            raise InvalidInput(f"guests[{i}].display_name: must not contain control characters")
        if CPR_LIKE.search(guest.display_name):
            raise InvalidInput(f"guests[{i}].display_name: looks like a CPR number")
        if not guest.display_name.strip():
            raise InvalidInput(f"guests[{i}].display_name: must not be blank")
        earlier = [g.phone for g in body.guests[:i]]
        if guest.phone is not None and guest.phone in earlier:
            first = earlier.index(guest.phone)
            raise InvalidInput(f"guests[{i}].phone: the same number as guests[{first}].phone")
    if not body.subject.strip():
        raise InvalidInput("subject: must not be blank")
    if body.end <= body.start:
        raise InvalidInput("end: must be after start")
    if body.end <= now:
        raise InvalidInput("end: must be in the future")
    if body.end - body.start > MAX_LENGTH:
        raise InvalidInput("end: a meeting may last at most 24 hours")
    if body.start - now > MAX_AHEAD:
        raise InvalidInput("start: may be at most 366 days ahead")


def sms_text(party: Party, start: datetime, link: str) -> str:
    local = start.astimezone(COPENHAGEN)
    return (
        f"{party.name} har inviteret dig til et videomøde {local:%d.%m.%Y} kl. {local:%H.%M}. "
        f"Tryk på linket for at deltage: {link}"
    )


def ttl_seconds(until: datetime, now: datetime) -> int:
    return max(60, int((until - now).total_seconds()))


async def get_meeting(redis: store.Redis, meeting_id: str) -> Meeting | None:
    raw = await redis.get(store.MEETING + meeting_id)
    return None if raw is None else msgspec.json.decode(raw, type=Meeting)


async def save_meeting(redis: store.Redis, meeting: Meeting, now: datetime) -> None:
    ttl = ttl_seconds(meeting.end + KEEP_AFTER_END, now)
    await redis.set(store.MEETING + meeting.id, msgspec.json.encode(meeting), ex=ttl)


async def get_guest_link(redis: store.Redis, token: str) -> GuestLink | None:
    raw = await redis.get(store.GUEST_LINK + sha256_hex(token))
    try:
        return None if raw is None else msgspec.json.decode(raw, type=GuestLink)
    except msgspec.ValidationError:  # a record from before names were sealed: unusable
        return None


def meeting_out(meeting: Meeting, settings: Settings, party: Party, now: datetime) -> MeetingOut:
    return MeetingOut(
        id=meeting.id,
        subject=meeting.subject,
        start=meeting.start,
        end=meeting.end,
        status=meeting.status_at(now),
        staff=staff_launch(meeting.id, settings, party),
    )


def staff_launch(meeting_id: str, settings: Settings, party: Party) -> StaffLaunch:
    return StaffLaunch(
        launch_url=f"{settings.public_url}/{party.id}/launch",
        jwt_audience=party.audience,
        meeting_id=meeting_id,
    )


class MeetingService:
    def __init__(
        self,
        redis: store.Redis,
        vdx: VdxClient,
        settings: Settings,
        sealer: Sealer,
        pseudonyms: Pseudonymiser,
    ) -> None:
        self.redis = redis
        self.vdx = vdx
        self.settings = settings
        self.sealer = sealer
        self.pseudonyms = pseudonyms

    async def book(self, party: Party, body: MeetingCreate) -> MeetingCreated:
        now = datetime.now(UTC)
        validate_booking(body, now)
        phones = [g.phone for g in body.guests if g.phone is not None]
        per_number = self.settings.sms_per_number_per_day
        counters = limits.booking_counters(party, phones, self.pseudonyms, per_number)
        await limits.take(self.redis, counters)
        meeting_id = uuid.uuid4().hex
        cipher, wrapped_key = new_meeting_key(self.sealer, meeting_id)
        tokens = [new_token() for _ in body.guests]
        try:
            meeting = await self._create_at_vdx(party, body, meeting_id, cipher)
            meeting.guest_links = [sha256_hex(t) for t in tokens]
            await self._store(meeting, body.guests, tokens, now, cipher, wrapped_key)
        except Exception:
            await limits.give_back(self.redis, counters)  # nothing booked: nothing counted
            raise
        log.info(
            "meeting booked party=%s meeting=%s guests=%d", party.id, meeting.id, len(body.guests)
        )
        guests = [
            await self._invite(party, meeting, g, t)
            for g, t in zip(body.guests, tokens, strict=True)
        ]
        out = meeting_out(meeting, self.settings, party, now)
        return MeetingCreated(**msgspec.structs.asdict(out), guests=guests)

    async def _create_at_vdx(
        self, party: Party, body: MeetingCreate, meeting_id: str, cipher: Sealer
    ) -> Meeting:
        host_pin = random_pin()
        guest_pin = random_pin()
        while guest_pin == host_pin:
            guest_pin = random_pin()
        room = await self.vdx.create_meeting(
            subject=body.subject,
            start=body.start,
            end=body.end,
            host_pin=host_pin,
            guest_pin=guest_pin,
            external_id=meeting_id,
        )
        return Meeting(
            id=meeting_id,
            party=party.id,
            vdx_uuid=room.uuid,
            alias=room.alias,
            host_pin_sealed=Meeting.seal_pin(cipher, meeting_id, "host", host_pin),
            guest_pin_sealed=Meeting.seal_pin(cipher, meeting_id, "guest", guest_pin),
            subject=body.subject,
            start=body.start,
            end=body.end,
            room_available_from=room.available_from,
        )

    async def _store(
        self,
        meeting: Meeting,
        guests: list[GuestInvite],
        tokens: list[str],
        now: datetime,
        cipher: Sealer,
        wrapped_key: str,
    ) -> None:
        ttl = ttl_seconds(meeting.end + KEEP_AFTER_END, now)
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                # The key lives until the end: then nothing of the meeting opens any more.
                pipe.set(store.MEETING_KEY + meeting.id, wrapped_key,
                         ex=ttl_seconds(meeting.end, now))  # fmt: skip
                pipe.set(store.MEETING + meeting.id, msgspec.json.encode(meeting), ex=ttl)
                pipe.set(store.ALIAS + meeting.alias, meeting.party, ex=ttl)
                for guest, token in zip(guests, tokens, strict=True):
                    link = GuestLink.sealed(cipher, meeting.id, meeting.party, guest.display_name)
                    pipe.set(
                        store.GUEST_LINK + sha256_hex(token), msgspec.json.encode(link), ex=ttl
                    )
                await pipe.execute()
        except Exception:
            await self.vdx.cancel_meeting(meeting.vdx_uuid)  # nothing half-written
            raise

    async def _invite(
        self, party: Party, meeting: Meeting, guest: GuestInvite, token: str
    ) -> GuestLinkOut:
        link = f"{self.settings.public_url}/{party.id}/j/{token}"
        out = GuestLinkOut(display_name=guest.display_name, link=link, sms_sent=False)
        if guest.phone is None:
            return out
        try:
            await self.vdx.send_sms(
                meeting.vdx_uuid, guest.phone, sms_text(party, meeting.start, link)
            )
        except UpstreamFailed as exc:
            # The meeting stays booked: the caller still has the link and can deliver it.
            log.warning("sms failed party=%s meeting=%s: %s", party.id, meeting.id, exc.reason)
            out.sms_error = exc.reason
            return out
        out.sms_sent = True
        return out

    async def read(self, party: Party, meeting_id: str) -> MeetingOut:
        meeting = await self._own(party, meeting_id)
        return meeting_out(meeting, self.settings, party, datetime.now(UTC))

    async def cancel(self, party: Party, meeting_id: str) -> None:
        meeting = await self._own(party, meeting_id)
        if meeting.status == "cancelled":
            return await self._forget_guests(meeting)  # idempotent: finishes a broken-off cancel
        await self.vdx.cancel_meeting(meeting.vdx_uuid)
        meeting.status = "cancelled"
        await save_meeting(self.redis, meeting, datetime.now(UTC))
        await self._forget_guests(meeting)
        log.info("meeting cancelled party=%s meeting=%s", party.id, meeting.id)

    async def _forget_guests(self, meeting: Meeting) -> None:
        """A cancelled meeting keeps nothing personal: its key goes (so its PINs and names
        never open again, also from the append-only history once that is rewritten), its
        links keep answering "aflyst" without names, and the guests' sessions end."""
        await drop_meeting_key(self.redis, meeting.id)
        nameless = msgspec.json.encode(GuestLink(meeting.id, meeting.party, ""))
        for digest in meeting.guest_links:
            await self.redis.set(store.GUEST_LINK + digest, nameless, keepttl=True, xx=True)
            ref = await self.redis.getdel(store.LINK_SESSION + digest)
            if ref is not None:
                await self.redis.delete(store.SESSION + ref.decode())
        if self.settings.redis_url is None:  # the embedded Redis: ours to compact
            await store.compact_history(self.redis)

    async def _own(self, party: Party, meeting_id: str) -> Meeting:
        meeting = await get_meeting(self.redis, meeting_id)
        if meeting is None or meeting.party != party.id:
            raise NotFound("No such meeting")
        return meeting
