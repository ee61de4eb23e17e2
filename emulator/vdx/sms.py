"""VDX SmsAPI: messages go to the in-memory outbox instead of a phone.

On MedCom's paths: base `{SMS_ENDPOINT}`, token at `{SMS_ENDPOINT}/token`, messages at
`{SMS_ENDPOINT}/v1/meeting/{uuid}` (medcom-vdx-healthcheck `client/sms/SmsClientImpl.java`,
`configuration/HealthcheckConfiguration.java`), over the certificate route only.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Request, Response, Router, get, post

from emulator.vdx.auth import requires_holder_of_key, sts_token_route
from emulator.vdx.errors import VdxError, vdx_error_handler
from emulator.vdx.outbox import Outbox
from emulator.vdx.videoapi import MeetingStore

PHONE = re.compile(r"^\+?[0-9]{8,15}$")
MAX_MESSAGE = 1000


def _validate(body: Any) -> tuple[str, str]:
    if not isinstance(body, dict):
        raise VdxError(400, "Request body must be a JSON object with message and to", code=10)
    message, to = body.get("message"), body.get("to")
    if not isinstance(to, str) or not PHONE.match(to.replace(" ", "")):
        raise VdxError(
            400, "to must be a phone number: 8 to 15 digits, optionally with a leading +", code=10
        )
    if not isinstance(message, str) or not message.strip():
        raise VdxError(400, "message is required", code=10)
    if len(message) > MAX_MESSAGE:
        raise VdxError(400, f"message must be at most {MAX_MESSAGE} characters", code=10)
    return message, to.replace(" ", "")


@post("/v1/meeting/{meeting_uuid:str}", operation_id="SendSms")
async def send_sms(request: Request[Any, Any, Any], meeting_uuid: str) -> Response[Any]:
    store: MeetingStore = request.app.state.meetings
    store.get(meeting_uuid)
    try:
        body = msgspec.json.decode(await request.body())
    except msgspec.DecodeError as exc:
        raise VdxError(400, "Request body must be JSON", code=10) from exc
    message, to = _validate(body)
    outbox: Outbox = request.app.state.outbox
    sent = outbox.send(meeting_uuid, to, message, request.headers.get("x-request-id"))
    return Response(
        content={"id": sent.id, "status": "SENT"}, status_code=201, media_type="application/json"
    )


@get("/v1/meeting/{meeting_uuid:str}", operation_id="ListSms")
async def list_sms(request: Request[Any, Any, Any], meeting_uuid: str) -> list[dict[str, Any]]:
    store: MeetingStore = request.app.state.meetings
    store.get(meeting_uuid)
    outbox: Outbox = request.app.state.outbox
    return [
        {"id": m.id, "to": m.to, "message": m.message, "status": "SENT", "sent_at": m.sent_at}
        for m in outbox.list(meeting_uuid=meeting_uuid)
    ]


def sms_router() -> Router:
    return Router(
        path="/smsapi",
        route_handlers=[sts_token_route(), send_sms, list_sms],
        guards=[requires_holder_of_key],
        exception_handlers={VdxError: vdx_error_handler},
        tags=["VDX SmsAPI"],
    )
