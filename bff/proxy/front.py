"""The Client API proxy's own way in: from the app's entry straight to the proxy, past
Litestar's router, its second exception layer and the app's middleware (every signalling call
of every participant comes this way, so each layer is paid for many times a second).

What those layers do for a proxied call is done here, the same way: the Host header's check
(Litestar's router), RequestGuard's refusals (bounded headers, the session cookie only from
the app's own pages, nothing of the app on the plugin host name), the metrics' start mark and
route template, the request id (bff.ops.outbound), and one exception layer with the app's
handlers (a RedisError is a 503 with Retry-After). The answer still passes every before_send
hook of the app (nosniff, HSTS, Referrer-Policy, the data CSP, the count per route).
Any other path goes on to Litestar.
"""

from __future__ import annotations

import time
from typing import Any

from litestar import Litestar
from litestar._asgi.utils import is_valid_host, wrap_in_exception_handler
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from bff.core.security import RequestGuard
from bff.ops.metrics import START
from bff.ops.outbound import RequestIdMiddleware
from bff.proxy.controller import PREFIX, client_api_proxy

MOUNT = PREFIX.rstrip("/")  # the mount's path template, as Litestar's router names it


class ProxyFront:
    def __init__(self, app: Litestar, inner: ASGIApp, guard: RequestGuard) -> None:
        self.app = app
        self.inner = inner
        guard.app = wrap_in_exception_handler(app=self._proxy)
        self.guarded = RequestIdMiddleware(guard)  # the node sees the request's id too

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        if scope["type"] != ScopeType.HTTP or not path.startswith(PREFIX) or scope.get("root_path"):
            await self.inner(scope, receive, send)
            return
        host = next((value for name, value in scope["headers"] if name == b"host"), None)
        if host is not None and not is_valid_host(host):
            await self.inner(scope, receive, send)  # Litestar's own 400
            return
        scope.setdefault(START, time.perf_counter())  # type: ignore[misc]
        scope["path_template"] = MOUNT
        ScopeState.from_scope(scope).exception_handlers = self.app.exception_handlers
        await self.guarded(scope, receive, send)

    async def _proxy(self, scope: Any, receive: Receive, send: Send) -> None:
        # the path below the mount, as Litestar hands it to a mounted app (a trailing /)
        below = scope["path"][len(MOUNT) :]
        mounted = {**scope, "path": below if below.endswith("/") else below + "/"}
        await client_api_proxy.fn(mounted, receive, send)


def front_the_proxy(app: Litestar, guard: RequestGuard) -> None:
    """Put the proxy's way in before the app's router (`guard`: a RequestGuard configured
    as the app's middleware one is)."""
    app.asgi_handler = ProxyFront(app, app.asgi_handler, guard)
