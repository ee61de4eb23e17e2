"""Devices in Redis: enrolment, the registry, state, message queues and calls.

Keys under `bv:devices:` (cluster-safe: every command touches one key):
`d:<id>` the device, `party:<party>` its party's set of ids, `enrol:<pseudonym of code>` an
enrolment code (15 min, taken once with GETDEL), `state:<id>` last seen, battery, version,
`online:<id>` which instance and connection hold it (expires without heartbeats),
`queue:{<id>}` its waiting messages (a stream: order, bounded, each with its expiry),
`in:{<party>}` documents from the party's devices (a stream the webhook reads as a consumer
group), `call:<id>` a device call, `ring:<device>` the call ringing on a device.
"""

from __future__ import annotations

import io
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import msgspec
import segno
from redis.typing import (
    EncodableT,
    FieldT,
    StreamRangeResponse,
    XReadGroupResponse,
    XReadResponse,
)

from bff.core import store
from bff.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthenticated,
)
from bff.core.sealing import Pseudonymiser, Sealer, SealError
from bff.core.text import UNSAFE_TEXT, check_shown_text
from bff.devices import tokens
from bff.devices.models import (
    Battery,
    CallStatus,
    Device,
    DeviceCall,
    DeviceOut,
    Enrolment,
    EnrolmentOut,
    EnrolOut,
    FromDevice,
    FromDevicePage,
    InboxEntry,
    PendingMessage,
    QueueEntry,
    caller_purpose,
    enrolment_purpose,
    label_purpose,
)
from bff.meetings.models import Meeting
from bff.meetings.service import get_meeting
from bff.parties.models import Party

log = logging.getLogger("bff.devices")
E = TypeVar("E", bound=msgspec.Struct)

