"""The emulated node's plain types: roles, the version it reports, its refusals and its
server-sent events (emulator.node.rooms holds the rooms and participants)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["HOST", "GUEST"]
VERSION = {"version_id": "36", "pseudo_version": "36.0.0.0"}
# Put on an SSE queue to end that stream.
CLOSE_STREAM: dict[str, Any] = {}
# Disconnect reasons of a hosted conference (as Pexip Infinity words them).
HOSTS_DEPARTED = "All conference hosts departed hosted conference"
WAITING_TIMEOUT = (
    "Timeout waiting for conference host to join or permit access to locked conference"
)
UNKNOWN_ROOM = "Neither conference nor gateway found"


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
