"""What the BFF's own HTTP calls to the services it depends on (VDX, the identity providers)
share: one way to read an answer that must be a JSON object."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import httpx

from bff.core.errors import UpstreamFailed


async def json_object(answer: Awaitable[httpx.Response], who: str) -> dict[str, Any]:
    """The JSON object `who` answered with 200; else UpstreamFailed (502) naming `who` and
    what went wrong (unreachable, the status, no JSON object)."""
    try:
        response = await answer
    except httpx.HTTPError as exc:
        raise UpstreamFailed(f"{who} unreachable ({type(exc).__name__})") from exc
    if response.status_code != 200:
        raise UpstreamFailed(f"{who} answered {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise UpstreamFailed(f"{who} answered no JSON object")
    return body
