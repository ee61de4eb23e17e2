"""The shared plumbing's dependencies: the one typed look-up of each thing the app keeps in
its state (`bff/app.py` puts it there and wires these as `Provide`).

A handler names what it needs (`settings: Injected[Settings]`); guards, middleware and
websockets, which Litestar does not inject, call the same function with their connection.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeAlias, TypeVar

import aiohttp
import httpx
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.params import Dependency

from bff.core.sealing import DataSealer, Pseudonymiser
from bff.core.settings import Settings
from bff.core.store import Redis

Connection = ASGIConnection[Any, Any, Any, Any]  # any request or websocket
T = TypeVar("T")

Injected: TypeAlias = Annotated[T, Dependency(skip_validation=True)]
"""A dependency found by its parameter's name (as Litestar's `NamedDependency`), not validated
again against its type: what the app keeps is already the object it says (and a `RedisCluster`
is no `redis.asyncio.Redis`: validating it refused every request on a Redis Cluster)."""


def kept(request: Connection, name: str, kind: type[T]) -> T:
    """What the app keeps in its state under `name` (bff/app.py puts it there), as `kind`."""
    value: T = getattr(request.app.state, name)
    return value


def provide_settings(request: Connection) -> Settings:
    return kept(request, "settings", Settings)


def provide_redis(request: Connection) -> Redis:
    return kept(request, "redis", Redis)


def provide_http(request: Connection) -> httpx.AsyncClient:
    """The shared keep-alive client for VDX and the identity providers."""
    return kept(request, "http", httpx.AsyncClient)


def provide_sealer(request: Connection) -> DataSealer:
    return kept(request, "sealer", DataSealer)


def provide_pseudonyms(request: Connection) -> Pseudonymiser:
    return kept(request, "pseudonyms", Pseudonymiser)


def provide_node_http(request: Connection) -> aiohttp.ClientSession:
    """The keep-alive pool to the conference nodes (the Client API proxy's and seats')."""
    return kept(request, "node_http", aiohttp.ClientSession)


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
