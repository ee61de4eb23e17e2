"""Each meeting's own data key.

A meeting's PINs and names are sealed under a key of its own; that key is stored wrapped by
the installation's data key and deleted when the meeting ends (its TTL) or is cancelled.
What the append-only history or a backup still holds of a finished meeting then no longer
opens, even with the data key, once the wrapped key has left the history too
(`store.compact_history`).
"""

from __future__ import annotations

import base64
import os

from bff.core import store
from bff.core.sealing import Sealer, SealError


def _purpose(meeting_id: str) -> str:
    return store.MEETING_KEY + meeting_id


def new_meeting_key(data_sealer: Sealer, meeting_id: str) -> tuple[Sealer, str]:
    """A fresh key: its sealer, and the wrapped form to store under MEETING_KEY + id."""
    key = os.urandom(32)
    wrapped = data_sealer.seal(base64.urlsafe_b64encode(key).decode(), _purpose(meeting_id))
    return Sealer(key), wrapped


async def open_meeting_key(
    redis: store.Redis, data_sealer: Sealer, meeting_id: str
) -> Sealer | None:
    """The meeting's sealer; None once the meeting is over, cancelled or under another data key."""
    return unwrap_meeting_key(
        data_sealer, meeting_id, store.as_bytes(await redis.get(store.MEETING_KEY + meeting_id))
    )


def unwrap_meeting_key(
    data_sealer: Sealer, meeting_id: str, wrapped: bytes | None
) -> Sealer | None:
    """The sealer from a stored wrapped key (read by the caller, e.g. in a pipeline)."""
    if wrapped is None:
        return None
    try:
        key = data_sealer.unseal(wrapped.decode(), _purpose(meeting_id))
    except SealError:
        return None
    return Sealer(base64.urlsafe_b64decode(key))


async def drop_meeting_key(redis: store.Redis, meeting_id: str) -> None:
    await redis.delete(store.MEETING_KEY + meeting_id)
