"""Devices API structs (the OpenAPI source of truth) and the records kept in Redis."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from bff.core import store
from bff.core.text import shown_text
from bff.meetings.models import MeetingInfo

DeviceId = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{32}$", examples=["4c1d..."])]
Label = Annotated[
    str,
    shown_text(
        60, "What staff see in the device list; no CPR numbers", "Tablet 17, hjemmeplejen Nord"
    ),
]
CallStatus = Literal["ringing", "answered", "declined", "no-answer", "cancelled"]


# -- stored ---------------------------------------------------------------------------------


class Device(msgspec.Struct):
    """An enrolled device. The label is kept only sealed (it may name the citizen)."""

    id: str
    party: str
    label_sealed: str
    public_jwk: dict[str, str]  # EC P-256 public key (kty, crv, x, y)
    enrolled_at: datetime
    enrolled_by: str  # the admin key id that made the enrolment code
    enabled: bool = True


class Enrolment(msgspec.Struct):
    """A one-time enrolment code's record, kept under a keyed pseudonym of the code."""

    party: str
    label_sealed: str
    created_by: str
    expires_at: datetime


class DeviceCall(msgspec.Struct):
    id: str
    party: str
    meeting_id: str
    device_id: str
    caller_sealed: str  # who rings (staff name, or the party's name for an API call)
    created_at: datetime
    rings_until: datetime
    status: CallStatus = "ringing"
    changed_at: datetime | None = None

    def status_at(self, now: datetime) -> CallStatus:
        if self.status == "ringing" and now >= self.rings_until:
            return "no-answer"
        return self.status

    def out(self, now: datetime) -> DeviceCallOut:
        return DeviceCallOut(
            id=self.id,
            meeting_id=self.meeting_id,
            device_id=self.device_id,
            status=self.status_at(now),
            created_at=self.created_at,
            rings_until=self.rings_until,
        )


class QueueEntry(msgspec.Struct):
    """A message's fields in its device's queue stream (`queue:{<id>}`, written by the
    service's enqueue script)."""

    exp: int = 0  # when it expires, ms since the epoch
    body: str = "{}"  # the JSON document, encoded


class InboxEntry(msgspec.Struct):
    """A document's fields in its party's stream of documents from devices (`in:{<party>}`)."""

    device: str = ""
    at: int = 0  # when it came, ms since the epoch
    body: str = "{}"  # the JSON document, encoded


def label_purpose(device_id: str) -> str:
    return f"{store.DEVICES}{device_id}:label"


def enrolment_purpose(party: str) -> str:
    return f"{store.DEVICES}enrolment:{party}:label"


def caller_purpose(call_id: str) -> str:
    return f"{store.DEVICES}call:{call_id}:caller"


def webhook_purpose(party: str) -> str:
    return f"{store.DEVICES}webhook:{party}"


# -- API ------------------------------------------------------------------------------------


class EnrolmentCreate(msgspec.Struct, forbid_unknown_fields=True):
    label: Label


class EnrolmentOut(msgspec.Struct):
    code: Annotated[
        str,
        msgspec.Meta(
            description="Type it on the device's page, or scan the QR code; works once",
            examples=["KX7P-M3QD"],
        ),
    ]
    expires_at: datetime
    enrol_url: Annotated[str, msgspec.Meta(description="The device page with the code")]
    qr_svg: Annotated[str, msgspec.Meta(description="enrol_url as a QR code (inline SVG)")]


class EcPublicKey(msgspec.Struct, forbid_unknown_fields=False):
    kty: Literal["EC"]
    crv: Literal["P-256"]
    x: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{43}$")]
    y: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{43}$")]


class EnrolIn(msgspec.Struct, forbid_unknown_fields=True):
    party: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]
    public_key: EcPublicKey
    proof: Annotated[
        str,
        msgspec.Meta(
            max_length=2048,
            description="ES256 JWT signed by the new key: aud borgervideo:<party>:enrol, "
            "the code in `code`, exp at most 300 s ahead, jti",
        ),
    ]


class EnrolOut(msgspec.Struct):
    device_id: str
    party: str
    label: str


class Battery(msgspec.Struct):
    level: Annotated[int, msgspec.Meta(ge=0, le=100, description="Percent")]
    charging: bool


class DeviceOut(msgspec.Struct):
    id: str
    label: str
    enabled: bool
    enrolled_at: datetime
    enrolled_by: str
    online: Annotated[bool, msgspec.Meta(description="Connected, with a recent heartbeat")]
    last_seen: datetime | None = None
    battery: Battery | None = None
    app_version: str | None = None


class DevicePatch(msgspec.Struct, forbid_unknown_fields=True):
    label: Label | msgspec.UnsetType = msgspec.UNSET
    enabled: bool | msgspec.UnsetType = msgspec.UNSET


class MessageIn(msgspec.Struct, forbid_unknown_fields=True):
    body: Annotated[
        dict[str, Any],
        msgspec.Meta(
            description="Any JSON object, at most 16 KiB encoded. The device page shows "
            "`text` (and `reply_options`, a list of answers it sends back)",
            examples=[{"text": "Husk at tage din medicin kl. 12", "reply_options": ["Ja", "Nej"]}],
        ),
    ]
    ttl_seconds: Annotated[
        int,
        msgspec.Meta(ge=60, le=7 * 86400, description="How long it waits for an offline device"),
    ] = 86400


class MessageQueued(msgspec.Struct):
    id: Annotated[str, msgspec.Meta(description="Delivery order on the device")]
    expires_at: datetime
    device_online: bool


class PendingMessage(msgspec.Struct):
    id: str
    expires_at: datetime


class FromDevice(msgspec.Struct):
    """A document a device sent to its party (also POSTed to the party's webhook)."""

    id: Annotated[str, msgspec.Meta(description="Stream position: pass as `after` to page on")]
    device_id: str
    sent_at: datetime
    body: dict[str, Any]


class FromDevicePage(msgspec.Struct):
    messages: list[FromDevice]
    next: Annotated[str | None, msgspec.Meta(description="`after` for the next page")]


class DeviceCallIn(msgspec.Struct, forbid_unknown_fields=True):
    device_id: DeviceId


class DeviceCallOut(msgspec.Struct):
    id: str
    meeting_id: str
    device_id: str
    status: Annotated[
        CallStatus,
        msgspec.Meta(
            description="ringing, then answered, declined, no-answer (timeout) or cancelled"
        ),
    ]
    created_at: datetime
    rings_until: datetime


class GrantOut(msgspec.Struct):
    """What the device's page joins with (like the app shell's `grant`; never a PIN)."""

    role: Literal["guest"]
    displayName: str
    conferenceAlias: str
    meeting: MeetingInfo
    # Who rang (the staff member's name; the party's for a case system's call): the device's
    # call ends as soon as that host has left (else once no host is left).
    caller: str | None = None
