"""The device channel: one authenticated WebSocket per device, on any BFF instance.

Cross-instance delivery runs on Redis Streams. Each instance reads its own bus stream
(`bv:devices:bus:<instance>`, XREAD BLOCK) and a device's presence key names the instance and
connection that hold it. Whoever has something for a device (a queued message, a call, a
revocation) XADDs a short event to that instance's bus; the connection then reads the
device's own queue stream, which is the single source of truth: nothing is lost when an
event is, and a device that was away gets everything in order when it comes back.

Protocol (JSON text frames). Device → BFF: `hello {token, version, battery}` first (within
10 s; token: a fresh device JWT), then `heartbeat {battery, version}`, `ack {id}`,
`send {ref, body}`. BFF → device: `welcome`, `message {id, body, sent_at}`, `ring {call}`,
`ring-end {call_id, status}`, `sent {ref, id}`, `error {reason}`. Each message stays queued
until the device acknowledges it; the page drops ids it has already handled, so the app sees
each exactly once. Close codes: 4401 not authenticated, 4403 disabled or revoked, 4408 no
hello or heartbeat in time, 4409 replaced by a newer connection, 1009 frame too large,
1012 the instance is shutting down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import msgspec
from litestar import WebSocket
from prometheus_client import Counter, Gauge
from redis.exceptions import RedisError
from redis.typing import EncodableT, FieldT

from bff.core import store
from bff.core.errors import DomainError, Forbidden, InvalidInput, Unauthenticated
from bff.core.tasks import stop
from bff.devices.models import Device, DeviceCall
from bff.devices.service import (
    MAX_BODY,
    DeviceService,
    _moment,
    online_key,
    read_streams,
    state_fields,
    state_key,
    stream_entries,
    stream_id_after,
)
from bff.parties.deps import provide_parties
from bff.parties.models import Party

log = logging.getLogger("bff.devices.channel")
DEVICES_CONNECTED = Gauge(
    "bv_devices_connected", "Device channels open on this process", multiprocess_mode="livesum"
)
DOCUMENTS = Counter("bv_device_documents", "Documents received from devices")

HELLO_TIMEOUT = 10.0
MAX_FRAME = 32 * 1024
BUS_BLOCK_MS = 1000  # below the Redis client's socket timeout
BUS_KEEP = 120  # seconds a bus stream outlives its last event (a dead instance's goes)
BUS_MAXLEN = 10_000
# A heartbeat in one round trip: presence held while ours or free (gone: the device is offline),
# then the reported state kept.
# KEYS: online, state (one slot). ARGV: presence, TTL, field, value, field, value, ...
_BEAT = """
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
return 1
"""
_RELEASE_PRESENCE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_open: set[DeviceConnection] = set()


def bus_key(instance: str) -> str:
    return f"{store.DEVICES}bus:{instance}"


class Closed(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class DeviceHub:
    """This instance's side of the channel: its open connections and its bus reader."""

    def __init__(self, redis: store.Redis, devices: DeviceService, heartbeat: int) -> None:
        self.redis = redis
        self.devices = devices
        self.heartbeat = heartbeat
        self.instance = secrets.token_hex(8)
        self.connections: dict[str, DeviceConnection] = {}
        self._beat = redis.register_script(_BEAT)

    # -- telling a device, wherever it is connected ----------------------------------

    async def notify(self, device_id: str, kind: str, **extra: str) -> bool:
        """An event for the device's connection, on whichever instance holds it; False when
        it is offline (what is queued waits for it)."""
        held = await self.redis.get(online_key(device_id))
        if held is None:
            return False
        instance, _, conn = store.as_text(held).partition(" ")
        await self._post(instance, {"device": device_id, "conn": conn, "kind": kind} | extra)
        return True

    async def ring(self, party: Party, meeting_id: str, device_id: str, caller: str) -> DeviceCall:
        """A call into the meeting, and the device told it rings."""
        call = await self.devices.ring(party, meeting_id, device_id, caller)
        await self.notify(device_id, "ring", call=call.id)
        return call

    async def hang_up(self, call: DeviceCall) -> DeviceCall:
        """Stop a call that still rings, and the device told so."""
        settled = await self.devices.settle(call.id, "cancelled")
        await self.notify(call.device_id, "ring-end", call=call.id, status="cancelled")
        return settled

    async def _post(self, instance: str, event: dict[str, str]) -> None:
        """An event on an instance's bus (its stream goes when nobody reads it)."""
        key = bus_key(instance)
        fields: dict[FieldT, EncodableT] = {name: value for name, value in event.items()}
        await self.redis.xadd(key, fields, maxlen=BUS_MAXLEN, approximate=True)
        await self.redis.expire(key, BUS_KEEP)

    async def run(self) -> None:
        """Read this instance's bus and hand each event to its connection."""
        key = bus_key(self.instance)
        # Not "$": that would miss what arrives between two reads. The instance id is new at
        # every start, so its stream holds nothing older than this reader.
        last = "0-0"
        task = asyncio.current_task()
        # Not `while True`: a cancel that lands in XREAD BLOCK can be swallowed by the Redis
        # client's retry on a broken connection, and shutdown would wait for ever.
        while task is None or not task.cancelling():
            try:
                await self.redis.expire(key, BUS_KEEP)
                found = await self.redis.xread({key: last}, block=BUS_BLOCK_MS, count=500)
            except RedisError:
                await asyncio.sleep(0.5)  # Redis away: connections carry on, events wait
                continue
            for entry_id, event in stream_entries(read_streams(found)):
                last = entry_id
                self._dispatch(event)

    def _dispatch(self, event: dict[str, str]) -> None:
        conn = self.connections.get(event.get("device", ""))
        if conn is None or conn.conn_id != event.get("conn"):
            return
        conn.events.put_nowait(event)

    # -- presence ----------------------------------------------------------------------

    async def attach(self, conn: DeviceConnection) -> None:
        """This connection holds the device now; an older one (any instance) is closed."""
        key = online_key(conn.device.id)
        # SET ... GET answers the presence it replaced, or none (redis-py's type allows a bool).
        previous = await self.redis.set(key, conn.presence, ex=self.heartbeat * 3, get=True)
        held = store.as_text(previous) if isinstance(previous, bytes | str) else None
        old = self.connections.get(conn.device.id)
        self.connections[conn.device.id] = conn
        if old is not None and old is not conn:
            old.events.put_nowait({"kind": "replaced"})
        elif held is not None and held != conn.presence:
            instance, _, old_conn = held.partition(" ")
            if instance != self.instance:
                await self._post(
                    instance, {"device": conn.device.id, "conn": old_conn, "kind": "replaced"}
                )

    async def beat(self, conn: DeviceConnection, fields: dict[FieldT, EncodableT]) -> bool:
        """Presence renewed (while this connection holds it) and the reported state kept."""
        flat = [item for pair in fields.items() for item in pair]
        keys = [online_key(conn.device.id), state_key(conn.device.id)]
        return bool(await self._beat(keys=keys, args=[conn.presence, self.heartbeat * 3, *flat]))

    async def detach(self, conn: DeviceConnection) -> None:
        if self.connections.get(conn.device.id) is conn:
            del self.connections[conn.device.id]
        with contextlib.suppress(RedisError):
            await self.redis.eval(_RELEASE_PRESENCE, 1, online_key(conn.device.id), conn.presence)
            await self.devices.seen_now(conn.device.id)


