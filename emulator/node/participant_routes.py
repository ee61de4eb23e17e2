"""The Client REST API's participant and call routes (`.../participants/{uuid}/...`), as
`@pexip/infinity` 20.0.0 calls them."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from typing import Any

from litestar import Request, Response, post

from emulator.node import direct
from emulator.node.direct import DirectCall
from emulator.node.http import (
    NOOP_PARTICIPANT,
    authorised,
    json_body,
    node_of,
    ok,
    require_host,
    target_of,
)
from emulator.node.media import MediaCall
from emulator.node.models import NodeError, Role
from emulator.node.rooms import Participant

log = logging.getLogger(__name__)
_background: set[asyncio.Task[None]] = set()


# -- participants -------------------------------------------------------------------------
@post("/participants/{uuid:str}/calls")
async def calls(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    room, caller = authorised(request, alias)
    participant = target_of(room, caller, uuid, host_or_self=False)
    if participant is not caller:
        raise NodeError(403, "Invalid role")
    body = await json_body(request)
    sdp = body.get("sdp")
    if body.get("call_type") != "WEBRTC" or not isinstance(sdp, str) or not sdp.strip():
        raise NodeError(400, "calls needs call_type WEBRTC and an sdp offer", failed=True)
    node = node_of(request)
    if direct.is_direct(room, participant):
        # Peer to peer: the offer goes to the other browser (or waits for one).
        return ok(await direct.place_call(node, room, participant, sdp))
    await node.end_call(room, participant)

    def on_change() -> None:
        if participant.call is call:
            node.rewire(room)
            node.participant_changed(room, participant)

    call = MediaCall(on_change, participant.media_cut)
    participant.call = call
    try:
        answer = await call.answer(sdp)
    except Exception as exc:
        participant.call = None
        await call.close()
        log.warning("could not answer offer of %s: %s", participant.uuid, exc)
        raise NodeError(400, f"Could not answer the SDP offer: {exc}", failed=True) from exc
    node.rewire(room)
    node.participant_changed(room, participant)
    return ok({"call_uuid": call.call_uuid, "sdp": answer})


def _call(participant: Participant, call_uuid: str) -> MediaCall | DirectCall:
    for call in (participant.call, participant.direct_call):
        if call is not None and call.call_uuid == call_uuid:
            return call
    raise NodeError(404, "Call not found", failed=True)


@post("/participants/{uuid:str}/calls/{call_uuid:str}/new_candidate")
async def new_candidate(
    request: Request[Any, Any, Any], alias: str, uuid: str, call_uuid: str
) -> Response[Any]:
    room, caller = authorised(request, alias)
    call = _call(target_of(room, caller, uuid), call_uuid)
    body = await json_body(request)
    candidate = body.get("candidate", "")
    mid = body.get("mid")
    if not isinstance(candidate, str) or (mid is not None and not isinstance(mid, str)):
        raise NodeError(400, "candidate must be a string and mid a string", failed=True)
    if isinstance(call, DirectCall):
        direct.candidate(call, body)
        return ok(None)
    try:
        await call.add_candidate(candidate, mid, 0 if mid is None else None)
    except (ValueError, AssertionError, IndexError) as exc:
        raise NodeError(400, f"Invalid ICE candidate: {exc}", failed=True) from exc
    return ok(None)


@post("/participants/{uuid:str}/calls/{call_uuid:str}/ack")
async def ack(
    request: Request[Any, Any, Any], alias: str, uuid: str, call_uuid: str
) -> Response[Any]:
    room, caller = authorised(request, alias)
    call = _call(target_of(room, caller, uuid), call_uuid)
    if isinstance(call, DirectCall):
        # With `sdp`: the answer to an offer the node passed on (new_offer, update_sdp).
        direct.ack(call, await json_body(request))
    return ok(True)


@post("/participants/{uuid:str}/calls/{call_uuid:str}/update")
async def update(
    request: Request[Any, Any, Any], alias: str, uuid: str, call_uuid: str
) -> Response[Any]:
    room, caller = authorised(request, alias)
    call = _call(target_of(room, caller, uuid), call_uuid)
    body = await json_body(request)
    sdp = body.get("sdp")
    if not isinstance(sdp, str) or not sdp.strip():
        raise NodeError(400, "update needs an sdp offer", failed=True)
    if isinstance(call, DirectCall):
        return ok(await direct.update(call, sdp))
    return ok(await call.renegotiate(sdp))


@post("/participants/{uuid:str}/calls/{call_uuid:str}/disconnect")
async def call_disconnect(
    request: Request[Any, Any, Any], alias: str, uuid: str, call_uuid: str
) -> Response[Any]:
    room, caller = authorised(request, alias)
    participant = target_of(room, caller, uuid)
    _call(participant, call_uuid)
    await node_of(request).end_call(room, participant)
    return ok(None)


@post("/participants/{uuid:str}/calls/{call_uuid:str}/{action:str}")
async def call_noop(
    request: Request[Any, Any, Any], alias: str, uuid: str, call_uuid: str, action: str
) -> Response[Any]:
    room, caller = authorised(request, alias)
    _call(target_of(room, caller, uuid), call_uuid)
    if action not in ("statistics", "dtmf", "fecc"):
        raise NodeError(404, f"Unknown endpoint {action}", failed=True)
    return ok(None if action == "statistics" else True)


@post("/participants/{uuid:str}/disconnect")
async def participant_disconnect(
    request: Request[Any, Any, Any], alias: str, uuid: str
) -> Response[Any]:
    room, caller = authorised(request, alias)
    target = target_of(room, caller, uuid)
    reason = None if target is caller else "Disconnected by another participant"
    await node_of(request).drop(room, target, reason)
    return ok(None)


async def _set_muted(
    request: Request[Any, Any, Any], alias: str, uuid: str, muted: bool
) -> Response[Any]:
    room, caller = authorised(request, alias)
    target = target_of(room, caller, uuid)
    by_host = target is not caller
    if (
        not muted
        and not by_host
        and target.role == "GUEST"
        and target.muted_by_host
        and not room.guests_can_unmute
    ):
        raise NodeError(403, "Guests may not unmute themselves in this conference")
    target.is_muted = muted
    target.muted_by_host = muted and by_host
    node = node_of(request)
    node.rewire(room)
    node.participant_changed(room, target)
    return ok(True)


@post("/participants/{uuid:str}/mute")
async def mute(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    return await _set_muted(request, alias, uuid, True)


@post("/participants/{uuid:str}/unmute")
async def unmute(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    return await _set_muted(request, alias, uuid, False)


async def _set_client_muted(
    request: Request[Any, Any, Any], alias: str, uuid: str, muted: bool
) -> Response[Any]:
    room, caller = authorised(request, alias)
    target = target_of(room, caller, uuid)
    target.is_client_muted = muted
    node_of(request).participant_changed(room, target)
    return ok(True)


@post("/participants/{uuid:str}/client_mute")
async def client_mute(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    return await _set_client_muted(request, alias, uuid, True)


@post("/participants/{uuid:str}/client_unmute")
async def client_unmute(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    return await _set_client_muted(request, alias, uuid, False)


async def _set_video_muted(
    request: Request[Any, Any, Any], alias: str, uuid: str, muted: bool
) -> Response[Any]:
    """Pexip's `video_muted` / `video_unmuted`: a participant's own camera off/on, or a host's
    on another (only a host may touch another's). The node passes no picture of a video-muted
    participant on, and everyone (she too) learns it from `participant_update`."""
    room, caller = authorised(request, alias)
    target = target_of(room, caller, uuid)
    target.is_video_muted = muted
    node = node_of(request)
    node.rewire(room)
    node.participant_changed(room, target)
    return ok(True)


@post("/participants/{uuid:str}/video_muted")
async def video_muted(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    return await _set_video_muted(request, alias, uuid, True)


@post("/participants/{uuid:str}/video_unmuted")
async def video_unmuted(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    return await _set_video_muted(request, alias, uuid, False)


@post("/participants/{uuid:str}/unlock")
async def admit(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    """A host lets a guest in from the waiting room."""
    room, caller = authorised(request, alias)
    require_host(caller)
    target = target_of(room, caller, uuid)
    node_of(request).admit(room, target)
    return ok(True)


@post("/participants/{uuid:str}/message")
async def direct_message(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    """A chat message to one participant only (`direct: true`)."""
    room, sender = authorised(request, alias)
    if sender.waiting:
        raise NodeError(403, "Not admitted to the conference yet")
    target = target_of(room, sender, uuid, host_or_self=False)
    body = await json_body(request)
    kind, payload = body.get("type", "text/plain"), body.get("payload")
    if kind not in ("text/plain", "application/json") or not isinstance(payload, str):
        raise NodeError(
            400,
            "message needs type text/plain or application/json and a payload string",
            failed=True,
        )
    data = {
        "origin": sender.display_name,
        "uuid": sender.uuid,
        "type": kind,
        "payload": payload,
        "direct": True,
    }
    direct.send(target, "message_received", data)
    return ok(True)


@post("/participants/{uuid:str}/role")
async def participant_role(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    """A host makes a participant a host (`chair`) or a guest."""
    room, caller = authorised(request, alias)
    require_host(caller)
    target = target_of(room, caller, uuid)
    role = (await json_body(request)).get("role")
    if role not in ("chair", "guest"):
        raise NodeError(400, "role must be chair or guest", failed=True)
    target.role = "HOST" if role == "chair" else "GUEST"
    node = node_of(request)
    node.rewire(room)
    node.participant_changed(room, target)
    return ok(None)


async def _buzz(request: Request[Any, Any, Any], alias: str, uuid: str, up: bool) -> Response[Any]:
    room, caller = authorised(request, alias)
    target = target_of(room, caller, uuid)
    target.buzz_time = int(time.time()) if up else 0
    node_of(request).participant_changed(room, target)
    return ok(True)


@post("/participants/{uuid:str}/buzz")
async def buzz(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    """Raise a hand (one's own, or a host for anyone)."""
    return await _buzz(request, alias, uuid, True)


@post("/participants/{uuid:str}/clearbuzz")
async def clearbuzz(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    return await _buzz(request, alias, uuid, False)


TRANSFER_ROLES: dict[str, Role] = {"guest": "GUEST", "chair": "HOST", "host": "HOST"}
TRANSFER_GRACE = 15.0  # seconds a referred WebRTC participant has to leave by itself


@post("/participants/{uuid:str}/transfer")
async def transfer(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    """Pexip `transfer`: a host moves a participant into another conference on this node
    (`conference_alias`, `role` guest|chair, `pin` when that conference has one). A WebRTC
    participant gets `refer {alias, token}` and joins there with the one-time token (the
    webapp does it on its own); one without an event stream (dialled, API) is moved at once."""
    room, caller = authorised(request, alias)
    require_host(caller)
    target = target_of(room, caller, uuid, host_or_self=False)
    body = await json_body(request)
    destination, role, pin = body.get("conference_alias"), body.get("role"), body.get("pin")
    if not isinstance(destination, str) or not destination.strip():
        raise NodeError(400, "transfer needs conference_alias", failed=True)
    if role not in TRANSFER_ROLES:
        raise NodeError(400, "transfer needs role guest or chair", failed=True)
    node = node_of(request)
    there = node.room(destination.strip())  # 404 for an unknown conference
    if there is room:
        raise NodeError(400, "the participant is already in that conference", failed=True)
    source = request.client.host if request.client else None
    granted = node.check_pin(there, pin if isinstance(pin, str) else None, source)
    new_role = TRANSFER_ROLES[role]
    if new_role == "HOST" and granted != "HOST":
        raise NodeError(403, "Invalid PIN")
    if target.streams:
        token = secrets.token_urlsafe(32)
        there.direct.refers[token] = direct.ReferGrant(
            role=new_role,
            display_name=target.display_name,
            call_tag=target.call_tag,
            old_uuid="",
            expires_at=time.monotonic() + direct.REFER_TTL,
        )
        direct.send(target, "refer", {"alias": there.alias, "token": token})

        async def drop_later() -> None:
            await asyncio.sleep(TRANSFER_GRACE)
            if room.participants.get(target.uuid) is target:
                await node.drop(room, target, "Transferred")

        task = asyncio.ensure_future(drop_later())
        _background.add(task)
        task.add_done_callback(_background.discard)
    else:
        await node.drop(room, target, "Transferred")
        node.join(there, new_role, target.display_name, target.call_tag)
    log.info("transferred %s from %s to %s as %s", target.uuid, alias, there.alias, new_role)
    return ok(True)


@post("/participants/{uuid:str}/{action:str}")
async def participant_noop(
    request: Request[Any, Any, Any], alias: str, uuid: str, action: str
) -> Response[Any]:
    room, caller = authorised(request, alias)
    target_of(room, caller, uuid)  # 404 unknown, 403 another participant for a guest
    if action not in NOOP_PARTICIPANT:
        raise NodeError(404, f"Unknown endpoint {action}", failed=True)
    return ok(True)
