"""Rooms, participants, tokens and event fan-out of the emulated conference node."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from emulator.node.media import MediaCall

log = logging.getLogger(__name__)

Role = Literal["HOST", "GUEST"]
VERSION = {"version_id": "36", "pseudo_version": "36.0.0.0"}
# Put on an SSE queue to end that stream.
CLOSE_STREAM: dict[str, Any] = {}


class NodeError(Exception):
    """A request the node refuses; `status` and `result` become the JSON answer."""

    def __init__(self, status: int, result: Any, failed: bool = False) -> None:
        super().__init__(str(result))
        self.status = status
        self.result = result
        self.failed = failed


@dataclass(slots=True)
class SseEvent:
    name: str
    data: dict[str, Any]


@dataclass(eq=False)
class Participant:
    uuid: str
    display_name: str
    role: Role
    call_tag: str
    joined_seq: int
    start_time: float = field(default_factory=time.time)
    expires_at: float = 0.0
    is_muted: bool = False
    call: MediaCall | None = None
    streams: set[asyncio.Queue[SseEvent | dict[str, Any]]] = field(default_factory=set)

    @property
    def has_media(self) -> bool:
        return self.call is not None and self.call.connected

    def as_event(self, guests_muted: bool) -> dict[str, Any]:
        """The participant object as Infinity sends it in events and `participants`."""
        muted = self.is_muted or (guests_muted and self.role == "GUEST")
        has_call = self.call is not None
        return {
            "buzz_time": 0,
            "call_direction": "in",
            "call_tag": self.call_tag,
            "disconnect_supported": "YES",
            "display_name": self.display_name,
            "encryption": "On",
            "external_node_uuid": "",
            "fecc_supported": "NO",
            "has_media": self.has_media,
            "is_audio_only_call": "NO",
            "is_client_muted": False,
            "is_external": False,
            "is_muted": "YES" if muted else "NO",
            "is_presenting": "NO",
            "is_streaming_conference": False,
            "is_video_call": "YES" if has_call else "NO",
            "is_video_muted": False,
            "is_video_silent": False,
            "local_alias": "",
            "mute_supported": "YES",
            "overlay_text": self.display_name,
            "presentation_supported": "YES",
            "protocol": "webrtc" if has_call else "api",
            "role": "chair" if self.role == "HOST" else "guest",
            "rx_presentation_policy": "ALLOW",
            "service_type": "conference",
            "spotlight": 0,
            "start_time": int(self.start_time),
            "supports_direct_chat": False,
            "transfer_supported": "YES",
            "uuid": self.uuid,
            "uri": "",
            "vendor": "",
            "can_receive_personal_mix": False,
            "receive_from_video_mix": {"mix_name": "main", "timestamp": 0},
        }


@dataclass(eq=False)
class Room:
    alias: str
    host_pin: str
    guest_pin: str | None
    locked: bool = False
    guests_muted: bool = False
    participants: dict[str, Participant] = field(default_factory=dict)

    def state(self) -> dict[str, Any]:
        return {
            "locked": self.locked,
            "guests_muted": self.guests_muted,
            "started": True,
            "direct_media": False,
            "all_muted": False,
            "presentation_allowed": True,
            "breakout_rooms": False,
            "guests_can_unmute": True,
            "guests_can_present": True,
            "live_captions_available": False,
        }

    def participant_list(self) -> list[dict[str, Any]]:
        return [p.as_event(self.guests_muted) for p in self.participants.values()]


class Node:
    """All rooms of the emulated conference node, kept in memory."""

    def __init__(self, token_ttl: int) -> None:
        self.token_ttl = token_ttl
        self.rooms: dict[str, Room] = {}
        # token -> (alias, participant uuid, token expiry)
        self._tokens: dict[str, tuple[str, str, float]] = {}
        self._seq = itertools.count(1)

    # -- rooms --------------------------------------------------------------------------
    def provision(self, alias: str, host_pin: str, guest_pin: str | None) -> Room:
        room = Room(alias=alias, host_pin=host_pin, guest_pin=guest_pin)
        self.rooms[alias] = room
        return room

    def room(self, alias: str) -> Room:
        room = self.rooms.get(alias)
        if room is None:
            raise NodeError(404, "Neither conference nor gateway found", failed=True)
        return room

    async def remove_room(self, alias: str, reason: str) -> None:
        room = self.rooms.pop(alias, None)
        if room is None:
            return
        for participant in list(room.participants.values()):
            await self.drop(room, participant, reason)

    # -- tokens -------------------------------------------------------------------------
    def _issue_token(self, room: Room, participant: Participant) -> str:
        token = secrets.token_urlsafe(32)
        expires_at = time.monotonic() + self.token_ttl
        self._tokens[token] = (room.alias, participant.uuid, expires_at)
        participant.expires_at = expires_at
        return token

    def authenticate(self, alias: str, token: str | None) -> tuple[Room, Participant]:
        entry = self._tokens.get(token or "")
        if entry is None or entry[2] < time.monotonic() or entry[0] != alias:
            raise NodeError(403, "Invalid token")
        room = self.rooms.get(entry[0])
        participant = room.participants.get(entry[1]) if room else None
        if room is None or participant is None:
            raise NodeError(403, "Invalid token")
        return room, participant

    def check_pin(self, room: Room, pin: str | None) -> Role:
        if pin is None or pin == "":
            raise NodeError(
                403,
                {
                    "pin": "required",
                    "guest_pin": "required" if room.guest_pin else "none",
                    "version": VERSION,
                },
            )
        if secrets.compare_digest(pin, room.host_pin):
            return "HOST"
        if room.guest_pin and secrets.compare_digest(pin, room.guest_pin):
            return "GUEST"
        if pin == "none" and not room.guest_pin:
            return "GUEST"
        raise NodeError(403, "Invalid PIN")

    def join(
        self, room: Room, role: Role, display_name: str, call_tag: str
    ) -> tuple[str, Participant]:
        participant = Participant(
            uuid=str(uuid.uuid4()),
            display_name=display_name,
            role=role,
            call_tag=call_tag,
            joined_seq=next(self._seq),
        )
        room.participants[participant.uuid] = participant
        token = self._issue_token(room, participant)
        self.broadcast(room, "participant_create", participant.as_event(room.guests_muted))
        return token, participant

    def refresh(self, room: Room, participant: Participant) -> str:
        # The old token stays valid until its own expiry: requests may be in flight with it.
        return self._issue_token(room, participant)

    def release(self, token: str) -> None:
        self._tokens.pop(token, None)

    # -- leaving ------------------------------------------------------------------------
    async def drop(self, room: Room, participant: Participant, reason: str | None) -> None:
        """Remove a participant: end its call, close its streams, tell the others."""
        if room.participants.pop(participant.uuid, None) is None:
            return
        for token, entry in list(self._tokens.items()):
            if entry[1] == participant.uuid:
                del self._tokens[token]
        for queue in list(participant.streams):
            if reason is not None:
                _offer(queue, SseEvent("disconnect", {"reason": reason}))
            _offer(queue, CLOSE_STREAM)
        if participant.call is not None:
            call, participant.call = participant.call, None
            await call.close()
        self.broadcast(room, "participant_delete", {"uuid": participant.uuid})
        self.rewire(room)

    async def end_call(self, room: Room, participant: Participant) -> None:
        if participant.call is None:
            return
        call, participant.call = participant.call, None
        await call.close()
        self.rewire(room)
        self.participant_changed(room, participant)

    async def reap_expired(self) -> int:
        """Drop participants whose token expired without a refresh."""
        now = time.monotonic()
        for token, entry in list(self._tokens.items()):
            if entry[2] < now:
                del self._tokens[token]
        dropped = 0
        for room in list(self.rooms.values()):
            for participant in list(room.participants.values()):
                if participant.expires_at < now:
                    log.info("dropping participant %s: token expired", participant.uuid)
                    await self.drop(room, participant, "Timer expired awaiting token refresh")
                    dropped += 1
        return dropped

    def close_streams(self) -> None:
        """End every open event stream (on shutdown, so no connection holds the server up)."""
        for room in self.rooms.values():
            for participant in room.participants.values():
                for queue in list(participant.streams):
                    _offer(queue, CLOSE_STREAM)

    async def close(self) -> None:
        for alias in list(self.rooms):
            await self.remove_room(alias, "Conference terminated by an administrator")

    # -- events and media ---------------------------------------------------------------
    def broadcast(
        self, room: Room, name: str, data: dict[str, Any], exclude: Participant | None = None
    ) -> None:
        for participant in room.participants.values():
            if participant is exclude:
                continue
            for queue in participant.streams:
                _offer(queue, SseEvent(name, data))

    def participant_changed(self, room: Room, participant: Participant) -> None:
        self.broadcast(room, "participant_update", participant.as_event(room.guests_muted))

    def rewire(self, room: Room) -> None:
        """Point every participant's outgoing tracks at the most recent other joiner."""
        senders = sorted(
            (p for p in room.participants.values() if p.call and p.call.incoming),
            key=lambda p: p.joined_seq,
            reverse=True,
        )
        for participant in room.participants.values():
            if participant.call is None:
                continue
            source = next((s for s in senders if s is not participant), None)
            incoming = source.call.incoming if source and source.call else {}
            participant.call.video_out.switch_to(incoming.get("video"))
            participant.call.audio_out.switch_to(incoming.get("audio"))

    async def run_reaper(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.reap_expired()
            except Exception:
                log.exception("reaper failed")


def _offer(
    queue: asyncio.Queue[SseEvent | dict[str, Any]], item: SseEvent | dict[str, Any]
) -> None:
    with contextlib.suppress(asyncio.QueueFull):
        queue.put_nowait(item)
