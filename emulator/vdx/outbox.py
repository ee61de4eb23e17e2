"""The SMS outbox: every message "sent" through the emulated VDX SmsAPI, kept in memory."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from litestar import Request, get


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: str
    meeting_uuid: str
    to: str
    message: str
    sent_at: str
    # The caller's X-Request-ID, as a real gateway's access log keeps it (tests read it here).
    request_id: str | None = None


class Outbox:
    def __init__(self) -> None:
        self._messages: list[OutboxMessage] = []
        self._ids = itertools.count(1)
        self.on_change: Callable[[], None] | None = None  # EMU_STATE_DIR: kept on disk

    def restore(self, messages: list[OutboxMessage]) -> None:
        self._messages = list(messages)
        self._ids = itertools.count(len(messages) + 1)

    def send(
        self, meeting_uuid: str, to: str, message: str, request_id: str | None = None
    ) -> OutboxMessage:
        sent = OutboxMessage(
            id=f"sms-{next(self._ids)}",
            meeting_uuid=meeting_uuid,
            to=to,
            message=message,
            sent_at=datetime.now(UTC).isoformat(timespec="seconds"),
            request_id=request_id,
        )
        self._messages.append(sent)
        if self.on_change is not None:
            self.on_change()
        return sent

    def list(self, to: str | None = None, meeting_uuid: str | None = None) -> list[OutboxMessage]:
        return [
            m
            for m in self._messages
            if (to is None or m.to == to)
            and (meeting_uuid is None or m.meeting_uuid == meeting_uuid)
        ]


@get("/outbox")
async def read_outbox(
    request: Request[Any, Any, Any], to: str | None = None
) -> list[dict[str, Any]]:
    """Dev tool for tests and the demo: no auth, newest last."""
    outbox: Outbox = request.app.state.outbox
    return [asdict(m) for m in outbox.list(to=to)]
