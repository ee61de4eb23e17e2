"""Request rate limits shared by every BFF instance (counted in Redis).

Fixed one-minute windows, per client address (as the load balancer reports it, see
BV_FORWARDED_ALLOW_IPS) and, for citizen links, per link as well. The limits are wide on
purpose: many citizens reach us from one mobile carrier's shared address.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from bff.core import counters, store
from bff.core.deps import Connection, provide_redis, provide_settings
from bff.core.errors import TooManyRequests
from bff.core.security import sha256_hex
from bff.ops.metrics import RATE_LIMITED

WINDOW = 60
PER_LINK = 10  # redemptions of one link a minute: a person re-tapping, not a script


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    per_window: int


def rate_key(limit: Limit, who: str, now: int, window: int = WINDOW) -> str:
    """The counter of `who` under `limit` in the window `now` falls in. The hash tag keeps all
    windows of one counter in one cluster slot."""
    return f"{store.RATE}{limit.name}:{{{sha256_hex(who)[:32]}}}:{now // window}"


def refuse_over(limit: Limit, used: int, now: int, window: int = WINDOW) -> None:
    """Over the limit: TooManyRequests with the window's rest as Retry-After."""
    if used > limit.per_window:
        RATE_LIMITED.labels(limit.name).inc()
        raise TooManyRequests(
            "Der er for mange forsøg fra din forbindelse lige nu.",
            retry_after=counters.window_left(window, now),
            title="For mange forsøg",
            hint="Vent et øjeblik, og prøv så igen.",
        )


def count_in(pipe: Any, limit: Limit, who: str, now: int) -> None:
    """`take`'s count queued in a pipeline; its answer goes to `refuse_over`."""
    counters.count_in(pipe, rate_key(limit, who, now), WINDOW + 1)


async def take(redis: store.Redis, limit: Limit, who: str, window: int = WINDOW) -> None:
    """Count one; over the limit raises TooManyRequests with the window's rest as Retry-After."""
    now = int(time.time())
    used = await counters.count(redis, rate_key(limit, who, now, window), window + 1)
    refuse_over(limit, used, now, window)


def client_address(request: Connection) -> str:
    client = request.client
    return client.host if client else "unknown"


class RedeemLimits:
    """A link redemption's two counts (per client address and per link), queued on the
    caller's pipeline, so they share its round trip with the link's own read."""

    def __init__(self, request: Connection, link_digest: str) -> None:
        self.now = int(time.time())
        self.limits = (
            (
                Limit("redeem", provide_settings(request).serving.redeem_per_minute),
                client_address(request),
            ),
            (Limit("redeem-link", PER_LINK), link_digest),
        )

    def queue(self, pipe: Any) -> None:
        for limit, who in self.limits:
            count_in(pipe, limit, who, self.now)

    def check(self, counts: list[Any]) -> None:
        """The counts the pipeline answered, in queued order: over a limit raises."""
        for (limit, _), used in zip(self.limits, counts, strict=True):
            refuse_over(limit, int(used), self.now)


async def limit_launch(request: Connection) -> None:
    settings = provide_settings(request)
    await take(
        provide_redis(request),
        Limit("launch", settings.serving.launch_per_minute),
        client_address(request),
    )
