"""Pexip Client REST API v2 as `@pexip/infinity` 20.0.0 uses it."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.response import Stream

from emulator.node import direct
from emulator.node.direct import DirectCall
from emulator.node.media import MediaCall
from emulator.node.rooms import (
    CLOSE_STREAM,
    VERSION,
    Node,
    NodeError,
    Participant,
    Role,
    Room,
    SseEvent,
)

log = logging.getLogger(__name__)
_background: set[asyncio.Task[None]] = set()

# Endpoints the client may call that change nothing the emulator models.
NOOP_CONFERENCE = {
    "clearallbuzz",
    "start_conference",
    "transform_layout",
    "silent_video_detection",
}
NOOP_PARTICIPANT = {
    "spotlighton",
    "spotlightoff",
    "take_floor",
    "release_floor",
    "preferred_aspect_ratio",
    "notify_not_a_f_k",
    "allowrxpresentation",
    "denyrxpresentation",
    "show_live_captions",
    "hide_live_captions",
    "pres_in_mix",
    "overlaytext",
    "dtmf",
    "fecc",
}


def ok(result: Any, status: int = 200) -> Response[Any]:
    return Response(
        content={"status": "success", "result": result},
        status_code=status,
        media_type="application/json",
    )


def node_error_handler(_: Request[Any, Any, Any], exc: NodeError) -> Response[Any]:
    status = "failed" if exc.failed else "success"
    return Response(
        content={"status": status, "result": exc.result},
        status_code=exc.status,
        media_type="application/json",
    )


def _node(request: Request[Any, Any, Any]) -> Node:
    node: Node = request.app.state.node
    return node


async def _json_body(request: Request[Any, Any, Any]) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise NodeError(400, "Request body is not valid JSON", failed=True) from exc
    if not isinstance(body, dict):
        raise NodeError(400, "Request body must be a JSON object", failed=True)
    return body


def _auth(request: Request[Any, Any, Any], alias: str) -> tuple[Room, Participant]:
    token = request.headers.get("token") or request.query_params.get("token")
    return _node(request).authenticate(alias, token)


def _require_host(participant: Participant) -> None:
    if participant.role != "HOST":
        raise NodeError(403, "Invalid role")


def _target(room: Room, caller: Participant, uuid: str, host_or_self: bool = True) -> Participant:
    target = room.participants.get(uuid)
    if target is None:
        raise NodeError(404, "Participant not found", failed=True)
    if host_or_self and target is not caller:
        _require_host(caller)
    return target


# -- tokens -------------------------------------------------------------------------------
@post("/request_token")
async def request_token(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    node = _node(request)
    source = request.client.host if request.client else None
    room = node.room_to_join(alias, source)
    body = await _json_body(request)
    display_name = body.get("display_name")
    if not isinstance(display_name, str) or not display_name.strip():
        raise NodeError(400, "display_name is required", failed=True)
    # A one-time token from a `refer` (direct media escalated) stands in for the PIN.
    refer = direct.redeem(room, body["token"]) if isinstance(body.get("token"), str) else None
    if refer is not None:
        role = refer.role
    else:
        role = node.check_pin(room, request.headers.get("pin"), source)
    call_tag = body.get("call_tag") if isinstance(body.get("call_tag"), str) else ""
    address = request.client.host if request.client else ""
    token, participant = node.join(
        room, role, display_name.strip()[:100], call_tag or "", remote_address=address
    )
    log.info("participant %s joined %s as %s", participant.uuid, alias, role)
    if refer is not None and (old := room.participants.get(refer.old_uuid)) is not None:
        await node.drop(room, old, None)  # transferred: the new participant replaces it
    is_direct = direct.admit(node, room, participant, body.get("direct_media") is True)
    return ok(
        {
            "token": token,
            "expires": str(node.token_ttl),
            "participant_uuid": participant.uuid,
            "display_name": participant.display_name,
            "role": role,
            "version": VERSION,
            "current_service_type": "waiting_room" if participant.waiting else "conference",
            "service_type": "conference",
            "conference_name": alias,
            "call_tag": participant.call_tag,
            "call_type": "video",
            "chat_enabled": True,
            "direct_media": is_direct,
            **({"pex_datachannel_id": direct.DATACHANNEL_ID} if is_direct else {}),
            "fecc_enabled": False,
            "guests_can_present": True,
            "trickle_ice_enabled": True,
            "vp9_enabled": False,
            "allow_1080p": False,
            "analytics_enabled": False,
            "rtmp_enabled": False,
            "rtsp_enabled": False,
            "breakout_rooms": False,
            "bandwidth_in": 1280,
            "bandwidth_out": 1280,
        }
    )


@post("/refresh_token")
async def refresh_token(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    room, participant = _auth(request, alias)
    node = _node(request)
    token = node.refresh(room, participant)
    return ok({"token": token, "expires": str(node.token_ttl), "role": participant.role})


@post("/release_token")
async def release_token(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    # Also the sendBeacon form: token in the query string, body possibly text/plain.
    room, participant = _auth(request, alias)
    node = _node(request)
    node.release(request.headers.get("token") or str(request.query_params.get("token", "")))
    await node.drop(room, participant, None)
    log.info("participant %s released its token", participant.uuid)
    return ok(True)


# -- events -------------------------------------------------------------------------------
def _sse(event: SseEvent, event_id: int) -> bytes:
    data = msgspec.json.encode(event.data).decode()
    return f"id: {event_id}\nevent: {event.name}\ndata: {data}\n\n".encode()


@get("/events")
async def events(request: Request[Any, Any, Any], alias: str) -> Stream:
    room, participant = _auth(request, alias)
    keepalive = request.app.state.settings.sse_keepalive
    queue: asyncio.Queue[SseEvent | dict[str, Any]] = asyncio.Queue(maxsize=1000)
    initial = [
        SseEvent("participant_sync_begin", {}),
        *(SseEvent("participant_create", p) for p in room.participant_list(participant)),
        SseEvent("participant_sync_end", {}),
        SseEvent("conference_update", room.state()),
    ]
    participant.streams.add(queue)

    async def stream() -> AsyncIterator[bytes]:
        event_id = 0
        try:
            yield b": connected\n\n"
            for event in initial:
                event_id += 1
                yield _sse(event, event_id)
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), keepalive)
                except TimeoutError:
                    yield b": keepalive\n\n"
                    continue
                if item is CLOSE_STREAM or not isinstance(item, SseEvent):
                    return
                event_id += 1
                yield _sse(item, event_id)
        finally:
            participant.streams.discard(queue)

    return Stream(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


# -- conference ---------------------------------------------------------------------------
@get("/conference_status")
async def conference_status(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    room, _ = _auth(request, alias)
    return ok(room.state())


@get("/participants")
async def participants(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    room, caller = _auth(request, alias)
    return ok(room.participant_list(caller))


@get(["/theme", "/theme/"])
async def theme(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    _auth(request, alias)
    # The client accepts 204 as "no theme".
    return Response(content=b"", status_code=204)


async def _set_conference_flag(
    request: Request[Any, Any, Any], alias: str, flag: str, value: bool
) -> Response[Any]:
    room, caller = _auth(request, alias)
    _require_host(caller)
    node = _node(request)
    setattr(room, flag, value)
    node.broadcast(room, "conference_update", room.state())
    if flag == "guests_muted":
        for participant in room.participants.values():
            if participant.role == "GUEST":
                node.participant_changed(room, participant)
        node.rewire(room)
    if flag == "locked" and not value:
        # Unlocking lets everyone in the waiting room in.
        for participant in list(room.participants.values()):
            node.admit(room, participant)
    return ok(True)


@post("/lock")
async def lock(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    return await _set_conference_flag(request, alias, "locked", True)


@post("/unlock")
async def unlock(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    return await _set_conference_flag(request, alias, "locked", False)


@post("/muteguests")
async def muteguests(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    return await _set_conference_flag(request, alias, "guests_muted", True)


@post("/unmuteguests")
async def unmuteguests(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    return await _set_conference_flag(request, alias, "guests_muted", False)


@post("/set_guests_can_unmute")
async def set_guests_can_unmute(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    room, caller = _auth(request, alias)
    _require_host(caller)
    setting = (await _json_body(request)).get("setting")
    if not isinstance(setting, bool):
        raise NodeError(400, "set_guests_can_unmute needs a boolean setting", failed=True)
    room.guests_can_unmute = setting
    _node(request).broadcast(room, "conference_update", room.state())
    return ok(True)


@post("/disconnect")
async def disconnect_conference(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    room, caller = _auth(request, alias)
    _require_host(caller)
    node = _node(request)
    for participant in list(room.participants.values()):
        await node.drop(room, participant, "Conference terminated by another participant")
    return ok(True)


@post("/message")
async def message(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    room, sender = _auth(request, alias)
    if sender.waiting:
        raise NodeError(403, "Not admitted to the conference yet")
    body = await _json_body(request)
    kind = body.get("type", "text/plain")
    payload = body.get("payload")
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
        "direct": False,
    }
    _node(request).broadcast(room, "message_received", data, exclude=sender, admitted_only=True)
    return ok(True)


DIAL_PROTOCOLS = ("sip", "h323", "rtmp", "mssip", "auto")


@post("/dial")
async def dial(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    """A host calls someone into the conference (Pexip `dial`): the answer lists the new
    participant's uuid; it joins as `role` and leaves on `participants/{uuid}/disconnect`.
    A destination that is another room of this node bridges the two rooms (Node.dial_room;
    its PIN in `dtmf_sequence`)."""
    room, caller = _auth(request, alias)
    _require_host(caller)
    body = await _json_body(request)
    role, destination, protocol = body.get("role"), body.get("destination"), body.get("protocol")
    if role not in ("HOST", "GUEST"):
        raise NodeError(400, "dial needs role HOST or GUEST", failed=True)
    if not isinstance(destination, str) or not destination.strip() or len(destination) > 250:
        raise NodeError(400, "dial needs a destination", failed=True)
    if protocol not in DIAL_PROTOCOLS:
        raise NodeError(400, "Invalid protocol for service", failed=True)
    name = body.get("remote_display_name")
    node = _node(request)
    there = node.own_room(destination)
    default_name = there.alias if there is not None else destination.strip()
    display_name = name.strip()[:100] if isinstance(name, str) and name.strip() else default_name
    audio_only = body.get("call_type") == "audio"
    if there is not None and there is not room:  # a room of this node: the rooms bridged
        source = body.get("source_display_name")
        source_name = source.strip()[:100] if isinstance(source, str) and source.strip() else alias
        dtmf = body.get("dtmf_sequence")
        participant = await node.dial_room(
            room, role, there, protocol, display_name, source_name,
            dtmf if isinstance(dtmf, str) else "", audio_only=audio_only,
        )  # fmt: skip
    else:
        participant = node.dial(
            room, role, destination.strip(), protocol, display_name, audio_only=audio_only
        )
    log.info("dialled %s (%s) into %s as %s", participant.uuid, protocol, alias, role)
    return ok([participant.uuid])


MAX_MESSAGE_TEXT = 1000


@get("/get_message_text")
async def get_message_text(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    """The message overlay text, as Pexip's message-overlay plugin reads it
    (github pexip/plugin-message-overlay src/index.ts: `response.data.result.text`)."""
    room, _ = _auth(request, alias)
    return ok({"text": room.message_text})


@post("/set_message_text")
async def set_message_text(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    """Sets (or with "" clears) the message overlay text: hosts only."""
    room, caller = _auth(request, alias)
    _require_host(caller)
    text = (await _json_body(request)).get("text")
    if not isinstance(text, str) or len(text) > MAX_MESSAGE_TEXT:
        raise NodeError(
            400, f"set_message_text needs a text of at most {MAX_MESSAGE_TEXT}", failed=True
        )
    room.message_text = text
    return ok(True)


@post("/{action:str}")
async def conference_noop(
    request: Request[Any, Any, Any], alias: str, action: str
) -> Response[Any]:
    _auth(request, alias)
    if action not in NOOP_CONFERENCE:
        raise NodeError(404, f"Unknown endpoint {action}", failed=True)
    return ok(True)


# -- participants -------------------------------------------------------------------------
@post("/participants/{uuid:str}/calls")
async def calls(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    room, caller = _auth(request, alias)
    participant = _target(room, caller, uuid, host_or_self=False)
    if participant is not caller:
        raise NodeError(403, "Invalid role")
    body = await _json_body(request)
    sdp = body.get("sdp")
    if body.get("call_type") != "WEBRTC" or not isinstance(sdp, str) or not sdp.strip():
        raise NodeError(400, "calls needs call_type WEBRTC and an sdp offer", failed=True)
    node = _node(request)
    if direct.is_direct(room, participant):
        # Peer to peer: the offer goes to the other browser (or waits for one).
        return ok(await direct.place_call(node, room, participant, sdp))
    await node.end_call(room, participant)

    def on_change() -> None:
        if participant.call is call:
            node.rewire(room)
            node.participant_changed(room, participant)

    call = MediaCall(on_change)
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
    room, caller = _auth(request, alias)
    call = _call(_target(room, caller, uuid), call_uuid)
    body = await _json_body(request)
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
    room, caller = _auth(request, alias)
    call = _call(_target(room, caller, uuid), call_uuid)
    if isinstance(call, DirectCall):
        # With `sdp`: the answer to an offer the node passed on (new_offer, update_sdp).
        direct.ack(call, await _json_body(request))
    return ok(True)


@post("/participants/{uuid:str}/calls/{call_uuid:str}/update")
async def update(
    request: Request[Any, Any, Any], alias: str, uuid: str, call_uuid: str
) -> Response[Any]:
    room, caller = _auth(request, alias)
    call = _call(_target(room, caller, uuid), call_uuid)
    body = await _json_body(request)
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
    room, caller = _auth(request, alias)
    participant = _target(room, caller, uuid)
    _call(participant, call_uuid)
    await _node(request).end_call(room, participant)
    return ok(None)


@post("/participants/{uuid:str}/calls/{call_uuid:str}/{action:str}")
async def call_noop(
    request: Request[Any, Any, Any], alias: str, uuid: str, call_uuid: str, action: str
) -> Response[Any]:
    room, caller = _auth(request, alias)
    _call(_target(room, caller, uuid), call_uuid)
    if action not in ("statistics", "dtmf", "fecc"):
        raise NodeError(404, f"Unknown endpoint {action}", failed=True)
    return ok(None if action == "statistics" else True)


@post("/participants/{uuid:str}/disconnect")
async def participant_disconnect(
    request: Request[Any, Any, Any], alias: str, uuid: str
) -> Response[Any]:
    room, caller = _auth(request, alias)
    target = _target(room, caller, uuid)
    reason = None if target is caller else "Disconnected by another participant"
    await _node(request).drop(room, target, reason)
    return ok(None)


async def _set_muted(
    request: Request[Any, Any, Any], alias: str, uuid: str, muted: bool
) -> Response[Any]:
    room, caller = _auth(request, alias)
    target = _target(room, caller, uuid)
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
    node = _node(request)
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
    room, caller = _auth(request, alias)
    target = _target(room, caller, uuid)
    target.is_client_muted = muted
    _node(request).participant_changed(room, target)
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
    room, caller = _auth(request, alias)
    target = _target(room, caller, uuid)
    target.is_video_muted = muted
    node = _node(request)
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
    room, caller = _auth(request, alias)
    _require_host(caller)
    target = _target(room, caller, uuid)
    _node(request).admit(room, target)
    return ok(True)


@post("/participants/{uuid:str}/message")
async def direct_message(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    """A chat message to one participant only (`direct: true`)."""
    room, sender = _auth(request, alias)
    if sender.waiting:
        raise NodeError(403, "Not admitted to the conference yet")
    target = _target(room, sender, uuid, host_or_self=False)
    body = await _json_body(request)
    kind, payload = body.get("type", "text/plain"), body.get("payload")
    if kind not in ("text/plain", "application/json") or not isinstance(payload, str):
        raise NodeError(
            400,
            "message needs type text/plain or application/json and a payload string",
            failed=True,
        )
    data = {"origin": sender.display_name, "uuid": sender.uuid, "type": kind,
            "payload": payload, "direct": True}  # fmt: skip
    direct.send(target, "message_received", data)
    return ok(True)


@post("/participants/{uuid:str}/role")
async def participant_role(request: Request[Any, Any, Any], alias: str, uuid: str) -> Response[Any]:
    """A host makes a participant a host (`chair`) or a guest."""
    room, caller = _auth(request, alias)
    _require_host(caller)
    target = _target(room, caller, uuid)
    role = (await _json_body(request)).get("role")
    if role not in ("chair", "guest"):
        raise NodeError(400, "role must be chair or guest", failed=True)
    target.role = "HOST" if role == "chair" else "GUEST"
    node = _node(request)
    node.rewire(room)
    node.participant_changed(room, target)
    return ok(None)


async def _buzz(request: Request[Any, Any, Any], alias: str, uuid: str, up: bool) -> Response[Any]:
    room, caller = _auth(request, alias)
    target = _target(room, caller, uuid)
    target.buzz_time = int(time.time()) if up else 0
    _node(request).participant_changed(room, target)
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
    room, caller = _auth(request, alias)
    _require_host(caller)
    target = _target(room, caller, uuid, host_or_self=False)
    body = await _json_body(request)
    destination, role, pin = body.get("conference_alias"), body.get("role"), body.get("pin")
    if not isinstance(destination, str) or not destination.strip():
        raise NodeError(400, "transfer needs conference_alias", failed=True)
    if role not in TRANSFER_ROLES:
        raise NodeError(400, "transfer needs role guest or chair", failed=True)
    node = _node(request)
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
    room, caller = _auth(request, alias)
    _target(room, caller, uuid)  # 404 unknown, 403 another participant for a guest
    if action not in NOOP_PARTICIPANT:
        raise NodeError(404, f"Unknown endpoint {action}", failed=True)
    return ok(True)


def client_api_router() -> Router:
    return Router(
        path="/api/client/v2/conferences/{alias:str}",
        route_handlers=[
            request_token,
            refresh_token,
            release_token,
            events,
            conference_status,
            participants,
            theme,
            lock,
            unlock,
            muteguests,
            unmuteguests,
            set_guests_can_unmute,
            disconnect_conference,
            message,
            dial,
            get_message_text,
            set_message_text,
            conference_noop,
            calls,
            new_candidate,
            ack,
            update,
            call_disconnect,
            call_noop,
            participant_disconnect,
            mute,
            unmute,
            client_mute,
            client_unmute,
            video_muted,
            video_unmuted,
            admit,
            direct_message,
            participant_role,
            buzz,
            clearbuzz,
            transfer,
            participant_noop,
        ],
        exception_handlers={NodeError: node_error_handler},
    )


@get("/emulator/rooms")
async def emulator_rooms(request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
    """Inspection for tests: every room and who is in it."""
    return [
        {
            "alias": room.alias,
            "started": room.started,
            "locked": room.locked,
            "direct_media": room.direct.active,
            "participants": [
                {
                    "uuid": p.uuid,
                    "display_name": p.display_name,
                    "role": p.role,
                    "call_tag": p.call_tag,
                    "has_media": p.has_media,
                    "service_type": "waiting_room" if p.waiting else "conference",
                    "is_muted": room.muted(p),
                    "is_video_muted": p.is_video_muted,
                    # "direct": peer to peer (the node only signals); "relayed": aiortc.
                    "media": "direct" if p.direct_call else "relayed" if p.call else None,
                    # A dialled-out participant's protocol (sip, h323, ...); else null.
                    "protocol": p.dialled_protocol,
                }
                for p in room.participants.values()
            ],
        }
        for room in _node(request).rooms.values()
    ]
