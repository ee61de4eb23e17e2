"""Direct media: two WebRTC participants send media peer to peer, the node only signals.

How a Pexip node runs it, as far as the clients show (``@pexip/infinity`` 20.0.0
``call.js``, Pexip's Android SDK ``MediaConnectionSignalingImpl`` / ``WebRtcMediaConnection``,
the Swift SDK's DirectMedia and CallTransfer articles, docs.pexip.com "Direct media"):

- ``request_token`` answers ``direct_media: true`` (and a ``pex_datachannel_id``: chat then
  goes over a negotiated data channel between the peers) when the room allows it, the client
  asked for it, and nobody already in the room rules it out.
- The first caller's offer is not answered: ``calls`` answers ``offer_ignored: true`` with an
  empty ``sdp``; the client drops that peer connection, makes a polite one and waits.
- The second caller's offer goes to the waiting one as the SSE event ``new_offer {sdp}``; it
  answers with ``calls/{call}/ack {sdp}``, and that answer is the second caller's ``calls``
  answer. ``new_candidate`` posts are passed on as SSE ``new_candidate {candidate, mid, ufrag}``
  to the other side; ``update`` offers go over as ``update_sdp {sdp}``, answered by ``ack``.
- When one side's call ends, the other gets ``peer_disconnect`` and restarts its call (which
  then waits again).
- A third participant escalates the room to transcoded media: the direct participants get
  ``refer {alias, token}`` and rejoin with that one-time token (``request_token`` body
  ``token``), this time with ``direct_media: false``; their old participants are replaced.
  The room stays transcoded until it empties (no de-escalation back to direct media).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from emulator.node.models import SseEvent

if TYPE_CHECKING:
    from emulator.node.models import Role
    from emulator.node.rooms import Node, Participant, Room

log = logging.getLogger(__name__)

# The data channel id the clients negotiate out of band (any fixed SCTP stream id works).
DATACHANNEL_ID = 1
# How long the second caller's `calls` waits for the first one's answer.
ANSWER_TIMEOUT = 20.0
# How long a `refer` token may wait to be redeemed.
REFER_TTL = 60.0
# The client sends this as `sdp` when it ignored an offer (with `offer_ignored: true`).
OFFER_IGNORED = "offer_ignored"


class NoAnswer(Exception):
    """The other side ignored the offer, left, or took too long."""


@dataclass(eq=False)
class DirectCall:
    """One participant's call leg in a direct-media room; media never reaches the node."""

    participant: Participant
    call_uuid: str = field(default_factory=lambda: str(uuid.uuid4()))
    # waiting: offer ignored, waits for a peer's offer; paired: brokered with `peer`;
    # orphan: its peer left (it got peer_disconnect and should restart).
    state: Literal["waiting", "paired", "orphan"] = "waiting"
    peer: DirectCall | None = None
    # Set while the node waits for this side's answer (ack with sdp).
    answer: asyncio.Future[str] | None = None
    # Both sides have the other's SDP (ICE runs between the browsers, out of our sight).
    connected: bool = False


@dataclass(slots=True)
class ReferGrant:
    role: Role
    display_name: str
    call_tag: str
    old_uuid: str
    expires_at: float


@dataclass(eq=False)
class DirectMedia:
    """A room's direct-media state."""

    enabled: bool = False
    escalated: bool = False
    # Participants admitted with direct_media: true (and not referred away since).
    members: set[str] = field(default_factory=set)
    # Old participants referred to a new call, until they leave.
    transferring: set[str] = field(default_factory=set)
    refers: dict[str, ReferGrant] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def active(self) -> bool:
        return self.enabled and not self.escalated


def send(participant: Participant, name: str, data: dict[str, Any]) -> None:
    """One SSE event to one participant."""
    for queue in participant.streams:
        with contextlib.suppress(asyncio.QueueFull):
            queue.put_nowait(SseEvent(name, data))


# -- joining ------------------------------------------------------------------------------
def admit(node: Node, room: Room, participant: Participant, requested: bool) -> bool:
    """Decide the token answer's `direct_media` for a participant that just joined; a
    participant that rules direct media out escalates the room."""
    dm = room.direct
    if not dm.active:
        return False
    others = [
        p
        for p in room.participants.values()
        if p is not participant and p.uuid not in dm.transferring
    ]
    if requested and len(others) <= 1 and all(p.uuid in dm.members for p in others):
        dm.members.add(participant.uuid)
        return True
    if others:
        escalate(node, room)
    else:
        # Alone and not direct-capable: the room is transcoded from the start.
        dm.escalated = True
        node.broadcast(room, "conference_update", room.state())
    return False


def escalate(node: Node, room: Room) -> None:
    """Move the room to transcoded media: refer every direct participant to a new call."""
    dm = room.direct
    dm.escalated = True
    now = time.monotonic()
    for token, grant in list(dm.refers.items()):
        if grant.expires_at < now:
            del dm.refers[token]
    for member_uuid in sorted(dm.members):
        member = room.participants.get(member_uuid)
        if member is None:
            continue
        token = secrets.token_urlsafe(32)
        dm.refers[token] = ReferGrant(
            role=member.role,
            display_name=member.display_name,
            call_tag=member.call_tag,
            old_uuid=member.uuid,
            expires_at=now + REFER_TTL,
        )
        dm.transferring.add(member.uuid)
        log.info("escalating %s: referring %s", room.alias, member.uuid)
        send(member, "refer", {"alias": room.alias, "token": token})
    dm.members.clear()
    node.broadcast(room, "conference_update", room.state())


def redeem(room: Room, token: str) -> ReferGrant | None:
    """The grant behind a one-time `refer` token (used up), or None."""
    grant = room.direct.refers.pop(token, None)
    if grant is None or grant.expires_at < time.monotonic():
        return None
    return grant


