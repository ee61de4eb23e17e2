"""Meetings API structs (the OpenAPI source of truth) and the stored Meeting record."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Annotated, Literal, NamedTuple
from zoneinfo import ZoneInfo

import msgspec

from bff.core import store
from bff.core.i18n import meeting_when
from bff.core.sealing import Sealer
from bff.core.text import shown_text
from bff.phonebook.refs import PersonRef

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def _moment(example: str) -> msgspec.Meta:
    return msgspec.Meta(
        tz=True,
        description="ISO 8601 with a UTC offset, e.g. " + example,
        examples=[example],
    )


# What may be typed as a phone number (bff.core.phones normalises it; the service refuses one that
# cannot be a number, naming the field).
PHONE_TEXT = r"^[+(]?[0-9 ().\-+]{6,30}$"


def _tomorrow_at(hour: int, minute: int) -> str:
    """An example a developer can send as it stands: tomorrow, Danish time (from start-up)."""
    day = datetime.now(COPENHAGEN).date() + timedelta(days=1)
    at = datetime.combine(day, time(hour, minute), tzinfo=COPENHAGEN)
    return at.isoformat(timespec="seconds")


Start = Annotated[datetime, _moment(_tomorrow_at(10, 0))]
End = Annotated[datetime, _moment(_tomorrow_at(10, 45))]
MeetingStatus = Literal["scheduled", "cancelled", "ended"]


class GuestInvite(msgspec.Struct, forbid_unknown_fields=True):
    """A citizen (or relative, interpreter...) who gets a personal join link."""

    display_name: Annotated[
        str,
        shown_text(80, "Name shown in the call (no CPR number, no control characters)", "Borger"),
    ]
    phone: (
        Annotated[
            str,
            msgspec.Meta(
                pattern=PHONE_TEXT,
                description="Mobile number as staff type it: `+45 12 34 56 78`, `12345678`, "
                "`0045 12345678` (no country code: Danish); normalised to E.164. The link is "
                "sent by SMS. Kept only sealed under the meeting's own key, for a cancellation "
                "SMS, until the meeting ends or is cancelled.",
                examples=["+45 12 34 56 78"],
            ),
        ]
        | None
    ) = None
    person: (
        Annotated[
            PersonRef,
            msgspec.Meta(
                description="For the dynamic phonebook: the guest's CPR number (or a staff "
                "id). Never stored: only a keyed pseudonym, with the link, so that while the "
                "guest is in the meeting authorised staff can find them there.",
            ),
        ]
        | None
    ) = None
    language: Annotated[
        Literal["da", "en"],
        msgspec.Meta(description="The language of the guest's SMS (invitation, cancellation)"),
    ] = "da"


class MeetingCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Book a video meeting. Never put CPR numbers or names in the subject."""

    subject: Annotated[
        str,
        shown_text(
            100,
            "Short subject; an opaque case reference, never a CPR number",
            "Opfølgning hjemmepleje",
        ),
    ]
    start: Start
    end: End
    guests: Annotated[
        list[GuestInvite],
        msgspec.Meta(min_length=1, max_length=10, description="1 to 10 guests"),
    ]
    host_name: (
        Annotated[
            str,
            shown_text(
                80,
                "Who hosts it (e.g. `Sygeplejerske Hanne`): shown to guests while they wait. "
                "Optional; else the first staff launch's name. Kept sealed.",
                "Sygeplejerske Hanne",
            ),
        ]
        | None
    ) = None
    host_staff_id: (
        Annotated[
            str,
            msgspec.Meta(
                min_length=1,
                max_length=200,
                description="The hosting staff member's id as the party's login knows her "
                "(the OIDC `sub`): the meeting is among her own in the staff portal. Optional; "
                "a booking in the portal names the logged-in staff member. Kept as a keyed hash.",
                examples=["f3a9c2e4-hanne"],
            ),
        ]
        | None
    ) = None
    team: (
        Annotated[
            str,
            shown_text(
                100,
                "The team the meeting belongs to (a value of the login's teams claim, e.g. "
                "`hjemmepleje-nord`): shown to the team in the staff portal. Optional; a "
                "booking in the portal takes the booker's first team.",
                "hjemmepleje-nord",
            ),
        ]
        | None
    ) = None


class StaffLaunch(msgspec.Struct):
    """How the case system opens the meeting as host: sign a launch JWT and redirect."""

    launch_url: Annotated[
        str,
        msgspec.Meta(
            description="Redirect staff to <launch_url>?token=<JWT>",
            examples=["http://127.0.0.1:8080/kobenhavn/launch"],
        ),
    ]
    jwt_audience: Annotated[
        str,
        msgspec.Meta(
            description="The `aud` claim the launch JWT must carry",
            examples=["borgervideo:kobenhavn"],
        ),
    ]
    meeting_id: Annotated[str, msgspec.Meta(description="The `meeting_id` claim")]


class GuestLinkOut(msgspec.Struct):
    display_name: str
    link: Annotated[
        str,
        msgspec.Meta(
            description="Personal join link; opens 30 minutes before start, closes at end",
            examples=["http://127.0.0.1:8080/kobenhavn/j/AbC..."],
        ),
    ]
    sms_sent: Annotated[bool, msgspec.Meta(description="True when VDX accepted the SMS")]
    sms_error: Annotated[
        str | None,
        msgspec.Meta(description="Why the SMS was not sent (the meeting and link stay valid)"),
    ] = None


class MeetingOut(msgspec.Struct):
    id: Annotated[
        str,
        msgspec.Meta(
            description="Opaque meeting id", examples=["9f1c2a4b5d6e7f8091a2b3c4d5e6f708"]
        ),
    ]
    subject: str
    start: datetime
    end: datetime
    status: MeetingStatus
    staff: StaffLaunch


