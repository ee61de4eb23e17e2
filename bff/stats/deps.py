"""The statistics domain's dependencies (Litestar `Provide`)."""

from __future__ import annotations

from bff.core.deps import Connection, kept
from bff.stats.service import StatsService


def provide_stats(request: Connection) -> StatsService:
    """The one service the app made at start (its lifespan); it counts in the background."""
    return kept(request, "stats", StatsService)
