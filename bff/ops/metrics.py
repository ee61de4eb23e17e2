"""Prometheus metrics at /metrics: requests and latencies per route, proxy upstream latency,
active SSE streams, Redis errors, rate-limit refusals and the release (bv_build_info).

Routes are labelled by their template (`/{party_id:str}/j/{token:str}`), never by the path:
paths carry link tokens, and labels must stay few. With several worker processes
(BV_WORKERS > 1) the values are shared through files in PROMETHEUS_MULTIPROC_DIR, which
`python -m bff` sets up before the workers start.
"""

from __future__ import annotations

import os
import platform
import time
from typing import Any

from litestar import MediaType, Request, Response, get
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prom_multiprocess

from bff import __version__
from bff.core.deps import Injected
from bff.core.security import same
from bff.core.settings import Settings

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
START = "bv_t0"  # scope key: when the request reached the app (monotonic)

REQUESTS = Counter(
    "bv_http_requests",
    "HTTP requests answered, by route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "bv_http_request_duration_seconds",
    "Time from the request reaching the BFF to the answer's first byte (SSE: its headers)",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
UPSTREAM = Histogram(
    "bv_proxy_upstream_duration_seconds",
    "Client API proxy: time the conference node took to answer, by endpoint",
    ["endpoint"],
    buckets=LATENCY_BUCKETS,
)
UPSTREAM_ERRORS = Counter(
    "bv_proxy_upstream_errors",
    "Client API proxy: node unreachable or broken answers",
    ["endpoint"],
)
SSE_STREAMS = Gauge(
    "bv_sse_streams_active", "Event streams the proxy holds open now", multiprocess_mode="livesum"
)
REDIS_ERRORS = Counter("bv_redis_errors", "Requests that failed on Redis, by error", ["kind"])
RATE_LIMITED = Counter("bv_rate_limited", "Requests refused by a shared rate limit", ["limit"])
BUILD_INFO = Gauge(
    "bv_build_info",
    "Always 1: the release and Python this instance runs",
    ["version", "python"],
    multiprocess_mode="max",
)
BUILD_INFO.labels(__version__, platform.python_version()).set(1)

# Client API endpoints worth their own label; anything else is "other".
KNOWN_ENDPOINTS = frozenset(
    {
        "request_token",
        "refresh_token",
        "release_token",
        "events",
        "calls",
        "participants",
        "conference_status",
        "message",
        "ack",
        "new_candidate",
        "lock",
        "unlock",
        "dial",
    }
)


# Labelled children looked up once (prometheus_client's labels() costs more than the count);
# the keys are what the labels already are, and the caches start again past MAX_CACHED.
MAX_CACHED = 1000
_answers: dict[tuple[str, str, str], Any] = {}
_latencies: dict[tuple[str, str], Any] = {}
_upstream: dict[str, Any] = {}
_upstream_errors: dict[str, Any] = {}


def _child(cache: dict[Any, Any], metric: Any, key: Any, *labels: str) -> Any:
    child = cache.get(key)
    if child is None:
        if len(cache) >= MAX_CACHED:
            cache.clear()
        child = cache[key] = metric.labels(*labels)
    return child


def upstream(endpoint: str) -> Any:
    """UPSTREAM's child for this endpoint label."""
    return _child(_upstream, UPSTREAM, endpoint, endpoint)


def upstream_error(endpoint: str) -> Any:
    return _child(_upstream_errors, UPSTREAM_ERRORS, endpoint, endpoint)


def endpoint_label(endpoint: str) -> str:
    """`participants/<uuid>/calls/<id>/ack` → `ack`; request_token → request_token."""
    parts = [p for p in endpoint.split("/") if p]
    for part in reversed(parts):
        if part in KNOWN_ENDPOINTS:
            return part
    return "other"


class MetricsMiddleware:
    """Marks when a request reached the app; `count_answer` (before_send) does the rest."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope.setdefault(START, time.perf_counter())
        await self.app(scope, receive, send)


async def count_answer(message: Any, scope: Any) -> None:
    """before_send: one count per answer, with its route template and status."""
    if message["type"] != "http.response.start" or scope.get("type") != "http":
        return
    route = scope.get("path_template") or "unrouted"
    method = scope.get("method", "")
    status = str(message["status"])
    _child(_answers, REQUESTS, (method, route, status), method, route, status).inc()
    started = scope.get(START)
    if started is not None:
        _child(_latencies, LATENCY, (method, route), method, route).observe(
            time.perf_counter() - started
        )


def _exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prom_multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest()


@get("/metrics", include_in_schema=False, sync_to_thread=False, media_type=MediaType.TEXT)
def metrics(request: Request[Any, Any, Any], settings: Injected[Settings]) -> Response[bytes]:
    """Prometheus text format, only for `Authorization: Bearer <BV_METRICS_TOKEN>`; open
    without a token in the development stack only (BV_DEMO)."""
    token = settings.serving.metrics_token
    given = request.headers.get("authorization", "")
    if not token and not settings.demo:
        return Response(
            b'{"detail":"metrics are off: set BV_METRICS_TOKEN and send Authorization: Bearer '
            b'<token>"}',
            status_code=401,
            media_type=MediaType.JSON,
            headers={"WWW-Authenticate": "Bearer"},
        )
    if token and not same(given, f"Bearer {token}"):
        return Response(
            b'{"detail":"metrics need Authorization: Bearer <BV_METRICS_TOKEN>"}',
            status_code=401,
            media_type=MediaType.JSON,
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Response(
        _exposition(),
        media_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )
