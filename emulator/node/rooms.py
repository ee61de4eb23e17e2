"""Rooms, participants, tokens and event fan-out of the emulated conference node."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import logging
import secrets
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Protocol

from emulator.node import direct
from emulator.node.direct import DirectCall, DirectMedia
from emulator.node.media import MediaCall
from emulator.node.models import (
    CLOSE_STREAM,
    HOSTS_DEPARTED,
    UNKNOWN_ROOM,
    VERSION,
    WAITING_TIMEOUT,
    NodeError,
    Role,
    SseEvent,
)

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Participant:
    uuid: str
    display_name: str
    role: Role
    call_tag: str
    joined_seq: int
    start_time: float = field(default_factory=time.time)
    # Where its signalling came from (reported to event sinks, as Pexip's remote_address).
    remote_address: str = ""
    # The X-Request-ID its request_token came with (a node's support log has it; tests read it).
    request_id: str = ""
    expires_at: float = 0.0
    is_muted: bool = False
    # Muted by a host or on joining (not by itself): a guest may then unmute itself only
    # when the room lets guests unmute.
    muted_by_host: bool = False
    is_client_muted: bool = False
    # The participant's own camera is off (`video_muted`); others show its name instead.
    is_video_muted: bool = False
    # Held in the waiting room of a locked conference until a host admits it.
    waiting: bool = False
    # Since when (monotonic) this guest waits for a host or for admission.
    held_since: float | None = None
    call: MediaCall | None = None
    # A participant the node dialled out to (`dial`): its protocol (sip, h323, ...), the
    # address called and whether it is audio only. It has no token and no WebRTC call.
    dialled_protocol: str | None = None
    # A raised hand: when it went up (seconds since the epoch), 0 when down (`buzz`).
    buzz_time: int = 0
    dialled_uri: str = ""
    audio_only: bool = False
    # The calling side of a call from another room on this node (a dialled VMR): "in".
    incoming: bool = False
    # A room dialled into another room on this node: the call's other leg (its room and
    # participant); hanging up either leg ends both.
    bridged: tuple[Room, Participant] | None = None
    # The call leg in direct media (peer to peer; the node only signals), see direct.py.
    direct_call: DirectCall | None = None
    # Until when (monotonic) the node drops every media datagram of this participant's calls
    # (the test control `cut-media`: a phone leaving Wi-Fi); 0: never.
    media_cut_until: float = 0.0
    streams: set[asyncio.Queue[SseEvent | dict[str, Any]]] = field(default_factory=set)

    @property
    def has_media(self) -> bool:
        if self.direct_call is not None:
            return self.direct_call.connected
        return self.call is not None and self.call.connected

    def media_cut(self) -> bool:
        return time.monotonic() < self.media_cut_until

    def as_event(self, guests_muted: bool) -> dict[str, Any]:
        """The participant object as Infinity sends it in events and `participants`: every
        field of @pexip/infinity-api's `Participant` (dist/conference/types.d.ts and the
        schema in dist/conference/validation.js), optional ones included."""
        muted = self.is_muted or (guests_muted and self.role == "GUEST")
        has_call = self.call is not None or self.direct_call is not None
        dialled = self.dialled_protocol is not None
        return {
            "buzz_time": self.buzz_time,
            "call_direction": "out" if dialled and not self.incoming else "in",
            "call_tag": self.call_tag,
            "disconnect_supported": "YES",
            "display_name": self.display_name,
            "encryption": "On",
            "external_node_uuid": "",
            "fecc_supported": "NO",
            "has_media": self.has_media,
            "is_audio_only_call": "YES" if self.audio_only else "NO",
            "is_client_muted": self.is_client_muted,
            "is_conjoined": False,
            "is_external": False,
            # Nobody signs in to an IdP on the emulated node (VDX links carry a PIN).
            "is_idp_authenticated": False,
            # Its media stopped arriving (a network change, say) and the call is still up.
            "is_main_video_dropped_out": self.call is not None and self.call.dropped_out,
            "is_muted": "YES" if muted else "NO",
            "is_presenting": "NO",
            "is_streaming_conference": False,
            "is_transferring": False,
            "is_video_call": "YES" if has_call or (dialled and not self.audio_only) else "NO",
            "is_video_muted": self.is_video_muted,
            "is_video_silent": False,
            "last_spoken_time": 0,
            "local_alias": "",
            "mute_supported": "YES",
            "needs_presentation_in_mix": False,
            "overlay_text": self.display_name,
            "presentation_supported": "YES",
            "protocol": self.dialled_protocol or ("webrtc" if has_call else "api"),
            "role": "chair" if self.role == "HOST" else "guest",
            "rx_presentation_policy": "ALLOW",
            "service_type": "waiting_room" if self.waiting else "conference",
            "spotlight": 0,
            "start_time": int(self.start_time),
            "supports_direct_chat": False,
            "transfer_supported": "YES",
            "uuid": self.uuid,
            "uri": self.dialled_uri,
            "vendor": "",
            "can_receive_personal_mix": False,
            "receive_from_video_mix": {
                "mix_name": "main",
                "timestamp": 0,
                "mix_config": {"transform_layout": {"layout": "1:7"}},
            },
        }


@dataclass(eq=False)
class Room:
    alias: str
    host_pin: str
    guest_pin: str | None
    locked: bool = False
    guests_muted: bool = False
    # Room options (Pexip's VMR settings `mute_all_guests`, guests can unmute).
    mute_guests_on_join: bool = False
    guests_can_unmute: bool = True
    # A host has joined: guests are let in and media flows.
    started: bool = False
    # When (monotonic) the last host left a started conference with guests still in it.
    hosts_left_at: float | None = None
    participants: dict[str, Participant] = field(default_factory=dict)
    # Direct media (VDX `directMedia: best_effort`), see direct.py.
    direct: DirectMedia = field(default_factory=DirectMedia)
    # The conference's message overlay text (get_message_text / set_message_text).
    message_text: str = ""

    def has_host(self) -> bool:
        return any(p.role == "HOST" for p in self.participants.values())

    def relays(self, participant: Participant) -> bool:
        """Whether the participant sends and receives media: in a started conference."""
        return self.started and not participant.waiting

    def muted(self, participant: Participant) -> bool:
        return participant.is_muted or (self.guests_muted and participant.role == "GUEST")

    @staticmethod
    def visible(viewer: Participant, subject: Participant) -> bool:
        """A guest in the waiting room sees only itself, and only hosts see it."""
        if viewer is subject:
            return True
        if viewer.waiting:
            return False
        return not subject.waiting or viewer.role == "HOST"

    def state(self) -> dict[str, Any]:
        return {
            "locked": self.locked,
            "guests_muted": self.guests_muted,
            "started": self.started,
            "direct_media": self.direct.active,
            "all_muted": False,
            "presentation_allowed": True,
            "breakout_rooms": False,
            "guests_can_unmute": self.guests_can_unmute,
            "guests_can_present": True,
            "live_captions_available": False,
        }

    def participant_list(self, viewer: Participant) -> list[dict[str, Any]]:
        return [
            p.as_event(self.guests_muted)
            for p in self.participants.values()
            if self.visible(viewer, p)
        ]

    def end_conference(self) -> None:
        """The last participant left: the next one starts a new conference."""
        self.started = False
        self.locked = False
        self.guests_muted = False
        self.hosts_left_at = None
        self.message_text = ""


@dataclass(frozen=True, slots=True)
class AllowListEntry:
    """Pexip's break-in allow list entry (go-infinity-sdk
    `config/break_in_allow_list_address_model.go`: `address`/`prefix`,
    `ignore_incorrect_pins`, `ignore_incorrect_aliases`)."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    ignore_incorrect_pins: bool = True
    ignore_incorrect_aliases: bool = True

    @classmethod
    def parse(cls, text: str) -> AllowListEntry:
        """`<address>[/<prefix>][=pins+aliases]` (without `=`: both ignored)."""
        address, _, ignores = text.strip().partition("=")
        flags = set(ignores.split("+")) if ignores else {"pins", "aliases"}
        if not flags <= {"pins", "aliases"}:
            raise ValueError(f"allow list entry {text!r}: after = pins, aliases or pins+aliases")
        return cls(ipaddress.ip_network(address, strict=False), "pins" in flags, "aliases" in flags)


class BreakInDefense:
    """Pexip's break-in defence (global settings `bdpm_max_pin_failures_per_window`,
    `bdpm_max_scan_attempts_per_window`, go-infinity-sdk `config/global_configuration_model.go`),
    by room and by source address:
    - too many wrong PINs for one room within the window block every new join to that room
      for a while; while blocked the room answers as if it did not exist;
    - too many wrong PINs, or calls to aliases that do not exist (scanning), from one source
      address within the window quarantine that address: every join from it is refused.
    An allow-list entry's `ignore_incorrect_pins` keeps its wrong PINs out of both counts and
    its joins out of the room block; `ignore_incorrect_aliases` does so for unknown aliases."""

    def __init__(
        self,
        max_failures: int = 20,
        window: float = 600,
        block: float = 600,
        trusted: frozenset[str] = frozenset(),
        *,
        max_address_failures: int = 20,
        max_scan_attempts: int = 20,
        allow_list: tuple[AllowListEntry, ...] = (),
    ) -> None:
        self.max_failures = max_failures
        self.max_address_failures = max_address_failures
        self.max_scan_attempts = max_scan_attempts
        self.window = window
        self.block = block
        self.allow_list = allow_list + tuple(AllowListEntry.parse(a) for a in sorted(trusted))
        self._failures: dict[str, deque[float]] = {}
        self._blocked_until: dict[str, float] = {}
        self._address_pins: dict[str, deque[float]] = {}
        self._address_scans: dict[str, deque[float]] = {}
        self._quarantined_until: dict[str, float] = {}

    def _allowed(self, source: str | None) -> AllowListEntry | None:
        try:
            address = ipaddress.ip_address(source or "")
        except ValueError:
            return None
        return next((e for e in self.allow_list if address in e.network), None)

    def _ignores_pins(self, source: str | None) -> bool:
        entry = self._allowed(source)
        return entry is not None and entry.ignore_incorrect_pins

    def _ignores_aliases(self, source: str | None) -> bool:
        entry = self._allowed(source)
        return entry is not None and entry.ignore_incorrect_aliases

    def check_source(self, source: str | None) -> None:
        """A quarantined address gets nothing, whichever room it asks for."""
        until = self._quarantined_until.get(source or "")
        if until is not None and until > time.monotonic():
            raise NodeError(404, UNKNOWN_ROOM, failed=True)

    def check(self, alias: str, source: str | None) -> None:
        self.check_source(source)
        if self._ignores_pins(source):
            return
        until = self._blocked_until.get(alias)
        if until is not None and until > time.monotonic():
            raise NodeError(404, UNKNOWN_ROOM, failed=True)

    def failed(self, alias: str, source: str | None) -> None:
        if self._ignores_pins(source):
            return
        if self._count(self._failures, alias, self.max_failures):
            log.warning("room %s blocked for %s s (last wrong PIN: %s)", alias, self.block, source)
            self._blocked_until[alias] = time.monotonic() + self.block
        self._count_address(self._address_pins, source, self.max_address_failures, "wrong PINs")

    def unknown_alias(self, source: str | None) -> None:
        if not self._ignores_aliases(source):
            limit = self.max_scan_attempts
            self._count_address(self._address_scans, source, limit, "unknown aliases")

    def _count_address(
        self, counts: dict[str, deque[float]], source: str | None, limit: int, what: str
    ) -> None:
        if source and self._count(counts, source, limit):
            log.warning("address %s quarantined for %s s: %s", source, self.block, what)
            self._quarantined_until[source] = time.monotonic() + self.block

    def _count(self, counts: dict[str, deque[float]], key: str, limit: int) -> bool:
        """One more within the window; True (and the count starts over) at `limit`."""
        now = time.monotonic()
        seen = counts.setdefault(key, deque())
        seen.append(now)
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) >= limit:
            seen.clear()
            return True
        return False


class NodeEvents(Protocol):
    """Who hears the node's conference and participant events (the event sinks, and VDX's
    history: emulator.vdx.history)."""

    def conference(self, event: str, room: Room) -> None: ...

    def participant(
        self, event: str, room: Room, participant: Participant, reason: str | None = None
    ) -> None: ...


class Fanout:
    """Several listeners as one."""

    def __init__(self, *listeners: NodeEvents) -> None:
        self.listeners = listeners

    def conference(self, event: str, room: Room) -> None:
        for listener in self.listeners:
            listener.conference(event, room)

    def participant(
        self, event: str, room: Room, participant: Participant, reason: str | None = None
    ) -> None:
        for listener in self.listeners:
            listener.participant(event, room, participant, reason)


class Node:
    """All rooms of the emulated conference node, kept in memory."""

    def __init__(
        self,
        token_ttl: int,
        *,
        guests_only_timeout: float = 60,
        waiting_for_chair_timeout: float = 900,
        break_in: BreakInDefense | None = None,
        direct_media: bool = False,
        events: NodeEvents | None = None,
    ) -> None:
        self.token_ttl = token_ttl
        # Event sinks (statistics): None, none configured.
        self.events = events
        # Whether rooms provisioned without saying allow direct media (EMU_DIRECT_MEDIA).
        self.direct_media = direct_media
        self.guests_only_timeout = guests_only_timeout
        self.waiting_for_chair_timeout = waiting_for_chair_timeout
        self.break_in = break_in or BreakInDefense()
        self.rooms: dict[str, Room] = {}
        # token -> (alias, participant uuid, token expiry)
        self._tokens: dict[str, tuple[str, str, float]] = {}
        self._seq = itertools.count(1)

    # -- rooms --------------------------------------------------------------------------
    def provision(
        self,
        alias: str,
        host_pin: str,
        guest_pin: str | None,
        *,
        mute_guests_on_join: bool = False,
        guests_can_unmute: bool = True,
        direct_media: bool | None = None,
    ) -> Room:
        """A hosted room: guests wait until a host joins. `mute_guests_on_join` is
        Pexip's `mute_all_guests` (VDX `muteAllGuests`, `guestMicrophone`); with
        `guests_can_unmute` False a guest muted that way waits for a host to unmute it."""
        room = Room(
            alias=alias,
            host_pin=host_pin,
            guest_pin=guest_pin,
            mute_guests_on_join=mute_guests_on_join,
            guests_can_unmute=guests_can_unmute,
        )
        # VDX `directMedia: best_effort`; None: the node's default.
        room.direct.enabled = self.direct_media if direct_media is None else direct_media
        self.rooms[alias] = room
        return room

    def room(self, alias: str) -> Room:
        room = self.rooms.get(alias)
        if room is None:
            raise NodeError(404, UNKNOWN_ROOM, failed=True)
        return room

    def room_to_join(self, alias: str, source: str | None) -> Room:
        """The room a join asks for: a quarantined address gets none, and an unknown alias
        counts against the address (Pexip's scan quarantine)."""
        self.break_in.check_source(source)
        room = self.rooms.get(alias)
        if room is None:
            self.break_in.unknown_alias(source)
            raise NodeError(404, UNKNOWN_ROOM, failed=True)
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

    def check_pin(self, room: Room, pin: str | None, source: str | None = None) -> Role:
        self.break_in.check(room.alias, source)
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
        self.break_in.failed(room.alias, source)
        raise NodeError(403, "Invalid PIN")

    def join(
        self,
        room: Room,
        role: Role,
        display_name: str,
        call_tag: str,
        *,
        remote_address: str = "",
    ) -> tuple[str, Participant]:
        participant = Participant(
            uuid=str(uuid.uuid4()),
            display_name=display_name,
            role=role,
            call_tag=call_tag,
            joined_seq=next(self._seq),
            remote_address=remote_address,
        )
        if self.events is not None and not room.participants:
            self.events.conference("conference_started", room)
        if role == "GUEST":
            # Hosts get past a lock; guests wait in the waiting room for a host's admit.
            participant.waiting = room.locked
            if room.mute_guests_on_join:
                participant.is_muted = participant.muted_by_host = True
        room.participants[participant.uuid] = participant
        token = self._issue_token(room, participant)
        if self.events is not None:
            self.events.participant("participant_connected", room, participant)
        self.announce(room, "participant_create", participant)
        if role == "HOST":
            room.hosts_left_at = None
            if not room.started:
                room.started = True
                self.broadcast(room, "conference_update", room.state())
                self.rewire(room)
        return token, participant

    def dial(
        self,
        room: Room,
        role: Role,
        destination: str,
        protocol: str,
        display_name: str,
        *,
        audio_only: bool = False,
    ) -> Participant:
        """A host's dial-out: the called party answers at once and is in the conference
        (admitted, no token, no WebRTC leg) until someone disconnects it."""
        participant = Participant(
            uuid=str(uuid.uuid4()),
            display_name=display_name,
            role=role,
            call_tag="",
            joined_seq=next(self._seq),
            expires_at=float("inf"),  # no token to refresh: the reaper leaves it alone
            dialled_protocol="sip" if protocol == "auto" else protocol,
            dialled_uri=destination,
            audio_only=audio_only,
        )
        room.participants[participant.uuid] = participant
        if self.events is not None:
            self.events.participant("participant_connected", room, participant)
        self.announce(room, "participant_create", participant)
        if role == "HOST":
            room.hosts_left_at = None
        return participant

    def own_room(self, destination: str) -> Room | None:
        """The room a dialled address names on this node (`sip:` and the like stripped)."""
        alias = destination.strip()
        scheme, colon, rest = alias.partition(":")
        if colon and scheme.lower() in ("sip", "sips", "h323", "tel"):
            alias = rest
        return self.rooms.get(alias)

    async def dial_room(
        self,
        room: Room,
        role: Role,
        there: Room,
        protocol: str,
        display_name: str,
        source_display_name: str,
        dtmf: str,
        *,
        audio_only: bool = False,
    ) -> Participant:
        """A host dials another room of this node (a VMR's alias), as Pexip routes the call
        to its own VMR: the dialled room is a participant here (`display_name`, protocol
        sip, out) and this room one there (`source_display_name`, sip, in). The PIN of the
        dialled room comes as DTMF (`dtmf_sequence`, `1234#`); a wrong or missing one leaves
        the call at the PIN prompt, which hangs up: the leg here goes again at once."""
        leg = self.dial(room, role, there.alias, protocol, display_name, audio_only=audio_only)
        pin = dtmf.strip().rstrip("#") or None
        try:
            there_role = self.check_pin(there, pin)
        except NodeError:
            await self.drop(room, leg, "Call rejected: PIN entry failed")
            return leg
        other = Participant(
            uuid=str(uuid.uuid4()),
            display_name=source_display_name,
            role=there_role,
            call_tag="",
            joined_seq=next(self._seq),
            expires_at=float("inf"),
            dialled_protocol="sip",
            dialled_uri=room.alias,
            audio_only=audio_only,
            incoming=True,
        )
        leg.bridged, other.bridged = (there, other), (room, leg)
        self._enter(there, other)
        return leg

    def _enter(self, room: Room, participant: Participant) -> None:
        """A participant without a token comes into a room (as `join` does for a token)."""
        if self.events is not None and not room.participants:
            self.events.conference("conference_started", room)
        if participant.role == "GUEST":
            participant.waiting = room.locked
            if room.mute_guests_on_join:
                participant.is_muted = participant.muted_by_host = True
        room.participants[participant.uuid] = participant
        if self.events is not None:
            self.events.participant("participant_connected", room, participant)
        self.announce(room, "participant_create", participant)
        if participant.role == "HOST":
            room.hosts_left_at = None
            if not room.started:
                room.started = True
                self.broadcast(room, "conference_update", room.state())
                self.rewire(room)

    def admit(self, room: Room, participant: Participant) -> None:
        """Let a guest out of the waiting room (a host's `unlock`, or the room unlocked)."""
        if not participant.waiting:
            return
        participant.waiting = False
        participant.held_since = None
        data = participant.as_event(room.guests_muted)
        for viewer in room.participants.values():
            if viewer is participant:
                continue
            if room.visible(viewer, participant):
                # Hosts saw it waiting; the others meet it now.
                name = "participant_update" if viewer.role == "HOST" else "participant_create"
                _send(viewer, SseEvent(name, data))
            if room.visible(participant, viewer):
                created = viewer.as_event(room.guests_muted)
                _send(participant, SseEvent("participant_create", created))
        _send(participant, SseEvent("participant_update", data))
        if self.events is not None:
            self.events.participant("participant_updated", room, participant)
        self.rewire(room)

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
        direct.left(self, room, participant)
        self.announce(room, "participant_delete", participant)
        if self.events is not None:
            self.events.participant("participant_disconnected", room, participant, reason)
            if not room.participants:
                self.events.conference("conference_ended", room)
        if not room.participants:
            room.end_conference()
        elif participant.role == "HOST" and room.started and not room.has_host():
            log.info("last host left %s: guests go in %s s", room.alias, self.guests_only_timeout)
            room.hosts_left_at = time.monotonic()
        self.rewire(room)
        if participant.bridged is not None:  # one call, two legs: the other leg ends too
            (there, other), participant.bridged = participant.bridged, None
            other.bridged = None
            await self.drop(there, other, "Remote disconnect")

    async def end_call(self, room: Room, participant: Participant) -> None:
        if participant.direct_call is not None:
            direct.hang_up(self, room, participant)
            self.participant_changed(room, participant)
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

    async def enforce_hosting(self) -> int:
        """Drop guests left without a host too long, and guests held too long."""
        now = time.monotonic()
        dropped = 0
        for room in list(self.rooms.values()):
            left = room.hosts_left_at
            if left is not None and now - left >= self.guests_only_timeout:
                room.hosts_left_at = None
                for participant in list(room.participants.values()):
                    await self.drop(room, participant, HOSTS_DEPARTED)
                    dropped += 1
                continue
            for participant in list(room.participants.values()):
                if participant.role == "HOST" or room.relays(participant):
                    participant.held_since = None
                elif participant.held_since is None:
                    participant.held_since = now
                elif now - participant.held_since >= self.waiting_for_chair_timeout:
                    await self.drop(room, participant, WAITING_TIMEOUT)
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
        self,
        room: Room,
        name: str,
        data: dict[str, Any],
        exclude: Participant | None = None,
        admitted_only: bool = False,
    ) -> None:
        for participant in room.participants.values():
            if participant is exclude or (admitted_only and participant.waiting):
                continue
            _send(participant, SseEvent(name, data))
        if name == "conference_update" and self.events is not None:
            self.events.conference("conference_updated", room)

    def announce(self, room: Room, name: str, subject: Participant) -> None:
        """A participant event, to those who may see that participant."""
        if name == "participant_delete":
            data: dict[str, Any] = {"uuid": subject.uuid}
        else:
            data = subject.as_event(room.guests_muted)
        for viewer in room.participants.values():
            if room.visible(viewer, subject):
                _send(viewer, SseEvent(name, data))
        if name == "participant_update" and self.events is not None:
            self.events.participant("participant_updated", room, subject)

    def participant_changed(self, room: Room, participant: Participant) -> None:
        self.announce(room, "participant_update", participant)

    def rewire(self, room: Room) -> None:
        """Point every participant's outgoing tracks at the most recent other joiner.
        Only a started conference relays, never to or from the waiting room, and the
        audio of a muted participant and the picture of a video-muted one are not relayed."""
        direct.rewire(self, room)
        senders = sorted(
            (
                p
                for p in room.participants.values()
                if p.call and p.call.incoming and room.relays(p)
            ),
            key=lambda p: p.joined_seq,
            reverse=True,
        )
        for participant in room.participants.values():
            if participant.call is None:
                continue
            source = None
            if room.relays(participant):
                source = next((s for s in senders if s is not participant), None)
            incoming = source.call.incoming if source and source.call else {}
            seen = source is not None and not source.is_video_muted
            participant.call.video_out.switch_to(incoming.get("video") if seen else None)
            audible = source is not None and not room.muted(source)
            participant.call.audio_out.switch_to(incoming.get("audio") if audible else None)

    async def run_reaper(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.reap_expired()
                await self.enforce_hosting()
            except Exception:
                log.exception("reaper failed")


def _send(participant: Participant, event: SseEvent) -> None:
    for queue in participant.streams:
        _offer(queue, event)


def _offer(
    queue: asyncio.Queue[SseEvent | dict[str, Any]], item: SseEvent | dict[str, Any]
) -> None:
    with contextlib.suppress(asyncio.QueueFull):
        queue.put_nowait(item)
