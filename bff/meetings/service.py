"""Booking, reading and cancelling meetings; the Redis access for meetings and links."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import msgspec
from redis.exceptions import RedisError

from bff.core import store
from bff.core.errors import Gone, InvalidInput, NotFound, UpstreamFailed
from bff.core.i18n import messages, translate
from bff.core.phones import display_phone, normalise_phone
from bff.core.sealing import Pseudonymiser, Sealer, SealError
from bff.core.security import new_token, random_pin, sha256_hex, staff_key
from bff.core.settings import Settings
from bff.core.text import CPR_LIKE, UNSAFE_TEXT, check_shown_text
from bff.meetings import limits
from bff.meetings.keys import (
    drop_meeting_key,
    new_meeting_key,
    open_meeting_key,
    unwrap_meeting_key,
)
from bff.meetings.models import (
    COPENHAGEN,
    GuestInvite,
    GuestLink,
    GuestLinkOut,
    Meeting,
    MeetingCreate,
    MeetingCreated,
    MeetingOut,
    StaffLaunch,
    StoredMeeting,
)
from bff.meetings.vdx import VdxClient
from bff.parties.models import Party
from bff.phonebook.refs import person_pseudonym

log = logging.getLogger("bff.meetings")

MAX_LENGTH = timedelta(hours=24)
MAX_AHEAD = timedelta(days=366)
KEEP_AFTER_END = timedelta(hours=1)
MAX_GUEST_LINKS = 30  # booked guests and those invited later from the call
# KEYS[1] becomes ARGV[2] (EX ARGV[3]) only while it still holds ARGV[1].
COMPARE_AND_SET = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
"""
PARTY_INDEX_KEEP = timedelta(days=2)  # a party's list of meetings keeps the last two days


def validate_booking(body: MeetingCreate, now: datetime) -> None:
    """Rules msgspec cannot express. Raises InvalidInput naming the field. The times become
    whole seconds first, as VDX keeps them (yyyy-MM-dd'T'HH:mm:ssXXX): an end a fraction of a
    second after the start is no meeting there either."""
    body.start, body.end = body.start.replace(microsecond=0), body.end.replace(microsecond=0)
    if CPR_LIKE.search(body.subject):
        raise InvalidInput("subject: looks like a CPR number; use an opaque case reference")
    if UNSAFE_TEXT.search(body.subject):
        raise InvalidInput("subject: must not contain control characters")
    for i, guest in enumerate(body.guests):
        check_shown_text(guest.display_name, f"guests[{i}].display_name")
        if guest.phone is not None:  # as typed ("23 45 67 89", "0045 ...") -> E.164
            guest.phone = normalise_phone(guest.phone, f"guests[{i}].phone")
        earlier = [g.phone for g in body.guests[:i]]
        if guest.phone is not None and guest.phone in earlier:
            first = earlier.index(guest.phone)
            raise InvalidInput(f"guests[{i}].phone: the same number as guests[{first}].phone")
    if body.host_name is not None:
        check_shown_text(body.host_name, "host_name")
    if body.team is not None:
        check_shown_text(body.team, "team")
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


def _sms(language: str, key: str, **params: object) -> str:
    """An SMS sentence in the guest's language (bff/locales/<lang>.json `sms.*`)."""
    return translate(messages(language), f"sms.{key}", params) or ""


def sms_text(
    party: Party, start: datetime, link: str, opens: datetime | None = None, language: str = "da"
) -> str:
    """The invitation in the guest's language; `opens` (the link's opening, Meeting.opens_at)
    says from when it works, so nobody is surprised by "not open yet"."""
    local = start.astimezone(COPENHAGEN)
    text = (
        _sms(language, "invite", party=party.name, date=f"{local:%d.%m.%Y}", time=f"{local:%H.%M}")
        + " "
    )
    if opens is not None:
        at = opens.astimezone(COPENHAGEN)
        same_day = at.date() == local.date()
        key = "opens" if same_day else "opensDay"
        text += _sms(language, key, date=f"{at:%d.%m.%Y}", time=f"{at:%H.%M}") + " "
    return text + _sms(language, "join", link=link)


