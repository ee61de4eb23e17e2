"""Phonebook structs: the API's bodies and answers (the OpenAPI source) and what is stored."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

import msgspec

from bff.core.text import shown_text
from bff.meetings.models import COPENHAGEN
from bff.phonebook.refs import PersonRef


def _in_two_hours() -> str:
    """An `ends_at` a developer can send as it stands (two hours from start-up, whole minutes)."""
    at = datetime.now(COPENHAGEN).replace(second=0, microsecond=0) + timedelta(hours=2)
    return at.isoformat()


ALIAS_TEXT = r"^[A-Za-z0-9][A-Za-z0-9._@+\-]{0,199}$"
HANDLE_TEXT = r"^[A-Za-z0-9_\-]{20,64}$"
PARTY_TEXT = r"^(\*|[a-z0-9][a-z0-9-]{0,62})$"

Alias = Annotated[
    str,
    msgspec.Meta(
        pattern=ALIAS_TEXT,
        description="The meeting's conference alias on VDX (its `uriWithDomain`)",
        examples=["4718203@vdx.localhost"],
    ),
]
Role = Literal["host", "guest"]
PartyIds = Annotated[
    list[Annotated[str, msgspec.Meta(pattern=PARTY_TEXT)]],
    msgspec.Meta(max_length=200, examples=[["region-midt"]]),
]  # a policy's parties (`*`: any)
DisplayName = Annotated[
    str,
    shown_text(80, "The person's name as shown in the meeting (kept only sealed)", "Karen Jensen"),
]
Handle = Annotated[
    str,
    msgspec.Meta(
        pattern=HANDLE_TEXT,
        description="A result's `handle` from LookupPerson (valid 5 minutes)",
        examples=["q3Vx2m0cD3tq1H1d6K3bq9F2o0W8z7yA"],
    ),
]


class PresenceIn(msgspec.Struct, forbid_unknown_fields=True):
    """Someone is now in an ongoing meeting of the calling system."""

    alias: Alias
    person: PersonRef
    role: Annotated[Role, msgspec.Meta(description="Their role in the meeting", examples=["guest"])]
    display_name: DisplayName
    ends_at: (
        Annotated[
            datetime,
            msgspec.Meta(
                tz=True,
                description="When the meeting ends (ISO 8601 with offset): the entry expires "
                "then. Omitted: 4 hours from now. At most 24 hours ahead; report again to "
                "extend.",
                examples=[_in_two_hours()],
            ),
        ]
        | None
    ) = None
    title: (
        Annotated[
            str,
            shown_text(
                100,
                "A short title of the meeting (kept only sealed; no CPR number)",
                "Konsultation, almen praksis",
            ),
        ]
        | None
    ) = None


class PresenceLeave(msgspec.Struct, forbid_unknown_fields=True):
    """Someone left a meeting of the calling system."""

    alias: Alias
    person: PersonRef


class PresenceOut(msgspec.Struct):
    expires_at: datetime


class LookupIn(msgspec.Struct, forbid_unknown_fields=True):
    person: PersonRef


class SystemRef(msgspec.Struct):
    id: str
    name: str


class PartyRef(msgspec.Struct):
    id: str
    name: str


class MeetingRef(msgspec.Struct):
    alias: str
    title: str | None
    ends_at: datetime


class LookupResult(msgspec.Struct):
    handle: str
    system: SystemRef
    party: PartyRef
    meeting: MeetingRef
    since: datetime
    role: Role
    display_name: str | None
    can_join: bool
    can_move: bool
    can_dial: bool


class LookupOut(msgspec.Struct):
    count: int
    names_shown: bool
    results: list[LookupResult]


class SystemIn(msgspec.Struct, forbid_unknown_fields=True):
    """Register a system (a case system, a GP's or hospital's app) with the phonebook."""

    name: Annotated[str, shown_text(80, None, "MinLæge app")]
    report: Annotated[bool, msgspec.Meta(description="May report presence")] = True
    lookup: Annotated[bool, msgspec.Meta(description="May look people up")] = False
    lookups_per_minute: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 600
    updates_per_minute: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 6000


class SystemOut(msgspec.Struct):
    id: str
    name: str
    report: bool
    lookup: bool
    lookups_per_minute: int
    updates_per_minute: int
    created_at: datetime


class SystemCreated(SystemOut):
    key: str  # shown once: only its sha256 is kept


class PolicyIn(msgspec.Struct, forbid_unknown_fields=True):
    """Who may see and reach into this party's meetings from a phonebook result."""

    lookup_from: Annotated[
        PartyIds,
        msgspec.Meta(
            description="Parties whose callers find this party's meetings in a look-up "
            "(alias, role, since; never names or titles). Parties in `join_from`, "
            "`move_from` or `dial_from` find them too (`*`: any)"
        ),
    ] = msgspec.field(default_factory=list)
    join_from: Annotated[
        PartyIds,
        msgspec.Meta(description="Parties whose staff may join this party's meetings (`*`: any)"),
    ] = msgspec.field(default_factory=list)
    move_from: Annotated[
        PartyIds,
        msgspec.Meta(
            description="Parties whose staff may move a person out of this party's meetings "
            "into their own (`*`: any)"
        ),
    ] = msgspec.field(default_factory=list)
    dial_from: Annotated[
        PartyIds,
        msgspec.Meta(
            description="Parties whose staff may dial this party's meetings into their own "
            "(the two rooms bridged; `*`: any)"
        ),
    ] = msgspec.field(default_factory=list)
    join_role: Annotated[
        Role, msgspec.Meta(description="The role a joining member of staff gets")
    ] = "guest"


class PolicyOut(PolicyIn):
    pass


class AuditEntry(msgspec.Struct):
    at: datetime
    caller: str
    who: str
    pseudonym: str
    results: int
    names_shown: bool
    # Why names were (or were not) shown: "none", "access-token" (its `treatment_relation`
    # named this person) or "booked-guest" (the person is booked in the host's own meeting
    # and the launch JWT stated a treatment relation).
    basis: str = "none"


class ActionIn(msgspec.Struct, forbid_unknown_fields=True):
    handle: Handle


class JoinOut(msgspec.Struct):
    url: str
    expires_at: datetime


class MoveOut(msgspec.Struct):
    status: Literal["moved"]
    alias: str


class DialOut(msgspec.Struct):
    status: Literal["dialled"]
    alias: str  # the host's own meeting, which the other one is now a participant of
    participant_uuid: str  # the other meeting's participant in the host's meeting


# -- stored ---------------------------------------------------------------------------------
class SystemRecord(msgspec.Struct):
    id: str
    party: str
    name: str
    key_sha256: str
    report: bool
    lookup: bool
    lookups_per_minute: int
    updates_per_minute: int
    created_at: datetime


class Entry(msgspec.Struct):
    """One person in one meeting, sealed as a whole under the data key (bound to its key)."""

    system_id: str
    system_name: str
    party: str
    alias: str
    role: Role
    display_name: str
    since: datetime
    until: datetime
    title: str | None = None
    meeting_id: str | None = None  # a Borgervideo meeting: the BFF can join and move
    participant: str | None = None  # its participant at the node (Borgervideo meetings)


class HandleRecord(msgspec.Struct):
    person: str
    entry: str
    caller_party: str
    caller: str
