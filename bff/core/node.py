"""The one client of the conference node's Client REST API (Pexip Infinity
`/api/client/v2/conferences/<alias>/...`) for the BFF's own calls: the phonebook's host token,
transfers and dials, and releasing a seat's token. (The proxy passes the browsers' calls
through as they are: bff.proxy.)"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

import aiohttp

from bff.core.errors import UpstreamFailed

CALL_TIMEOUT = aiohttp.ClientTimeout(total=10.0)
RELEASE_TIMEOUT = aiohttp.ClientTimeout(total=5.0)


def conference_url(node: str, alias: str) -> str:
    return f"{node}/api/client/v2/conferences/{quote(alias, safe='')}"


async def call(
    http: aiohttp.ClientSession,
    method: Literal["GET", "POST"],
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: dict[str, Any] | None = None,
) -> tuple[int, Any]:
    """(status, the decoded JSON answer); UpstreamFailed when the node cannot be reached or
    does not answer JSON. `headers`: the call's `token` (or a token request's `pin`)."""
    try:
        async with http.request(
            method, url, headers=headers, json=body, timeout=CALL_TIMEOUT
        ) as resp:
            return resp.status, await resp.json(content_type=None)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise UpstreamFailed("conference node unreachable") from exc


async def release_token(http: aiohttp.ClientSession, conference: str, token: str) -> None:
    """The token's participant leaves now. Best effort: the node drops a participant whose
    token is no longer refreshed anyway."""
    try:
        async with http.post(
            f"{conference}/release_token", headers={"token": token}, timeout=RELEASE_TIMEOUT
        ):
            pass
    except (aiohttp.ClientError, TimeoutError):
        pass