P = store.DEVICES
ENROL_TTL = 15 * 60
MAX_BODY = 16 * 1024  # one JSON document, encoded
MAX_QUEUE = 100  # waiting messages per device
MAX_TTL = 7 * 86400
INBOX_MAX = 10_000  # documents from one party's devices kept for reading over the API
INBOX_KEEP = 7 * 86400
CALL_KEEP = 3600  # a call's record outlives its meeting by this
# KEYS[1] the queue. ARGV: max length, now (ms), expires (ms), body, key TTL (s).
# Expired entries make room first; a queue still full answers nil.
_ENQUEUE = """
local function expire_old()
  for _, entry in ipairs(redis.call('XRANGE', KEYS[1], '-', '+')) do
    local fields = entry[2]
    for i = 1, #fields, 2 do
      if fields[i] == 'exp' and tonumber(fields[i + 1]) <= tonumber(ARGV[2]) then
        redis.call('XDEL', KEYS[1], entry[1])
      end
    end
  end
end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then expire_old() end
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[1]) then return false end
local id = redis.call('XADD', KEYS[1], '*', 'exp', ARGV[3], 'body', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return id
"""
# KEYS[1] becomes ARGV[2] (keeping its TTL) only while it still holds ARGV[1].
_COMPARE_AND_SET = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
"""
_COMPARE_AND_DELETE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def device_key(device_id: str) -> str:
    return f"{P}d:{device_id}"


def party_key(party: str) -> str:
    return f"{P}party:{party}"


def state_key(device_id: str) -> str:
    return f"{P}state:{{{device_id}}}"  # one slot with online_key: a heartbeat is one script


def online_key(device_id: str) -> str:
    return f"{P}online:{{{device_id}}}"


def queue_key(device_id: str) -> str:
    return f"{P}queue:{{{device_id}}}"


def inbox_key(party: str) -> str:
    return f"{P}in:{{{party}}}"


def call_key(call_id: str) -> str:
    return f"{P}call:{call_id}"


def ring_key(device_id: str) -> str:
    return f"{P}ring:{device_id}"


def valid_id(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)


def encode_body(body: dict[str, Any], where: str = "body") -> bytes:
    raw = msgspec.json.encode(body)
    if len(raw) > MAX_BODY:
        raise InvalidInput(f"{where}: at most {MAX_BODY} bytes of JSON, got {len(raw)}")
    return raw


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _moment(ms: float) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


# -- Redis streams -----------------------------------------------------------------------


def text_fields(fields: Mapping[bytes | str, bytes | str] | None) -> dict[str, str]:
    """A hash's or a stream entry's fields as Redis answers them, as text."""
    return {store.as_text(k): store.as_text(v) for k, v in (fields or {}).items()}


def entry_of(fields: dict[str, str], kind: type[E]) -> E:
    """A stream entry's fields (as text) as the struct they are written from; a missing field
    takes its default."""
    return msgspec.convert(fields, kind, strict=False)


def entry_fields(entry: msgspec.Struct) -> dict[FieldT, EncodableT]:
    """A struct as the fields of a stream entry to add (XADD)."""
    return {name: value for name, value in msgspec.structs.asdict(entry).items()}


def stream_entries(found: StreamRangeResponse | None) -> list[tuple[str, dict[str, str]]]:
    """Stream entries as XRANGE and XREAD answer them, as text: (id, fields). An entry answered
    without an id (XCLAIM's for one trimmed from the stream meanwhile) is left out."""
    return [(store.as_text(i), text_fields(f)) for i, f in found or [] if i is not None]


def read_streams(found: XReadResponse | XReadGroupResponse) -> StreamRangeResponse:
    """The entries of an XREAD or XREADGROUP answer, stream after stream. The app's clients
    speak RESP2 (bff.core.store): `[[stream, entries], ...]`, empty when nothing came."""
    if isinstance(found, dict):
        raise TypeError("a RESP3 answer to XREAD: bff.core.store's clients speak RESP2")
    return [entry for _, entries in found or [] for entry in entries]


def stream_id_after(a: str, b: str) -> bool:
    """Whether stream id `a` comes after `b` (`ms-seq`)."""
    am, _, aseq = a.partition("-")
    bm, _, bseq = b.partition("-")
    return (int(am), int(aseq or 0)) > (int(bm), int(bseq or 0))


@dataclass(frozen=True, slots=True)
class DeviceService:
    redis: store.Redis
    sealer: Sealer
    pseudonyms: Pseudonymiser

    # -- enrolment ---------------------------------------------------------------------

    def _code_key(self, party: str, code: str) -> str:
        return f"{P}enrol:{self.pseudonyms.pseudonym('device-enrol', f'{party}:{code}')}"

    async def new_enrolment(
        self, party: Party, label: str, by: str, public_url: str
    ) -> EnrolmentOut:
        label = check_shown_text(label, "label")
        expires = datetime.now(UTC) + timedelta(seconds=ENROL_TTL)
        record = Enrolment(
            party.id, self.sealer.seal(label, enrolment_purpose(party.id)), by, expires
        )
        for _ in range(5):
            code = tokens.new_code()
            if await self.redis.set(
                self._code_key(party.id, code), msgspec.json.encode(record), ex=ENROL_TTL, nx=True
            ):
                break
        else:  # pragma: no cover (2^40 codes)
            raise Conflict("could not make a fresh code; try again")
        url = f"{public_url}/{party.id}/device#code={code}"
        svg = io.BytesIO()  # a whole SVG document (with its namespace): inline or as an image
        segno.make(url, error="m").save(
            svg,
            kind="svg",
            scale=6,
            border=2,
            xmldecl=False,
            nl=False,
            title=f"Tilmeldingskode {code}",
            svgclass=None,
            lineclass=None,
        )
        qr = svg.getvalue().decode()
        log.info("device enrolment code made party=%s by=%s", party.id, by)
        return EnrolmentOut(code=code, expires_at=expires, enrol_url=url, qr_svg=qr)

    async def enrol(
        self, party: Party, typed_code: str, jwk: dict[str, str], proof: str
    ) -> EnrolOut:
        code = tokens.normalise_code(typed_code)
        # The proof first: only a holder of the new key's private half can use a code.
        claims = tokens.verify(proof, jwk, tokens.audience(party.id, "enrol"))
        if code is None or claims.get("code") != typed_code:
            raise Unauthenticated("Koden er forkert eller udløbet.")
        raw = await self.redis.getdel(self._code_key(party.id, code))  # once only
        if raw is None:
            raise Unauthenticated("Koden er forkert eller udløbet.")
        enrolment = msgspec.json.decode(raw, type=Enrolment)
        if enrolment.party != party.id or enrolment.expires_at <= datetime.now(UTC):
            raise Unauthenticated("Koden er forkert eller udløbet.")
        try:
            label = self.sealer.unseal(enrolment.label_sealed, enrolment_purpose(party.id))
        except SealError:
            raise Unauthenticated("Koden er forkert eller udløbet.") from None
        device_id = uuid.uuid4().hex
        device = Device(
            id=device_id,
            party=party.id,
            label_sealed=self.sealer.seal(label, label_purpose(device_id)),
            public_jwk=jwk,
            enrolled_at=datetime.now(UTC),
            enrolled_by=enrolment.created_by,
        )
        await self.redis.set(device_key(device_id), msgspec.json.encode(device))
        await self.redis.sadd(party_key(party.id), device_id)
        log.info("device enrolled party=%s device=%s", party.id, device_id)
        return EnrolOut(device_id=device_id, party=party.id, label=label)

    # -- registry ----------------------------------------------------------------------

    async def _record(self, kind: type[E], key: Callable[[str], str], record_id: str) -> E | None:
        """A device's or a call's record; None for an id that cannot be one."""
        if not valid_id(record_id):
            return None
        raw = await self.redis.get(key(record_id))
        return None if raw is None else msgspec.json.decode(raw, type=kind)

    async def get(self, device_id: str) -> Device | None:
        return await self._record(Device, device_key, device_id)

    async def own(self, party: Party, device_id: str) -> Device:
        device = await self.get(device_id)
        if device is None or device.party != party.id:
            raise NotFound("No such device")
        return device

    def label(self, device: Device) -> str:
        return self.sealer.unseal_or(device.label_sealed, label_purpose(device.id), "Ukendt enhed")

    async def authenticate(self, token: str) -> Device:
        """The device that signed this fresh token; refused: unknown, revoked, replayed,
        bad signature (401) or disabled (403)."""
        kid = tokens.unverified_kid(token)
        device = await self.get(kid)
        if device is None:
            raise Unauthenticated("unknown or revoked device")
        claims = tokens.verify(token, device.public_jwk, tokens.audience(device.party, "device"))
        await tokens.spend_jti(self.redis, device.id, claims)
        if not device.enabled:
            raise Forbidden("this device is disabled by its party")
        return device

    async def list_devices(self, party: Party) -> list[DeviceOut]:
        ids = sorted(store.as_text(i) for i in await self.redis.smembers(party_key(party.id)))
        return await self.describe(ids, party.id)

    async def describe(self, ids: list[str], party_id: str) -> list[DeviceOut]:
        if not ids:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for device_id in ids:
                pipe.get(device_key(device_id))
                pipe.hgetall(state_key(device_id))
                pipe.exists(online_key(device_id))
            answers = await pipe.execute()
        out: list[DeviceOut] = []
        for index in range(len(ids)):
            raw, state, online = answers[3 * index : 3 * index + 3]
            if raw is None:
                continue
            device = msgspec.json.decode(raw, type=Device)
            if device.party == party_id:
                out.append(self._out(device, state, bool(online)))
        out.sort(key=lambda d: d.label.lower())
        return out

    def _out(
        self, device: Device, state: Mapping[bytes | str, bytes | str] | None, online: bool
    ) -> DeviceOut:
        fields = text_fields(state)
        battery = None
        if fields.get("battery_level", "").isdigit():
            battery = Battery(int(fields["battery_level"]), fields.get("charging") == "1")
        last_seen = float(fields["last_seen"]) if fields.get("last_seen") else None
        return DeviceOut(
            id=device.id,
            label=self.label(device),
            enabled=device.enabled,
            enrolled_at=device.enrolled_at,
            enrolled_by=device.enrolled_by,
            online=online and device.enabled,
            last_seen=None if last_seen is None else datetime.fromtimestamp(last_seen, UTC),
            battery=battery,
            app_version=fields.get("app_version") or None,
        )

    async def out(self, device: Device) -> DeviceOut:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(state_key(device.id))
            pipe.exists(online_key(device.id))
            state, online = await pipe.execute()
        return self._out(device, state, bool(online))

    async def update(self, device: Device, label: str | None, enabled: bool | None) -> None:
        if label is not None:
            device.label_sealed = self.sealer.seal(
                check_shown_text(label, "label"), label_purpose(device.id)
            )
        if enabled is not None:
            device.enabled = enabled
        await self.redis.set(device_key(device.id), msgspec.json.encode(device), xx=True)

    async def revoke(self, device: Device) -> None:
        """Gone for good: its key opens nothing any more, its queue and state go too."""
        await self.redis.delete(device_key(device.id))
        await self.redis.srem(party_key(device.party), device.id)
        for key in (queue_key(device.id), state_key(device.id), ring_key(device.id)):
            await self.redis.delete(key)
        log.info("device revoked party=%s device=%s", device.party, device.id)

    # -- state -------------------------------------------------------------------------

    async def record_state(self, device_id: str, report: dict[str, Any]) -> None:
        """Hello: last seen now, and battery and version when reported."""
        await self.redis.hset(state_key(device_id), mapping=state_fields(report))

    async def seen_now(self, device_id: str) -> None:
        await self.redis.hset(state_key(device_id), "last_seen", f"{time.time():.3f}")

    # -- messages to a device -----------------------------------------------------------

    async def enqueue(self, device: Device, body: dict[str, Any], ttl: int) -> tuple[str, datetime]:
        raw = encode_body(body)
        now = datetime.now(UTC)
        expires = now + timedelta(seconds=min(ttl, MAX_TTL))
        found = await self.redis.eval(
            _ENQUEUE, 1, queue_key(device.id), MAX_QUEUE, _ms(now), _ms(expires), raw, MAX_TTL
        )
        if found is None:
            raise TooManyRequests(
                f"the device's queue is full ({MAX_QUEUE} messages wait for it)", retry_after=60
            )
        return store.as_text(found), expires

    async def pending(
        self, device_id: str, after: str = "-", count: int = 50
    ) -> list[tuple[str, QueueEntry]]:
        """(id, message) of waiting messages after `after`, in order; expired ones are dropped
        on the way."""
        start = "-" if after == "-" else f"({after}"
        entries = await self.redis.xrange(queue_key(device_id), min=start, max="+", count=count)
        now = _ms(datetime.now(UTC))
        out: list[tuple[str, QueueEntry]] = []
        expired: list[str] = []
        for entry_id, fields in stream_entries(entries):
            message = entry_of(fields, QueueEntry)
            if message.exp <= now:
                expired.append(entry_id)
                continue
            out.append((entry_id, message))
        if expired:
            await self.redis.xdel(queue_key(device_id), *expired)
        return out

    async def acknowledge(self, device_id: str, message_id: str) -> None:
        await self.redis.xdel(queue_key(device_id), message_id)

    async def waiting(self, device: Device) -> list[PendingMessage]:
        found = await self.pending(device.id, count=MAX_QUEUE)
        return [PendingMessage(id=i, expires_at=_moment(m.exp)) for i, m in found]

    # -- documents from devices ---------------------------------------------------------

    async def from_device(self, device: Device, body: dict[str, Any]) -> str:
        entry = InboxEntry(device.id, _ms(datetime.now(UTC)), encode_body(body).decode())
        key = inbox_key(device.party)
        entry_id = await self.redis.xadd(
            key, entry_fields(entry), maxlen=INBOX_MAX, approximate=True
        )
        oldest = _ms(datetime.now(UTC)) - INBOX_KEEP * 1000
        await self.redis.xtrim(key, minid=str(oldest), approximate=True)
        await self.redis.expire(key, INBOX_KEEP)
        return store.as_text(entry_id)

    async def received(self, party: Party, after: str | None, limit: int) -> FromDevicePage:
        start = "-" if not after else f"({after}"
        entries = await self.redis.xrange(inbox_key(party.id), min=start, max="+", count=limit)
        messages = [
            inbox_entry(entry_id, entry_of(fields, InboxEntry))
            for entry_id, fields in stream_entries(entries)
        ]
        return FromDevicePage(messages=messages, next=messages[-1].id if messages else after)

    # -- calls -------------------------------------------------------------------------

    async def ring(self, party: Party, meeting_id: str, device_id: str, caller: str) -> DeviceCall:
        meeting = await get_meeting(self.redis, meeting_id)
        if meeting is None or meeting.party != party.id:
            raise NotFound("No such meeting")
        now = datetime.now(UTC)
        check_joinable(meeting, party, now)
        device = await self.own(party, device_id)
        if not device.enabled:
            raise Conflict("the device is disabled")
        call = DeviceCall(
            id=uuid.uuid4().hex,
            party=party.id,
            meeting_id=meeting.id,
            device_id=device.id,
            caller_sealed="",
            created_at=now,
            rings_until=now + timedelta(seconds=party.options.device_ring_seconds),
        )
        call.caller_sealed = self.sealer.seal(caller, caller_purpose(call.id))
        seconds = party.options.device_ring_seconds
        if not await self.redis.set(ring_key(device.id), call.id, nx=True, ex=seconds):
            raise Conflict("the device is being called already; try again in a moment")
        keep = max(60, int((meeting.end - now).total_seconds()) + CALL_KEEP)
        await self.redis.set(call_key(call.id), msgspec.json.encode(call), ex=keep)
        log.info("device call party=%s meeting=%s device=%s", party.id, meeting.id, device.id)
        return call

    async def call(self, call_id: str) -> DeviceCall | None:
        return await self._record(DeviceCall, call_key, call_id)

    async def party_call(self, party: Party, meeting_id: str, call_id: str) -> DeviceCall:
        """A call of the party's into that meeting (else 404, as for an unknown one)."""
        call = await self.call(call_id)
        if call is None or call.party != party.id or call.meeting_id != meeting_id:
            raise NotFound("No such call")
        return call

    def caller(self, call: DeviceCall) -> str:
        return self.sealer.unseal_or(call.caller_sealed, caller_purpose(call.id), "")

    async def ringing_call(self, device_id: str) -> DeviceCall | None:
        call_id = await self.redis.get(ring_key(device_id))
        call = None if call_id is None else await self.call(store.as_text(call_id))
        if call is None or call.status_at(datetime.now(UTC)) != "ringing":
            return None
        return call

    async def settle(
        self, call_id: str, to: CallStatus, device_id: str | None = None
    ) -> DeviceCall:
        """ringing → answered/declined/cancelled, once (compare-and-set on the record)."""
        for _ in range(10):
            raw = await self.redis.get(call_key(call_id)) if valid_id(call_id) else None
            if raw is None:
                raise NotFound("No such call")
            call = msgspec.json.decode(raw, type=DeviceCall)
            if device_id is not None and call.device_id != device_id:
                raise NotFound("No such call")
            now = datetime.now(UTC)
            if call.status_at(now) != "ringing":
                raise Conflict(f"the call is no longer ringing ({call.status_at(now)})")
            call.status = to
            call.changed_at = now
            swapped = await self.redis.eval(
                _COMPARE_AND_SET, 1, call_key(call_id), raw, msgspec.json.encode(call)
            )
            if int(swapped) == 1:
                await self.redis.eval(_COMPARE_AND_DELETE, 1, ring_key(call.device_id), call.id)
                return call
        raise Conflict("the call changed meanwhile; try again")


def state_fields(report: dict[str, Any]) -> dict[FieldT, EncodableT]:
    """What a hello or heartbeat reports: last seen now, battery and version when given."""
    fields: dict[FieldT, EncodableT] = {"last_seen": f"{time.time():.3f}"}
    battery = report.get("battery")
    if isinstance(battery, dict):
        level = battery.get("level")
        if isinstance(level, (int, float)) and not isinstance(level, bool) and 0 <= level <= 1:
            fields["battery_level"] = str(round(level * 100))
            fields["charging"] = "1" if battery.get("charging") is True else "0"
    version = report.get("version")
    if isinstance(version, str) and 0 < len(version) <= 40 and not UNSAFE_TEXT.search(version):
        fields["app_version"] = version
    return fields


def check_joinable(meeting: Meeting, party: Party, now: datetime) -> None:
    """A call into the meeting may ring now; else 409 saying why (its state, not the request)."""
    if meeting.status_at(now) != "scheduled":
        raise Conflict("The meeting is over or cancelled")
    opens = meeting.opens_at(timedelta(minutes=party.options.link_opens_minutes_before))
    if now < opens:
        at = opens.isoformat(timespec="minutes")
        raise Conflict(f"The meeting is not open yet: it opens at {at}")


def inbox_entry(entry_id: str, entry: InboxEntry) -> FromDevice:
    return FromDevice(
        id=entry_id,
        device_id=entry.device,
        sent_at=_moment(entry.at),
        body=msgspec.json.decode(entry.body, type=dict[str, Any]),
    )
