"""The shared plumbing's dependencies: the one typed look-up of each thing the app keeps in
its state (`bff/app.py` puts it there and wires these as `Provide`).

A handler names what it needs (`settings: Injected[Settings]`); guards, middleware and
websockets, which Litestar does not inject, call the same function with their connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar

import aiohttp
import httpx
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.params import SkipValidation

from bff.core.sealing import DataSealer, Pseudonymiser
from bff.core.settings import Settings
from bff.core.store import Redis

Connection = ASGIConnection[Any, Any, Any, Any]  # any request or websocket
T = TypeVar("T")

Injected: TypeAlias = NamedDependency[SkipValidation[T]]
"""A dependency found by its parameter's name (as Litestar's `NamedDependency`), not validated
again against its type: what the app keeps is already the object it says (and a `RedisCluster`
is no `redis.asyncio.Redis`: validating it refused every request on a Redis Cluster)."""


def kept(request: Connection, name: str, kind: type[T]) -> T:
    """What the app keeps in its state under `name` (bff/app.py puts it there), as `kind`."""
    value: T = getattr(request.app.state, name)
    return value


def _kept_as(name: str, kind: type[T]) -> Callable[[Connection], T]:
    """The look-up of what the app keeps under `name`: a provider (Litestar passes it the
    request) that guards and middleware call with their connection."""

    def look_up(request: Connection) -> T:
        return kept(request, name, kind)

    return look_up


provide_settings = _kept_as("settings", Settings)
provide_redis = _kept_as("redis", Redis)
# The shared keep-alive client for VDX and the identity providers.
provide_http = _kept_as("http", httpx.AsyncClient)
provide_sealer = _kept_as("sealer", DataSealer)
provide_pseudonyms = _kept_as("pseudonyms", Pseudonymiser)
# The keep-alive pool to the conference nodes (the Client API proxy's and seats').
provide_node_http = _kept_as("node_http", aiohttp.ClientSession)


def provide(function: Any) -> Provide:
    """A synchronous provider, called in the event loop (every one here only looks up)."""
    return Provide(function, sync_to_thread=False)


DEPENDENCIES = {
    "settings": provide(provide_settings),
    "redis": provide(provide_redis),
    "http": provide(provide_http),
    "sealer": provide(provide_sealer),
    "pseudonyms": provide(provide_pseudonyms),
}
