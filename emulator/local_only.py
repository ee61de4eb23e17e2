"""The emulator's unauthenticated helpers (outbox, rooms, demo EOJ) answer this machine only.

`make run LAN=1` binds every interface so a phone reaches the node; the helpers must still
not hand a neighbour the SMS links or book through the demo API key. "This machine" is a
loopback client, or a client whose address is the one it connected to (a browser on this
computer opening the LAN address).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers import BaseRouteHandler


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_same_host(client: str | None, server: str | None) -> bool:
    address = _address(client or "")
    if address is None:
        return False
    return address.is_loopback or address == _address(server or "")


def requires_same_host(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    client = connection.scope.get("client")
    server = connection.scope.get("server")
    if not is_same_host(client[0] if client else None, server[0] if server else None):
        raise PermissionDeniedException("Only from the machine the emulator runs on")
