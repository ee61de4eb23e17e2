"""The one counter every limit in Redis uses: count first, then check, in one step.

A count and its expiry are one Lua script (atomic on the server): a timeout or a crash can
never leave a counter that lives for ever, and a counter found without an expiry (left by an
older version) gets one on its next count. Every limit counts before it checks, so a burst
of parallel requests gets no more tries than a patient one. Each script touches one key
(cluster-safe). Redis 6.2 has no `EXPIRE ... NX`: the script checks `TTL` instead.
"""

from __future__ import annotations

import time
from typing import Any

from bff.core import store

# KEYS[1] the counter. ARGV: amount, window (s). Answers the count after this one.
COUNT = (
    "local n = redis.call('INCRBY', KEYS[1], ARGV[1]) "
    "if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end "
    "return n"
)
# KEYS[1] the counter. ARGV: amount, window (s). Nothing left: the key goes.
GIVE_BACK = (
    "local n = redis.call('DECRBY', KEYS[1], ARGV[1]) "
    "if n <= 0 then redis.call('DEL', KEYS[1]) "
    "elseif redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end "
    "return n"
)


async def count(redis: store.Redis, key: str, window: int, amount: int = 1) -> int:
    """Add `amount` and answer the new count; the key expires `window` seconds after its
    first count."""
    return int(await redis.eval(COUNT, 1, key, amount, window))


def count_in(pipe: Any, key: str, window: int, amount: int = 1) -> None:
    """`count` queued in a pipeline (its answer: the count, at this place in the results)."""
    pipe.eval(COUNT, 1, key, amount, window)


async def give_back(redis: store.Redis, key: str, window: int, amount: int = 1) -> None:
    """Undo a count that turned out not to be a try (refused before it was made)."""
    await redis.eval(GIVE_BACK, 1, key, amount, window)


def window_left(window: int, now: float | None = None) -> int:
    """Seconds until the current fixed window ends (a Retry-After)."""
    at = int(time.time() if now is None else now)
    return window - at % window