def close_device_channels() -> None:
    """Shutting down: every device reconnects at once (to another instance)."""
    for conn in list(_open):
        conn.events.put_nowait({"kind": "shutdown"})


class DeviceConnection:
    def __init__(self, socket: WebSocket[Any, Any, Any], hub: DeviceHub, device: Device) -> None:
        self.socket = socket
        self.hub = hub
        self.device = device
        self.conn_id = secrets.token_hex(6)
        self.presence = f"{hub.instance} {self.conn_id}"
        self.events: asyncio.Queue[dict[str, str]] = asyncio.Queue()
        self.sent_up_to = "-"  # the last queued message id sent on this connection
        self.ringing: str | None = None

    async def send(self, frame: dict[str, Any]) -> None:
        await self.socket.send_data(msgspec.json.encode(frame).decode(), mode="text")

    # -- BFF → device -----------------------------------------------------------------

    async def pump(self) -> None:
        """Every queued message not yet sent on this connection, in order."""
        while True:
            batch = await self.hub.devices.pending(self.device.id, self.sent_up_to)
            if not batch:
                return
            for message_id, message in batch:
                if self.sent_up_to != "-" and not stream_id_after(message_id, self.sent_up_to):
                    continue
                sent_at = _moment(int(message_id.partition("-")[0])).isoformat()
                head = f'{{"type":"message","id":"{message_id}","sent_at":"{sent_at}","body":'
                await self.socket.send_data(head + message.body + "}", mode="text")
                self.sent_up_to = message_id

    async def ring_if_any(self) -> None:
        call = await self.hub.devices.ringing_call(self.device.id)
        if call is None or call.id == self.ringing:
            return
        self.ringing = call.id
        party = provide_parties(self.socket).get(self.device.party)
        left = (call.rings_until - datetime.now(UTC)).total_seconds()
        await self.send(
            {
                "type": "ring",
                "call": {
                    "id": call.id,
                    "caller": self.hub.devices.caller(call),
                    "party": party.name if party else "",
                    "auto_answer": bool(party and party.options.device_auto_answer),
                    "seconds_left": max(1, int(left)),
                },
            }
        )

    async def on_event(self, event: dict[str, str]) -> None:
        kind = event.get("kind")
        if kind == "message":
            await self.pump()
        elif kind == "ring":
            await self.ring_if_any()
        elif kind == "ring-end":
            if self.ringing == event.get("call"):
                self.ringing = None
            await self.send(
                {
                    "type": "ring-end",
                    "call_id": event.get("call", ""),
                    "status": event.get("status", ""),
                }
            )
        elif kind == "replaced":
            raise Closed(4409, "replaced by a newer connection of this device")
        elif kind in ("revoked", "disabled"):
            raise Closed(4403, f"this device was {kind} by its party")
        elif kind == "shutdown":
            raise Closed(1012, "this instance is restarting: connect again")

    # -- device → BFF -----------------------------------------------------------------

    async def on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        devices = self.hub.devices
        if kind == "heartbeat":
            if not await self.hub.beat(self, state_fields(frame)):
                raise Closed(4409, "replaced by a newer connection of this device")
            await self.socket.send_data('{"type":"heartbeat-ok"}', mode="text")
        elif kind == "ack":
            message_id = frame.get("id")
            if not isinstance(message_id, str) or not _is_stream_id(message_id):
                raise InvalidInput("ack: id must be a message id")
            await devices.acknowledge(self.device.id, message_id)
        elif kind == "send":
            body, ref = frame.get("body"), frame.get("ref")
            if not isinstance(body, dict):
                raise InvalidInput("send: body must be a JSON object")
            entry_id = await devices.from_device(self.device, body)
            await self.send(
                {"type": "sent", "ref": ref if isinstance(ref, str) else None, "id": entry_id}
            )
            DOCUMENTS.inc()
        else:
            raise InvalidInput("unknown frame type (hello, heartbeat, ack, send)")


