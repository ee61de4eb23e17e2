"""Liveness, readiness, and what the BFF answers while Redis is away.

`/livez`: the process serves and its event loop is not stuck (restart it when this fails).
`/readyz`: this instance can serve users now: Redis answers (every primary of a cluster), the
webapp build is there, and it is not shutting down (take it out of the load balancer when this
fails). Both answer JSON that names each check and, when one fails, why.

While Redis does not answer, every request that needs it gets 503 with Retry-After: JSON for
APIs, a Danish page that reloads itself for people. Nothing is cached that could go stale,
so the first request after Redis is back is served as usual (no restart).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from litestar import MediaType, Request, Response, get
from redis.exceptions import RedisError

from bff import __version__
from bff.core import store
from bff.core.errors import ErrorPage, problem
from bff.ops.metrics import REDIS_ERRORS
from bff.shell.pages import render_page

log = logging.getLogger("bff.ops")
RETRY_AFTER = 5  # seconds: Redis restarts and fail-overs take a few seconds
READY_TIMEOUT = 1.0
LOOP_STUCK = 5.0  # seconds the event loop may lag before /livez fails
_last_logged = 0.0


class LoopWatch:
    """Measures how late the event loop wakes up (a blocked loop serves nobody)."""

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.lag = 0.0
        self.beat = time.monotonic()

    async def run(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(self.every)
            self.beat = time.monotonic()
            self.lag = max(0.0, self.beat - before - self.every)

    def stuck_for(self) -> float:
        return max(self.lag, time.monotonic() - self.beat - self.every)


def _answer(ok: bool, checks: dict[str, str], **extra: str) -> Response[dict[str, Any]]:
    return Response(
        {"status": "ok" if ok else "failing", "checks": checks, **extra},
        status_code=200 if ok else 503,
        media_type=MediaType.JSON,
        headers={"Cache-Control": "no-store"},
    )


@get("/livez", include_in_schema=False)
async def livez(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    state = request.app.state
    checks: dict[str, str] = {}
    watch: LoopWatch | None = getattr(state, "loop_watch", None)
    if getattr(state, "redis", None) is None or watch is None:
        checks["startup"] = "not started: the app's start-up has not finished"
    else:
        checks["startup"] = "ok"
        stuck = watch.stuck_for()
        checks["event_loop"] = (
            "ok" if stuck < LOOP_STUCK else f"stuck: the event loop lagged {stuck:.1f} s"
        )
    return _answer(all(v == "ok" for v in checks.values()), checks)


async def _redis_check(redis: store.Redis) -> str:
    try:
        async with asyncio.timeout(READY_TIMEOUT):
            await store.ping(redis)
    except TimeoutError:
        return f"unreachable: no answer to PING within {READY_TIMEOUT:.0f} s"
    except RedisError as exc:
        return f"unreachable: {type(exc).__name__}: {_short(exc)}"
    return "ok"


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return text[:200]


@get("/readyz", include_in_schema=False)
async def readyz(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    state = request.app.state
    redis = getattr(state, "redis", None)
    checks = {
        "redis": "not connected yet" if redis is None else await _redis_check(redis),
        "webapp": "ok"
        if (state.settings.serving.webapp_dist / "index.html").is_file()
        else f"missing: {state.settings.serving.webapp_dist}/index.html (build the webapp)",
        "shutdown": "shutting down: draining connections" if state.get("draining") else "ok",
    }
    # The release this instance runs (a rolling upgrade shows two until it is done).
    return _answer(all(v == "ok" for v in checks.values()), checks, version=__version__)


def redis_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Any RedisError that reaches the top: 503 with Retry-After, never a 500."""
    global _last_logged
    kind = type(exc).__name__
    REDIS_ERRORS.labels(kind).inc()
    now = time.monotonic()
    if now - _last_logged > 5:  # one line per few seconds, not one per request
        _last_logged = now
        log.warning("redis unavailable: %s (answering 503)", kind)
    headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
    if request.url.path.startswith(("/api/", "/schema")):
        detail = (
            "temporarily unavailable: the BFF's data store does not answer; "
            f"retry in {RETRY_AFTER} s"
        )
        return problem(503, detail, headers)
    outage = ErrorPage(
        503,
        "Borgervideo er midlertidigt utilgængelig",
        "Vi kan ikke åbne mødet lige nu, fordi en del af Borgervideo ikke svarer.",
        "Siden prøver selv igen om lidt. Du kan også lukke den og trykke på linket igen senere.",
        refresh=RETRY_AFTER * 2,
    )
    page = render_page(outage)
    page.headers.update(headers)
    return page