def cancellation_text(party: Party, start: datetime, language: str = "da") -> str:
    local = start.astimezone(COPENHAGEN)
    text = _sms(
        language, "cancelled", party=party.name, date=f"{local:%d.%m.%Y}", time=f"{local:%H.%M}"
    )
    if party.contact is not None:
        text += " " + _sms(language, "questions", phone=display_phone(party.contact.phone))
    return text


def ttl_seconds(until: datetime, now: datetime) -> int:
    return max(60, int((until - now).total_seconds()))


def staff_day_key(party: str, staff: str, day: date) -> str:
    return f"{store.STAFF_DAY}{party}:{staff}:{day.isoformat()}"


def team_day_key(party: str, team: str, day: date) -> str:
    return f"{store.TEAM_DAY}{party}:{sha256_hex(team)}:{day.isoformat()}"


def day_index_keys(meeting: Meeting) -> list[str]:
    """The staff portal's day indexes a meeting is in: its host's, its booker's, its team's."""
    day = meeting.start.astimezone(COPENHAGEN).date()
    staff = {k for k in (meeting.host_staff, meeting.booked_by) if k}
    keys = [staff_day_key(meeting.party, k, day) for k in sorted(staff)]
    if meeting.team:
        keys.append(team_day_key(meeting.party, meeting.team, day))
    return keys


async def get_meeting(redis: store.Redis, meeting_id: str) -> Meeting | None:
    raw = await redis.get(store.MEETING + meeting_id)
    return None if raw is None else msgspec.json.decode(raw, type=Meeting)


async def save_meeting(redis: store.Redis, meeting: Meeting, now: datetime) -> None:
    ttl = ttl_seconds(meeting.end + KEEP_AFTER_END, now)
    await redis.set(store.MEETING + meeting.id, msgspec.json.encode(meeting), ex=ttl)


async def get_guest_link(redis: store.Redis, token: str) -> GuestLink | None:
    return decode_guest_link(store.as_bytes(await redis.get(store.GUEST_LINK + sha256_hex(token))))


def decode_guest_link(raw: bytes | None) -> GuestLink | None:
    try:
        return None if raw is None else msgspec.json.decode(raw, type=GuestLink)
    except msgspec.ValidationError:  # a record from before names were sealed: unusable
        return None