def _is_stream_id(value: str) -> bool:
    ms, _, seq = value.partition("-")
    return ms.isdigit() and seq.isdigit() and len(value) <= 41


def parse_frame(text: str | bytes | None) -> dict[str, Any]:
    if text is None:
        raise InvalidInput("frames must be JSON text")
    if len(text) > MAX_FRAME:
        raise Closed(1009, f"frame too large (at most {MAX_FRAME} bytes)")
    try:
        frame = msgspec.json.decode(text)
    except (msgspec.DecodeError, RecursionError):
        raise InvalidInput("frame is not valid JSON") from None
    if not isinstance(frame, dict):
        raise InvalidInput("frame must be a JSON object")
    return frame


async def receive_frame(socket: WebSocket[Any, Any, Any]) -> dict[str, Any]:
    message = await socket.receive()
    if message["type"] == "websocket.disconnect":
        raise Closed(1000, "")
    if message["type"] != "websocket.receive":  # after the handshake, only frames come
        raise InvalidInput("frames must be JSON text")
    text = message.get("text")
    return parse_frame(text if text is not None else message.get("bytes"))


async def serve(socket: WebSocket[Any, Any, Any], hub: DeviceHub) -> None:
    """One device's connection, from hello to close."""
    await socket.accept()
    conn: DeviceConnection | None = None
    try:
        try:
            hello = await asyncio.wait_for(receive_frame(socket), HELLO_TIMEOUT)
        except TimeoutError:
            raise Closed(4408, "no hello in time") from None
        if hello.get("type") != "hello" or not isinstance(hello.get("token"), str):
            raise Closed(4401, "the first frame must be hello with a device token")
        try:
            device = await hub.devices.authenticate(hello["token"])
        except Unauthenticated as exc:
            raise Closed(4401, exc.reason) from None
        except Forbidden as exc:
            raise Closed(4403, exc.reason) from None
        conn = DeviceConnection(socket, hub, device)
        await hub.attach(conn)
        _open.add(conn)
        DEVICES_CONNECTED.inc()
        await hub.devices.record_state(device.id, hello)
        party = provide_parties(socket).get(device.party)
        await conn.send(
            {
                "type": "welcome",
                "device": {"id": device.id, "label": hub.devices.label(device)},
                "party": {"id": device.party, "name": party.name if party else ""},
                "heartbeat_seconds": hub.heartbeat,
                "max_body_bytes": MAX_BODY,
            }
        )
        await conn.pump()
        await conn.ring_if_any()
        await _run(conn)
    except Closed as closed:
        await _close(socket, closed.code, closed.reason)
    except DomainError as exc:  # a bad hello (not JSON, a bad field): the device's fault
        await _close(socket, 4400, exc.reason)
    except RedisError as exc:
        log.warning("device channel closed on a Redis error: %s", type(exc).__name__)
        await _close(socket, 1011, "try again in a moment")
    finally:
        if conn is not None:
            _open.discard(conn)
            DEVICES_CONNECTED.dec()
            await hub.detach(conn)