# -- calls --------------------------------------------------------------------------------
def is_direct(room: Room, participant: Participant) -> bool:
    return room.direct.active and participant.uuid in room.direct.members


async def place_call(node: Node, room: Room, participant: Participant, sdp: str) -> dict[str, Any]:
    """`calls` in direct media: ignore the offer (wait for a peer) or broker it to the peer
    that waits, and answer with that peer's answer."""
    dm = room.direct
    async with dm.lock:
        hang_up(node, room, participant)
        await node.end_call(room, participant)
        call = DirectCall(participant)
        participant.direct_call = call
        peer = None
        if room.relays(participant):
            peer = next((c for c in _waiting(room) if c.participant is not participant), None)
        if peer is None:
            node.participant_changed(room, participant)
            return {"call_uuid": call.call_uuid, "sdp": "", "offer_ignored": True}
        call.state = peer.state = "paired"
        call.peer, peer.peer = peer, call
        peer.answer = asyncio.get_running_loop().create_future()
        send(peer.participant, "new_offer", {"sdp": sdp})
    try:
        answer = await _await_answer(peer)
    except NoAnswer as exc:
        log.info("direct offer of %s not answered: %s", participant.uuid, exc)
        if participant.direct_call is call:
            _unpair(node, room, call)
            call.state = "waiting"
        return {"call_uuid": call.call_uuid, "sdp": "", "offer_ignored": True}
    call.connected = peer.connected = True
    node.participant_changed(room, participant)
    node.participant_changed(room, peer.participant)
    return {"call_uuid": call.call_uuid, "sdp": answer}


async def _await_answer(peer: DirectCall) -> str:
    assert peer.answer is not None
    try:
        return await asyncio.wait_for(asyncio.shield(peer.answer), ANSWER_TIMEOUT)
    except TimeoutError as exc:
        raise NoAnswer("timed out") from exc
    finally:
        peer.answer = None


def ack(call: DirectCall, body: dict[str, Any]) -> None:
    """`ack` of a direct call: with `sdp`, it answers the offer the node passed on."""
    sdp = body.get("sdp")
    future = call.answer
    if future is None or future.done():
        return
    if body.get("offer_ignored") or not isinstance(sdp, str) or not sdp or sdp == OFFER_IGNORED:
        future.set_exception(NoAnswer("offer ignored"))
        return
    future.set_result(sdp)


def candidate(call: DirectCall, body: dict[str, Any]) -> None:
    """`new_candidate` of a direct call: pass it on to the peer (dropped while unpaired)."""
    if call.state != "paired" or call.peer is None:
        return
    data = {"candidate": body.get("candidate", ""), "mid": body.get("mid") or "0"}
    for key in ("ufrag", "pwd"):
        if isinstance(body.get(key), str):
            data[key] = body[key]
    send(call.peer.participant, "new_candidate", data)


async def update(call: DirectCall, sdp: str) -> str:
    """`update` of a direct call: the peer gets the new offer as `update_sdp`."""
    peer = call.peer
    if call.state != "paired" or peer is None:
        return ""
    peer.answer = asyncio.get_running_loop().create_future()
    send(peer.participant, "update_sdp", {"sdp": sdp})
    try:
        return await _await_answer(peer)
    except NoAnswer:
        return ""


def _waiting(room: Room) -> list[DirectCall]:
    """Direct calls that wait for a peer's offer and may get one (not in the waiting room
    or before the conference started), oldest participant first."""
    calls = [
        p.direct_call
        for p in sorted(room.participants.values(), key=lambda p: p.joined_seq)
        if p.direct_call is not None
        and p.direct_call.state == "waiting"
        and p.uuid in room.direct.members
        and room.relays(p)
    ]
    return [c for c in calls if c is not None]


def rewire(node: Node, room: Room) -> None:
    """Who may get media changed (a host started the conference, a guest was admitted):
    when two calls both wait, nobody would offer, so the newer one is told its peer is gone
    (`peer_disconnect`) and restarts its call with a fresh offer, which gets brokered."""
    if not room.direct.active:
        return
    waiting = _waiting(room)
    if len(waiting) >= 2:
        newest = waiting[-1]
        newest.state = "orphan"
        send(newest.participant, "peer_disconnect", {})


# -- leaving ------------------------------------------------------------------------------
def _unpair(node: Node, room: Room, call: DirectCall) -> None:
    peer = call.peer
    call.peer = None
    call.connected = False
    if peer is None or peer.peer is not call:
        return
    peer.peer = None
    peer.connected = False
    if peer.answer is not None and not peer.answer.done():
        peer.answer.set_exception(NoAnswer("the other side left"))
    if call.answer is not None and not call.answer.done():
        call.answer.set_exception(NoAnswer("the other side left"))
    peer.state = "orphan"
    if peer.participant.uuid not in room.direct.transferring:
        send(peer.participant, "peer_disconnect", {})
    node.participant_changed(room, peer.participant)


def hang_up(node: Node, room: Room, participant: Participant) -> None:
    """End a participant's direct call; its peer gets `peer_disconnect`."""
    call = participant.direct_call
    if call is None:
        return
    participant.direct_call = None
    _unpair(node, room, call)
    if call.answer is not None and not call.answer.done():
        call.answer.set_exception(NoAnswer("call ended"))


def left(node: Node, room: Room, participant: Participant) -> None:
    """A participant left the room (already removed from it)."""
    hang_up(node, room, participant)
    dm = room.direct
    dm.members.discard(participant.uuid)
    dm.transferring.discard(participant.uuid)
    if not room.participants and dm.escalated:
        dm.escalated = False