async def meeting_and_key(
    redis: store.Redis, data_sealer: Sealer, meeting_id: str
) -> tuple[Meeting | None, Sealer | None, StoredMeeting | None]:
    """The meeting, its own sealer (bff.meetings.keys) and both records as read, in one
    round trip."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.get(store.MEETING + meeting_id)
        pipe.get(store.MEETING_KEY + meeting_id)
        raw, wrapped = await pipe.execute()
    if raw is None:
        return None, None, None
    meeting = msgspec.json.decode(raw, type=Meeting)
    cipher = unwrap_meeting_key(data_sealer, meeting_id, wrapped)
    return meeting, cipher, None if wrapped is None else StoredMeeting(raw, wrapped)


async def change_meeting(
    redis: store.Redis,
    meeting_id: str,
    now: datetime,
    change: Callable[[Meeting], bool],
    tries: int = 5,
) -> Meeting | None:
    """Read, change and write back one meeting record without losing a concurrent change: a
    compare-and-set on its one key (cluster-safe), retried while the record moves on.
    `change` edits the meeting and answers False when there is nothing to write. The meeting
    as written, or None (gone, nothing to change, or still moving after `tries`)."""
    key = store.MEETING + meeting_id
    for _ in range(tries):
        raw = await redis.get(key)
        if raw is None:
            return None
        meeting = msgspec.json.decode(raw, type=Meeting)
        if not change(meeting):
            return None
        ttl = ttl_seconds(meeting.end + KEEP_AFTER_END, now)
        swapped = await redis.eval(COMPARE_AND_SET, 1, key, raw, msgspec.json.encode(meeting), ttl)
        if int(swapped) == 1:
            return meeting
    return None


async def remember_host_staff(
    redis: store.Redis, meeting_id: str, staff: str, now: datetime
) -> None:
    """A staff launch naming its staff id (`host_staff_id`) makes her the host when the
    booking named none: the meeting joins her day in the staff portal."""

    def name_her(meeting: Meeting) -> bool:
        if meeting.host_staff:
            return False
        meeting.host_staff = staff
        return True

    meeting = await change_meeting(redis, meeting_id, now, name_her)
    if meeting is not None:
        day = meeting.start.astimezone(COPENHAGEN).date()
        index = staff_day_key(meeting.party, staff, day)
        await redis.zadd(index, {meeting.id: meeting.start.timestamp()})
        await redis.expireat(index, int((meeting.start + PARTY_INDEX_KEEP).timestamp()))


async def remember_host_name(
    redis: store.Redis, cipher: Sealer, meeting_id: str, name: str, now: datetime
) -> None:
    """The first staff launch names the host when the booking did not (the waiting screen
    says whom the guest waits for)."""

    def name_host(meeting: Meeting) -> bool:
        if meeting.host_name_sealed:
            return False
        meeting.host_name_sealed = Meeting.seal_host_name(cipher, meeting_id, name)
        return True

    await change_meeting(redis, meeting_id, now, name_host)


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
        launch_url=f"{settings.serving.public_url}/{party.id}/launch",
        jwt_audience=party.audience,
        meeting_id=meeting_id,
    )


@dataclass(frozen=True, slots=True)
class MeetingService:
    redis: store.Redis
    vdx: VdxClient
    settings: Settings
    sealer: Sealer
    pseudonyms: Pseudonymiser

    async def book(
        self, party: Party, body: MeetingCreate, booked_by: str | None = None
    ) -> MeetingCreated:
        """`booked_by`: the staff key of the portal login that books it (bff.core.security)."""
        now = datetime.now(UTC)
        validate_booking(body, now)
        persons = [  # the phonebook: a malformed reference is a 400 before anything is booked
            person_pseudonym(self.pseudonyms, g.person, f"guests[{i}].person") if g.person else ""
            for i, g in enumerate(body.guests)
        ]
        phones = [g.phone for g in body.guests if g.phone is not None]
        per_number = self.settings.meetings.sms_per_number_per_day
        counters = limits.booking_counters(party, phones, self.pseudonyms, per_number)
        await limits.take(self.redis, counters)
        meeting_id = uuid.uuid4().hex
        cipher, wrapped_key = new_meeting_key(self.sealer, meeting_id)
        tokens = [new_token() for _ in body.guests]
        try:
            meeting = await self._create_at_vdx(party, body, meeting_id, cipher)
            meeting.guest_links = [sha256_hex(t) for t in tokens]
            host = body.host_staff_id
            meeting.host_staff = staff_key(party.id, host) if host else None
            meeting.booked_by = booked_by
            meeting.team = body.team
            await self._store(meeting, body.guests, tokens, now, cipher, wrapped_key, persons)
            await self._index(meeting, now)
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

    async def _index(self, meeting: Meeting, now: datetime) -> None:
        """The party's meetings by start (the staff portal's day list); old entries trimmed."""
        key = store.PARTY_MEETINGS + meeting.party
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(key, {meeting.id: meeting.start.timestamp()})
            pipe.zremrangebyscore(key, "-inf", (now - PARTY_INDEX_KEEP).timestamp())
            pipe.expire(key, int((MAX_AHEAD + PARTY_INDEX_KEEP).total_seconds()))
            score = {meeting.id: meeting.start.timestamp()}
            gone = int((meeting.start + PARTY_INDEX_KEEP).timestamp())
            for day_key in day_index_keys(meeting):
                pipe.zadd(day_key, score)
                pipe.expireat(day_key, gone)
            await pipe.execute()

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
            host_name_sealed=(
                Meeting.seal_host_name(cipher, meeting_id, body.host_name)
                if body.host_name
                else None
            ),
        )

    async def _store(
        self,
        meeting: Meeting,
        guests: list[GuestInvite],
        tokens: list[str],
        now: datetime,
        cipher: Sealer,
        wrapped_key: str,
        persons: list[str] | None = None,
    ) -> None:
        ttl = ttl_seconds(meeting.end + KEEP_AFTER_END, now)
        # The keys live in different cluster slots (links are found by their token's hash,
        # the alias by the alias), so no MULTI: one pipeline, and on any failure everything
        # written is deleted again. Nobody can read half a booking meanwhile: the link tokens
        # have not left this request yet.
        links = [store.GUEST_LINK + sha256_hex(token) for token in tokens]
        keys = [
            store.MEETING_KEY + meeting.id,
            store.MEETING + meeting.id,
            store.ALIAS + meeting.alias,
            *links,
        ]
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                # The key lives until the end: then nothing of the meeting opens any more.
                pipe.set(keys[0], wrapped_key, ex=ttl_seconds(meeting.end, now))
                pipe.set(keys[1], msgspec.json.encode(meeting), ex=ttl)
                pipe.set(keys[2], meeting.party, ex=ttl)
                for i, (guest, key) in enumerate(zip(guests, links, strict=True)):
                    link = GuestLink.sealed(
                        cipher, meeting.id, meeting.party, guest.display_name, guest.phone
                    )
                    link.person = persons[i] if persons else ""
                    link.language = guest.language
                    pipe.set(key, msgspec.json.encode(link), ex=ttl)
                await pipe.execute()
        except Exception:
            with suppress(RedisError):
                for key in keys:
                    await self.redis.delete(key)
            await self.vdx.cancel_meeting(meeting.vdx_uuid)  # nothing half-written
            raise

    async def _invite(
        self, party: Party, meeting: Meeting, guest: GuestInvite, token: str
    ) -> GuestLinkOut:
        link = f"{self.settings.serving.public_url}/{party.id}/j/{token}"
        out = GuestLinkOut(display_name=guest.display_name, link=link, sms_sent=False)
        if guest.phone is None:
            return out
        opens = meeting.opens_at(timedelta(minutes=party.options.link_opens_minutes_before))
        try:
            text = sms_text(party, meeting.start, link, opens, guest.language)
            await self.vdx.send_sms(meeting.vdx_uuid, guest.phone, text)
        except UpstreamFailed as exc:
            # The meeting stays booked: the caller still has the link and can deliver it.
            log.warning("sms failed party=%s meeting=%s: %s", party.id, meeting.id, exc.reason)
            out.sms_error = exc.reason
            return out
        out.sms_sent = True
        return out

    async def add_guest(self, party: Party, meeting_id: str, guest: GuestInvite) -> GuestLinkOut:
        """One more guest link for a booked meeting (a host's invitation from a plugin),
        sent by SMS under the party's and the number's SMS limits."""
        check_shown_text(guest.display_name, "display_name")
        if guest.phone is not None:
            guest.phone = normalise_phone(guest.phone, "phone")
        now = datetime.now(UTC)
        meeting = await self._own(party, meeting_id)
        if meeting.status_at(now) != "scheduled":
            raise Gone("The meeting is over or cancelled")
        if len(meeting.guest_links) >= MAX_GUEST_LINKS:
            raise InvalidInput(f"a meeting may have at most {MAX_GUEST_LINKS} guest links")
        cipher = await open_meeting_key(self.redis, self.sealer, meeting.id)
        if cipher is None:
            raise Gone("The meeting is over or cancelled")
        phones = [guest.phone] if guest.phone else []
        per_number = self.settings.meetings.sms_per_number_per_day
        counters = limits.sms_counters(party, phones, self.pseudonyms, per_number)
        await limits.take(self.redis, counters)
        token = new_token()
        digest = sha256_hex(token)
        try:
            meeting = await self._add_link(meeting.id, digest, now)
            link = GuestLink.sealed(
                cipher, meeting.id, meeting.party, guest.display_name, guest.phone
            )
            link.language = guest.language
            await self.redis.set(
                store.GUEST_LINK + digest,
                msgspec.json.encode(link),
                ex=ttl_seconds(meeting.end + KEEP_AFTER_END, now),
            )
        except Exception:
            await limits.give_back(self.redis, counters)
            raise
        log.info("guest invited party=%s meeting=%s", party.id, meeting.id)
        return await self._invite(party, meeting, guest, token)

    async def _add_link(self, meeting_id: str, digest: str, now: datetime) -> Meeting:
        """Append a link to the meeting record without losing a concurrent change: a
        compare-and-set on the one key (cluster-safe), retried when the record moved on."""
        key = store.MEETING + meeting_id
        for _ in range(20):
            raw = await self.redis.get(key)
            if raw is None:
                raise Gone("The meeting is over or cancelled")
            meeting = msgspec.json.decode(raw, type=Meeting)
            if meeting.status == "cancelled":
                raise Gone("The meeting is over or cancelled")
            if len(meeting.guest_links) >= MAX_GUEST_LINKS:
                raise InvalidInput(f"a meeting may have at most {MAX_GUEST_LINKS} guest links")
            meeting.guest_links.append(digest)
            ttl = ttl_seconds(meeting.end + KEEP_AFTER_END, now)
            swapped = await self.redis.eval(
                COMPARE_AND_SET, 1, key, raw, msgspec.json.encode(meeting), ttl
            )
            if int(swapped) == 1:
                return meeting
        raise UpstreamFailed("The meeting changed too often; try again")

    async def read(self, party: Party, meeting_id: str) -> MeetingOut:
        meeting = await self._own(party, meeting_id)
        if meeting.status == "cancelled":  # DELETE removed it, as far as the API goes
            raise NotFound("No such meeting (it was cancelled)")
        return meeting_out(meeting, self.settings, party, datetime.now(UTC))

    async def cancel(self, party: Party, meeting_id: str) -> None:
        meeting = await self._own(party, meeting_id)
        if meeting.status == "cancelled":
            return await self._forget_guests(meeting)  # idempotent: finishes a broken-off cancel
        # Before VDX forgets the meeting (its SMS API sends only for a meeting it knows); a
        # link whose SMS went out loses its number at once, so a retried cancel sends no twin.
        await self._send_cancellations(party, meeting)
        await self.vdx.cancel_meeting(meeting.vdx_uuid)
        meeting.status = "cancelled"
        await save_meeting(self.redis, meeting, datetime.now(UTC))
        await self._forget_guests(meeting)
        log.info("meeting cancelled party=%s meeting=%s", party.id, meeting.id)

    async def _send_cancellations(self, party: Party, meeting: Meeting) -> None:
        """An SMS to each guest whose number the booking had: the meeting is off. The number
        was kept sealed under the meeting's key for this alone; a failed SMS is logged
        (without the number) and does not stop the cancellation."""
        if meeting.status_at(datetime.now(UTC)) != "scheduled":
            return
        cipher = await open_meeting_key(self.redis, self.sealer, meeting.id)
        if cipher is None:
            return
        for digest in meeting.guest_links:
            key = store.GUEST_LINK + digest
            raw = await self.redis.get(key)
            try:
                link = None if raw is None else msgspec.json.decode(raw, type=GuestLink)
                phone = link.phone(cipher) if link is not None else None
            except (msgspec.ValidationError, SealError):
                continue
            if link is None or phone is None:
                continue
            try:
                text = cancellation_text(party, meeting.start, link.language)
                await self.vdx.send_sms(meeting.vdx_uuid, phone, text)
            except UpstreamFailed as exc:
                log.warning(
                    "cancellation sms failed party=%s meeting=%s: %s",
                    party.id,
                    meeting.id,
                    exc.reason,
                )
                continue
            link.phone_sealed = ""
            await self.redis.set(key, msgspec.json.encode(link), keepttl=True, xx=True)
        log.info("cancellation sms party=%s meeting=%s", party.id, meeting.id)

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
                await self.redis.delete(store.SESSION + store.as_text(ref))
        if self.settings.data.redis_url is None:  # the embedded Redis: ours to compact
            await store.compact_history(self.redis)

    async def _own(self, party: Party, meeting_id: str) -> Meeting:
        meeting = await get_meeting(self.redis, meeting_id)
        if meeting is None or meeting.party != party.id:
            raise NotFound("No such meeting")
        return meeting
