"""Request ids and the calls the BFF makes to others.

Every request has an id: a well-formed `X-Request-ID` from the proxy in front, else one made
here. It is in the answer's `X-Request-ID`, in every log line written while the request is
served (`request_id`), in every call to VDX, the SMS gateway and the identity providers
(`OutboundTransport`), and in the Client API calls the proxy forwards to the node (the request's
headers are forwarded, the id among them).

Each outbound HTTP call is timed and counted by dependency and operation
(`bv_dependency_request_duration_seconds`, `bv_dependency_errors`): a histogram observation and,
on failure, a counter, with their labelled children cached (bff.ops.metrics._child). The
Client API proxy's own calls to the node keep their cheaper metrics
(`bv_proxy_upstream_duration_seconds`, `bv_proxy_upstream_errors`).
"""

from __future__ import annotations

import logging
import os
import re
import time
from contextvars import ContextVar
from typing import Any

import httpx
from prometheus_client import Counter, Histogram

from bff.ops.metrics import LATENCY_BUCKETS, _child

HEADER = "X-Request-ID"
_HEADER_LOWER = HEADER.lower().encode()
# Ids from a proxy in front: printable and short (a UUID, Caddy's, nginx's $request_id).
WELL_FORMED = re.compile(rb"[A-Za-z0-9._:@+=-]{8,128}")

REQUEST_ID: ContextVar[str | None] = ContextVar("bv_request_id", default=None)

DEPENDENCY = "bv_dependency"  # httpx request extension: which service (vdx-videoapi, ...)
OPERATION = "bv_operation"  # httpx request extension: what is asked of it (default: path)

DEPENDENCY_LATENCY = Histogram(
    "bv_dependency_request_duration_seconds",
    "Calls the BFF makes to VDX, the SMS gateway, identity providers and webhooks: time to "
    "the answer's headers, by dependency and operation",
    ["dependency", "operation"],
    buckets=LATENCY_BUCKETS,
)
DEPENDENCY_ERRORS = Counter(
    "bv_dependency_errors",
    "Calls to a dependency that failed: unreachable or timed out (kind=unreachable, timeout) "
    "or answered 5xx (kind=5xx)",
    ["dependency", "operation", "kind"],
)
_latencies: dict[tuple[str, str], Any] = {}
_errors: dict[tuple[str, str, str], Any] = {}
# Path segments that are ids (numbers, UUIDs, tokens), not names like `v2` or `meetings`.
_ID_SEGMENT = re.compile(r"^\d+$|^(?=.*\d)[A-Za-z0-9_.:-]{8,}$|^[A-Za-z0-9_-]{20,}$")


class RequestIdMiddleware:
    """Takes or makes the request's id; sets it for logs and calls, and on the answer.

    A generated id also joins the request's headers, so the Client API proxy forwards it.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        given = None
        headers = scope["headers"]
        for name, value in headers:
            if name == _HEADER_LOWER:
                given = value
                break
        if given is not None and WELL_FORMED.fullmatch(given):
            request_id = given.decode()
        else:
            request_id = os.urandom(16).hex()  # 32 hex; uuid4() cost 2% of the BFF's CPU
            kept = [(k, v) for k, v in headers if k != _HEADER_LOWER]
            scope["headers"] = [*kept, (_HEADER_LOWER, request_id.encode())]
        answer_header = (_HEADER_LOWER, request_id.encode())

        async def send_with_id(message: Any) -> None:
            if message["type"] in ("http.response.start", "websocket.accept"):
                message["headers"] = [*(message.get("headers") or []), answer_header]
            await send(message)

        token = REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            REQUEST_ID.reset(token)


class RequestIdLogFilter(logging.Filter):
    """Adds `request_id` to each record written while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = REQUEST_ID.get()
        if request_id is not None:
            record.request_id = request_id
        return True


def operation_of(request: httpx.Request) -> str:
    """`GET /videoapi/meetings/{id}`: the method and path, ids in it replaced."""
    parts = ["{id}" if _ID_SEGMENT.search(part) else part for part in request.url.path.split("/")]
    return f"{request.method} {'/'.join(parts)}"


class OutboundTransport(httpx.AsyncBaseTransport):
    """Wraps the real transport: the request id out, the time and the failures counted."""

    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        self._transport = transport

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request_id = REQUEST_ID.get()
        if request_id is not None and HEADER not in request.headers:
            request.headers[HEADER] = request_id
        dependency = str(request.extensions.get(DEPENDENCY, "other"))
        operation = str(request.extensions.get(OPERATION) or operation_of(request))
        started = time.perf_counter()
        try:
            response = await self._transport.handle_async_request(request)
        except httpx.TimeoutException:
            _error(dependency, operation, "timeout")
            raise
        except httpx.HTTPError:
            _error(dependency, operation, "unreachable")
            raise
        key = (dependency, operation)
        _child(_latencies, DEPENDENCY_LATENCY, key, *key).observe(time.perf_counter() - started)
        if response.status_code >= 500:
            _error(dependency, operation, "5xx")
        return response

    async def aclose(self) -> None:
        await self._transport.aclose()


def _error(dependency: str, operation: str, kind: str) -> None:
    key = (dependency, operation, kind)
    _child(_errors, DEPENDENCY_ERRORS, key, *key).inc()


def observed(transport: httpx.AsyncBaseTransport) -> OutboundTransport:
    return OutboundTransport(transport)


def calling(dependency: str, operation: str | None = None) -> dict[str, str]:
    """httpx `extensions=` naming the dependency (and operation) a call's metrics go under."""
    return {DEPENDENCY: dependency} | ({OPERATION: operation} if operation else {})
