"""The baseline every answer carries, whatever produced it (pages, API JSON, proxied node
answers and event streams, assets, Litestar's own errors): no Referer leaves a page, and an
answer that did not bring its own Content-Security-Policy gets one that lets it do nothing
and be framed by nobody (it is data, not a page). Pages set their own policies
(bff.core.security.page_headers, the API docs' in bff.app); nosniff and HSTS come from
bff.core.security.response_headers_hook."""

from __future__ import annotations

from typing import Any

DATA_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


async def baseline_headers(message: Any, scope: Any) -> None:
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers") or [])
    present = {k.lower(): v for k, v in headers}
    if b"referrer-policy" not in present:
        headers.append((b"referrer-policy", b"no-referrer"))
    is_page = present.get(b"content-type", b"").lower().startswith(b"text/html")
    if b"content-security-policy" not in present and not is_page:
        headers.append((b"content-security-policy", DATA_CSP))
    message["headers"] = headers
