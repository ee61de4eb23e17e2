"""The Client REST API's token, event and conference routes (`/api/client/v2/conferences/
{alias}/...`), as `@pexip/infinity` 20.0.0 calls them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.response import Stream

from emulator.node import direct
from emulator.node.http import (
    NOOP_CONFERENCE,
    authorised,
    json_body,
    node_of,
    ok,
    require_host,
)
from emulator.node.models import CLOSE_STREAM, VERSION, NodeError, SseEvent

log = logging.getLogger(__name__)


# -- tokens -------------------------------------------------------------------------------
@post("/request_token")
async def request_token(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    node = node_of(request)
    source = request.client.host if request.client else None
    room = node.room_to_join(alias, source)
    body = await json_body(request)
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
    participant.request_id = request.headers.get("x-request-id", "")
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
    room, participant = authorised(request, alias)
    node = node_of(request)
    token = node.refresh(room, participant)
    return ok({"token": token, "expires": str(node.token_ttl), "role": participant.role})


@post("/release_token")
async def release_token(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    # Also the sendBeacon form: token in the query string, body possibly text/plain.
    room, participant = authorised(request, alias)
    node = node_of(request)
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
    room, participant = authorised(request, alias)
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
    room, _ = authorised(request, alias)
    return ok(room.state())


@get("/participants")
async def participants(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    room, caller = authorised(request, alias)
    return ok(room.participant_list(caller))


@get(["/theme", "/theme/"])
async def theme(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    authorised(request, alias)
    # The client accepts 204 as "no theme".
    return Response(content=b"", status_code=204)


async def _set_conference_flag(
    request: Request[Any, Any, Any], alias: str, flag: str, value: bool
) -> Response[Any]:
    room, caller = authorised(request, alias)
    require_host(caller)
    node = node_of(request)
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
    room, caller = authorised(request, alias)
    require_host(caller)
    setting = (await json_body(request)).get("setting")
    if not isinstance(setting, bool):
        raise NodeError(400, "set_guests_can_unmute needs a boolean setting", failed=True)
    room.guests_can_unmute = setting
    node_of(request).broadcast(room, "conference_update", room.state())
    return ok(True)


@post("/disconnect")
async def disconnect_conference(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    room, caller = authorised(request, alias)
    require_host(caller)
    node = node_of(request)
    for participant in list(room.participants.values()):
        await node.drop(room, participant, "Conference terminated by another participant")
    return ok(True)


@post("/message")
async def message(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    room, sender = authorised(request, alias)
    if sender.waiting:
        raise NodeError(403, "Not admitted to the conference yet")
    body = await json_body(request)
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
    node_of(request).broadcast(room, "message_received", data, exclude=sender, admitted_only=True)
    return ok(True)


DIAL_PROTOCOLS = ("sip", "h323", "rtmp", "mssip", "auto")


@post("/dial")
async def dial(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    """A host calls someone into the conference (Pexip `dial`): the answer lists the new
    participant's uuid; it joins as `role` and leaves on `participants/{uuid}/disconnect`.
    A destination that is another room of this node bridges the two rooms (Node.dial_room;
    its PIN in `dtmf_sequence`)."""
    room, caller = authorised(request, alias)
    require_host(caller)
    body = await json_body(request)
    role, destination, protocol = body.get("role"), body.get("destination"), body.get("protocol")
    if role not in ("HOST", "GUEST"):
        raise NodeError(400, "dial needs role HOST or GUEST", failed=True)
    if not isinstance(destination, str) or not destination.strip() or len(destination) > 250:
        raise NodeError(400, "dial needs a destination", failed=True)
    if protocol not in DIAL_PROTOCOLS:
        raise NodeError(400, "Invalid protocol for service", failed=True)
    name = body.get("remote_display_name")
    node = node_of(request)
    there = node.own_room(destination)
    default_name = there.alias if there is not None else destination.strip()
    display_name = name.strip()[:100] if isinstance(name, str) and name.strip() else default_name
    audio_only = body.get("call_type") == "audio"
    if there is not None and there is not room:  # a room of this node: the rooms bridged
        source = body.get("source_display_name")
        source_name = source.strip()[:100] if isinstance(source, str) and source.strip() else alias
        dtmf = body.get("dtmf_sequence")
        participant = await node.dial_room(
            room,
            role,
            there,
            protocol,
            display_name,
            source_name,
            dtmf if isinstance(dtmf, str) else "",
            audio_only=audio_only,
        )
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
    room, _ = authorised(request, alias)
    return ok({"text": room.message_text})


@post("/set_message_text")
async def set_message_text(request: Request[Any, Any, Any], alias: str) -> Response[Any]:
    """Sets (or with "" clears) the message overlay text: hosts only."""
    room, caller = authorised(request, alias)
    require_host(caller)
    text = (await json_body(request)).get("text")
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
    authorised(request, alias)
    if action not in NOOP_CONFERENCE:
        raise NodeError(404, f"Unknown endpoint {action}", failed=True)
    return ok(True)