async def _run(conn: DeviceConnection) -> None:
    """Frames from the device and events for it, until either side ends; a device silent
    for three heartbeats is gone."""
    silence = conn.hub.heartbeat * 3
    heard = time.monotonic()
    receiving: asyncio.Task[dict[str, Any]] = asyncio.ensure_future(receive_frame(conn.socket))
    waiting: asyncio.Task[dict[str, str]] = asyncio.ensure_future(conn.events.get())
    try:
        while True:
            left = heard + silence - time.monotonic()
            if left <= 0:
                raise Closed(4408, "no heartbeat in time")
            done, _ = await asyncio.wait(
                {receiving, waiting}, timeout=left, return_when=asyncio.FIRST_COMPLETED
            )
            if waiting in done:
                await conn.on_event(waiting.result())
                waiting = asyncio.ensure_future(conn.events.get())
            if receiving in done:
                heard = time.monotonic()
                await _handle(conn, receiving)
                receiving = asyncio.ensure_future(receive_frame(conn.socket))
    finally:
        await stop(receiving, waiting)


async def _handle(conn: DeviceConnection, receiving: asyncio.Task[dict[str, Any]]) -> None:
    try:
        frame = receiving.result()
        await conn.on_frame(frame)
    except DomainError as exc:  # a bad frame: say why, keep the connection
        await conn.send({"type": "error", "reason": exc.reason})


async def _close(socket: WebSocket[Any, Any, Any], code: int, reason: str) -> None:
    with contextlib.suppress(Exception):
        if reason:
            await socket.send_data(
                msgspec.json.encode({"type": "error", "reason": reason}).decode(), mode="text"
            )
        await socket.close(code=code, reason=reason[:120])
