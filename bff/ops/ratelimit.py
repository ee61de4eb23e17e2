"""Request rate limits shared by every BFF instance (counted in Redis).

Fixed one-minute windows, per client address (as the load balancer reports it, see
BV_FORWARDED_ALLOW_IPS) and, for citizen links, per link as well. The limits are wide on
purpose: many citizens reach us from one mobile carrier's shared address.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from litestar import Request

from bff import counters, store
from bff.errors import TooManyRequests
from bff.ops.metrics import RATE_LIMITED
from bff.security import sha256_hex

WINDOW = 60
PER_LINK = 10  # redemptions of one link a minute: a person re-tapping, not a script


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    per_window: int


def _key(limit: Limit, who: str, now: int, window: int) -> str:
    # The hash tag keeps all windows of one counter in one cluster slot.
    return f"{store.RATE}{limit.name}:{{{sha256_hex(who)[:32]}}}:{now // window}"


def _check(limit: Limit, used: int, now: int, window: int) -> None:
    """Over the limit raises TooManyRequests with the window's rest as Retry-After."""
    if used > limit.per_window:
        RATE_LIMITED.labels(limit.name).inc()
        raise TooManyRequests(
            "Der er for mange forsøg fra din forbindelse lige nu.",
            retry_after=window - now % window,
            title="For mange forsøg",
            hint="Vent et øjeblik, og prøv så igen.",
        )


async def take(redis: store.Redis, limit: Limit, who: str, window: int = WINDOW) -> None:
    """Count one; over the limit raises TooManyRequests with the window's rest as Retry-After."""
    now = int(time.time())
    used = await counters.count(redis, _key(limit, who, now, window), window + 1)
    _check(limit, used, now, window)


def client_address(request: Request) -> str:
    client = request.client
    return client.host if client else "unknown"


class RedeemLimits:
    """A link redemption's two counts (per client address and per link), queued on the
    caller's pipeline, so they share its round trip with the link's own read."""

    def __init__(self, request: Request, link_digest: str) -> None:
        self.now = int(time.time())
        self.limits = (
            (Limit("redeem", request.app.state.settings.redeem_per_minute),
             client_address(request)),
            (Limit("redeem-link", PER_LINK), link_digest),
        )  # fmt: skip

    def queue(self, pipe: Any) -> None:
        for limit, who in self.limits:
            counters.count_in(pipe, _key(limit, who, self.now, WINDOW), WINDOW + 1)

    def check(self, counts: list[Any]) -> None:
        """The counts the pipeline answered, in queued order: over a limit raises."""
        for (limit, _), used in zip(self.limits, counts, strict=True):
            _check(limit, int(used), self.now, WINDOW)


async def limit_launch(request: Request) -> None:
    settings = request.app.state.settings
    await take(
        request.app.state.redis,
        Limit("launch", settings.launch_per_minute),
        client_address(request),
    )
