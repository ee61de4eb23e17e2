"""What the Client REST API's routes share: the answer envelope, the node, the caller's
token, its JSON body (emulator.node.conference_routes, emulator.node.participant_routes)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response

from emulator.node.models import NodeError
from emulator.node.rooms import Node, Participant, Room

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


def node_of(request: Request[Any, Any, Any]) -> Node:
    node: Node = request.app.state.node
    return node


async def json_body(request: Request[Any, Any, Any]) -> dict[str, Any]:
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


def authorised(request: Request[Any, Any, Any], alias: str) -> tuple[Room, Participant]:
    token = request.headers.get("token") or request.query_params.get("token")
    return node_of(request).authenticate(alias, token)


def require_host(participant: Participant) -> None:
    if participant.role != "HOST":
        raise NodeError(403, "Invalid role")


def target_of(room: Room, caller: Participant, uuid: str, host_or_self: bool = True) -> Participant:
    target = room.participants.get(uuid)
    if target is None:
        raise NodeError(404, "Participant not found", failed=True)
    if host_or_self and target is not caller:
        require_host(caller)
    return target
