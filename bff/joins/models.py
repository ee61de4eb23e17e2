"""What a session may do: a JoinGrant for one meeting, as host or guest."""

from __future__ import annotations

from typing import Literal

import msgspec


class JoinGrant(msgspec.Struct):
    meeting_id: str
    role: Literal["host", "guest"]
    display_name: str


class Session(msgspec.Struct):
    party: str
    grant: JoinGrant
