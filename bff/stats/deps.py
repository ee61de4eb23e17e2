"""The statistics domain's dependencies (Litestar `Provide`)."""

from __future__ import annotations

from bff.core.deps import Connection
from bff.stats.service import StatsService


def provide_stats(request: Connection) -> StatsService:
    """The one service the app made at start (its lifespan); it counts in the background."""
    stats: StatsService = request.app.state.stats
    return stats
