"""The shared plumbing's dependencies: the one typed look-up of each thing the app keeps in
its state (`bff/app.py` puts it there and wires these as `Provide`).

A handler names what it needs (`settings: NamedDependency[Settings]`); guards, middleware and
websockets, which Litestar does not inject, call the same function with their connection.
"""

from __future__ import annotations

from typing import Any

import aiohttp
import httpx
from litestar.connection import ASGIConnection
from litestar.di import Provide

from bff.core.sealing import DataSealer, Pseudonymiser
from bff.core.settings import Settings
from bff.core.store import Redis

Connection = ASGIConnection[Any, Any, Any, Any]  # any request or websocket


def provide_settings(request: Connection) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def provide_redis(request: Connection) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


def provide_http(request: Connection) -> httpx.AsyncClient:
    """The shared keep-alive client for VDX and the identity providers."""
    http: httpx.AsyncClient = request.app.state.http
    return http


def provide_sealer(request: Connection) -> DataSealer:
    sealer: DataSealer = request.app.state.sealer
    return sealer


def provide_pseudonyms(request: Connection) -> Pseudonymiser:
    pseudonyms: Pseudonymiser = request.app.state.pseudonyms
    return pseudonyms


def provide_node_http(request: Connection) -> aiohttp.ClientSession:
    """The keep-alive pool to the conference nodes (the Client API proxy's and seats')."""
    node_http: aiohttp.ClientSession = request.app.state.node_http
    return node_http


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
