"""Meetings API structs (the OpenAPI source of truth) and the stored Meeting record."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

import msgspec

from bff import store
from bff.sealing import Sealer


def _moment(example: str) -> msgspec.Meta:
    return msgspec.Meta(
        tz=True,
        description="ISO 8601 with a UTC offset, e.g. " + example,
        examples=[example],
    )


Start = Annotated[datetime, _moment("2026-11-26T10:00:00+01:00")]
End = Annotated[datetime, _moment("2026-11-26T10:45:00+01:00")]
MeetingStatus = Literal["scheduled", "cancelled", "ended"]


class GuestInvite(msgspec.Struct, forbid_unknown_fields=True):
    """A citizen (or relative, interpreter...) who gets a personal join link."""

    display_name: Annotated[
        str,
        msgspec.Meta(
            min_length=1, max_length=80, description="Name shown in the call", examples=["Borger"]
        ),
    ]
    phone: (
        Annotated[
            str,
            msgspec.Meta(
                pattern=r"^\+[1-9][0-9]{7,14}$",
                description="E.164 mobile number; the link is sent by SMS. Not stored.",
                examples=["+4512345678"],
            ),
        ]
        | None
    ) = None


class MeetingCreate(msgspec.Struct, forbid_unknown_fields=True):
    """Book a video meeting. Never put CPR numbers or names in the subject."""

    subject: Annotated[
        str,
        msgspec.Meta(
            min_length=1,
            max_length=100,
            description="Short subject; an opaque case reference, never a CPR number",
            examples=["Opfølgning hjemmepleje"],
        ),
    ]
    start: Start
    end: End
    guests: Annotated[
        list[GuestInvite],
        msgspec.Meta(min_length=1, max_length=10, description="1 to 10 guests"),
    ]


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

    def pin_for(self, role: Literal["host", "guest"], cipher: Sealer) -> str:
        sealed = self.host_pin_sealed if role == "host" else self.guest_pin_sealed
        return cipher.unseal(sealed, _pin_purpose(self.id, role))

    @staticmethod
    def seal_pin(cipher: Sealer, meeting_id: str, role: Literal["host", "guest"], pin: str) -> str:
        return cipher.seal(pin, _pin_purpose(meeting_id, role))


def _pin_purpose(meeting_id: str, role: str) -> str:
    return f"{store.MEETING}{meeting_id}:{role}-pin"


class GuestLink(msgspec.Struct):
    """Stored under the sha256 of the link token; the token itself is never stored.

    The guest's name is kept only sealed (bff.sealing), bound to this meeting's links.
    """

    meeting_id: str
    party: str
    display_name_sealed: str  # "" once the meeting is cancelled

    @classmethod
    def sealed(cls, sealer: Sealer, meeting_id: str, party: str, name: str) -> GuestLink:
        return cls(meeting_id, party, sealer.seal(name, _link_purpose(meeting_id, party)))

    def display_name(self, sealer: Sealer) -> str:
        return sealer.unseal(self.display_name_sealed, _link_purpose(self.meeting_id, self.party))


def _link_purpose(meeting_id: str, party: str) -> str:
    return f"{store.GUEST_LINK}{meeting_id}:{party}"