class MeetingCreated(MeetingOut):
    guests: list[GuestLinkOut] = msgspec.field(default_factory=list)


class MeetingInfo(msgspec.Struct):
    """What a meeting's pages show about it (the app shell's grant, a called device's):
    `when` its day and hours per language (bff.core.i18n.meeting_when)."""

    subject: str
    start: str  # ISO 8601
    end: str
    when: dict[str, dict[str, str]]
    host: str | None = None


class Meeting(msgspec.Struct):
    """Stored in Redis. The PINs are sealed under the meeting's own key (meetings.keys) and
    never sent to a browser or an API client."""

    id: str
    party: str
    vdx_uuid: str
    alias: str
    host_pin_sealed: str
    guest_pin_sealed: str
    subject: str
    start: datetime
    end: datetime
    status: Literal["scheduled", "cancelled"] = "scheduled"
    guest_links: list[str] = msgspec.field(default_factory=list)  # sha256 of each link token
    # When VDX provisions the room (start - vmrAvailableBefore); before it the node has none.
    room_available_from: datetime | None = None
    # The host's name (booking's host_name, else the first staff launch's), sealed under the
    # meeting's key: the waiting screen says whom the guest waits for.
    host_name_sealed: str | None = None
    # The end as booked; `end` moves past it while a call runs over (bff.meetings.overrun).
    booked_end: datetime | None = None
    # Whose meeting it is (bff.core.security.staff_key): the host named by the booking and who
    # booked it in the staff portal; and its team. The staff portal's day index (store.STAFF_DAY).
    host_staff: str | None = None
    booked_by: str | None = None
    team: str | None = None

    def info(self, host: str | None = None) -> MeetingInfo:
        start, end = self.start, self.end
        return MeetingInfo(
            self.subject, start.isoformat(), end.isoformat(), meeting_when(start, end), host
        )

    def belongs_to(self, key: str) -> bool:
        return bool(key) and key in (self.host_staff, self.booked_by)

    @property
    def as_booked(self) -> datetime:
        return self.booked_end or self.end

    def latest_end(self, limit: timedelta) -> datetime:
        """How far running over may move the end: the party's limit past the booking."""
        return self.as_booked + limit

    def opens_at(self, link_opens_before: timedelta) -> datetime:
        """When joining works: the later of the link's opening and the room's provisioning."""
        opens = self.start - link_opens_before
        if self.room_available_from is None:
            return opens
        return max(opens, self.room_available_from)

    def status_at(self, now: datetime) -> MeetingStatus:
        if self.status == "cancelled":
            return "cancelled"
        return "ended" if now >= self.end else "scheduled"

    def host_name(self, cipher: Sealer) -> str | None:
        if not self.host_name_sealed:
            return None
        return cipher.unseal(self.host_name_sealed, f"{store.MEETING}{self.id}:host-name")

    @staticmethod
    def seal_host_name(cipher: Sealer, meeting_id: str, name: str) -> str:
        return cipher.seal(name, f"{store.MEETING}{meeting_id}:host-name")

    def pin_for(self, role: Literal["host", "guest"], cipher: Sealer) -> str:
        sealed = self.host_pin_sealed if role == "host" else self.guest_pin_sealed
        return cipher.unseal(sealed, _pin_purpose(self.id, role))

    @staticmethod
    def seal_pin(cipher: Sealer, meeting_id: str, role: Literal["host", "guest"], pin: str) -> str:
        return cipher.seal(pin, _pin_purpose(meeting_id, role))


def _pin_purpose(meeting_id: str, role: str) -> str:
    return f"{store.MEETING}{meeting_id}:{role}-pin"


class StoredMeeting(NamedTuple):
    """A meeting's record and its wrapped key as stored (bytes): what a session's join is
    checked against (bff.proxy.seats)."""

    record: bytes
    wrapped_key: bytes


class GuestLink(msgspec.Struct):
    """Stored under the sha256 of the link token; the token itself is never stored.

    The guest's name is kept only sealed (bff.core.sealing), bound to this meeting's links.
    """

    meeting_id: str
    party: str
    display_name_sealed: str  # "" once the meeting is cancelled
    # The guest's phone number (E.164), sealed under the meeting's own key, only to send a
    # cancellation SMS; "" without one. It opens only while the meeting's key exists: it is
    # gone with the key when the meeting ends or is cancelled.
    phone_sealed: str = ""
    person: str = ""  # the phonebook: the guest's keyed pseudonym ("" none)
    language: str = "da"  # the guest's SMS language (the cancellation SMS)

    @classmethod
    def sealed(
        cls, sealer: Sealer, meeting_id: str, party: str, name: str, phone: str | None = None
    ) -> GuestLink:
        sealed_phone = sealer.seal(phone, _phone_purpose(meeting_id, party)) if phone else ""
        return cls(
            meeting_id, party, sealer.seal(name, _link_purpose(meeting_id, party)), sealed_phone
        )

    def display_name(self, sealer: Sealer) -> str:
        return sealer.unseal(self.display_name_sealed, _link_purpose(self.meeting_id, self.party))

    def phone(self, sealer: Sealer) -> str | None:
        if not self.phone_sealed:
            return None
        return sealer.unseal(self.phone_sealed, _phone_purpose(self.meeting_id, self.party))


def _link_purpose(meeting_id: str, party: str) -> str:
    return f"{store.GUEST_LINK}{meeting_id}:{party}"


def _phone_purpose(meeting_id: str, party: str) -> str:
    return f"{store.GUEST_LINK}{meeting_id}:{party}:phone"
