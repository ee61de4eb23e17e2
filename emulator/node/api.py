"""Pexip Client REST API v2 as `@pexip/infinity` 20.0.0 uses it: the router of its routes
(emulator.node.conference_routes, emulator.node.participant_routes), the inspection route and
the tests' control of the media path."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request, Router, get, post
from litestar.exceptions import HTTPException, ValidationException

from emulator.node import conference_routes, participant_routes
from emulator.node.http import node_error_handler, node_of
from emulator.node.models import NodeError


def client_api_router() -> Router:
    return Router(
        path="/api/client/v2/conferences/{alias:str}",
        route_handlers=[
            conference_routes.request_token,
            conference_routes.refresh_token,
            conference_routes.release_token,
            conference_routes.events,
            conference_routes.conference_status,
            conference_routes.participants,
            conference_routes.theme,
            conference_routes.lock,
            conference_routes.unlock,
            conference_routes.muteguests,
            conference_routes.unmuteguests,
            conference_routes.set_guests_can_unmute,
            conference_routes.disconnect_conference,
            conference_routes.message,
            conference_routes.dial,
            conference_routes.get_message_text,
            conference_routes.set_message_text,
            conference_routes.conference_noop,
            participant_routes.calls,
            participant_routes.new_candidate,
            participant_routes.ack,
            participant_routes.update,
            participant_routes.call_disconnect,
            participant_routes.call_noop,
            participant_routes.participant_disconnect,
            participant_routes.mute,
            participant_routes.unmute,
            participant_routes.client_mute,
            participant_routes.client_unmute,
            participant_routes.video_muted,
            participant_routes.video_unmuted,
            participant_routes.admit,
            participant_routes.direct_message,
            participant_routes.participant_role,
            participant_routes.buzz,
            participant_routes.clearbuzz,
            participant_routes.transfer,
            participant_routes.participant_noop,
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
                    "request_id": p.request_id,
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
        for room in node_of(request).rooms.values()
    ]


MAX_CUT_SECONDS = 300.0


@post("/emulator/rooms/{alias:str}/participants/{uuid:str}/cut-media", status_code=200)
async def cut_media(
    request: Request[Any, Any, Any], alias: str, uuid: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Tests only (EMU_TEST_CONTROLS): drop every media datagram, in and out, of one
    participant's calls for `seconds` (0: restore now), as when a phone leaves Wi-Fi for
    mobile data. Signalling goes on; the browser's ICE consent fails as it would."""
    seconds = data.get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise ValidationException('cut-media needs {"seconds": <number>}')
    if not 0 <= seconds <= MAX_CUT_SECONDS:
        raise ValidationException(f"seconds must be 0..{MAX_CUT_SECONDS:g}, got {seconds}")
    room = node_of(request).rooms.get(alias)
    participant = room.participants.get(uuid) if room else None
    if participant is None:
        raise HTTPException(status_code=404, detail=f"No participant {uuid} in room {alias}")
    participant.media_cut_until = time.monotonic() + seconds if seconds else 0.0
    return {"uuid": uuid, "seconds": seconds}
