"""Meetings API structs (the OpenAPI source of truth) and the stored Meeting record."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from bff import store
from bff.sealing import Sealer

Aware = Annotated[
    datetime,
    msgspec.Meta(
        tz=True,
        description="ISO 8601 with a UTC offset, e.g. 2026-11-26T10:00:00+01:00",
        examples=["2026-11-26T10:00:00+01:00"],
    ),
]
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
    start: Aware
    end: Aware
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
    """Stored in Redis. Holds the PINs: never sent to a browser or an API client."""

    id: str
    party: str
    vdx_uuid: str
    alias: str
    host_pin: str
    guest_pin: str
    subject: str
    start: datetime
    end: datetime
    status: Literal["scheduled", "cancelled"] = "scheduled"
    guest_links: list[str] = msgspec.field(default_factory=list)  # sha256 of each link token

    def status_at(self, now: datetime) -> MeetingStatus:
        if self.status == "cancelled":
            return "cancelled"
        return "ended" if now >= self.end else "scheduled"


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
