"""CSP nonces, security headers, random tokens, constant-time comparison, same-origin checks."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from bff.core.errors import problem_body

CSP_TEMPLATE = (
    "default-src 'self'; script-src 'self' 'nonce-{n}'; style-src 'self' 'nonce-{n}'; "
    "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; "
    "font-src 'self'; frame-src {frames}; child-src {frames}; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'self'; form-action 'self'"
)


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def page_headers(
    nonce: str, plugin_origin: str | None = None, plugin_popups: bool = False
) -> dict[str, str]:
    """Headers for every HTML page the BFF renders. Frames (plugins and their widgets) may
    come from `plugin_origin` only: the separate plugin origin, else the app's own.

    Cross-Origin-Opener-Policy: a page of another site that opens ours (or that ours opens)
    gets no handle on it. `same-origin`, except on pages that load plugins
    (`plugin_popups`): a plugin's frame is another origin, and under `same-origin` a tab it
    opens (the phonebook's "Deltag") would come back without a handle to point at the
    meeting; `same-origin-allow-popups` keeps that and still cuts off foreign openers."""
    frames = plugin_origin or "'self'"
    # A plugin granted the microphone or camera (its iframe's `allow`) gets them only if the
    # page's own policy names its origin as well.
    media = f'(self "{plugin_origin}")' if plugin_origin else "(self)"
    return {
        "Content-Security-Policy": CSP_TEMPLATE.format(n=nonce, frames=frames),
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": f"camera={media}, microphone={media}",
        "Cross-Origin-Opener-Policy": (
            "same-origin-allow-popups" if plugin_popups else "same-origin"
        ),
    }


def new_token() -> str:
    """An opaque bearer token with 192 bits of randomness."""
    return secrets.token_urlsafe(24)


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def random_pin(digits: int = 8) -> str:
    """A PIN that never starts with 0 (VDX accepts 1000..999999999)."""
    first = str(secrets.randbelow(9) + 1)
    return first + "".join(str(secrets.randbelow(10)) for _ in range(digits - 1))


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def from_own_origin(
    origin: str | None,
    fetch_site: str | None,
    host: str | None,
    public_origin: str,
    scheme: str | None = None,
) -> bool:
    """Whether a browser request comes from the app's own pages (CSRF defence beside SameSite).

    Browsers send Origin on every cross-origin and every POST request, and Sec-Fetch-Site on
    every request; a request with neither comes from a program, not from a page on another
    site, and carries no ambient cookie of a victim's. The whole origin counts (scheme, host
    and port): the public URL's, or the one this request was made to (`scheme` of the
    connection, as the load balancer reports it, and its Host); a page on http:// is not
    the app on https:// of the same host.
    """
    if fetch_site is not None and fetch_site.lower() != "same-origin":
        return False
    if origin is None:
        return True
    origin = origin.lower()
    if origin == public_origin:
        return True
    if host is None or scheme is None:
        return False
    web_scheme = {"ws": "http", "wss": "https"}.get(scheme, scheme)
    return origin == f"{web_scheme}://{host}".lower()


MAX_HEADERS = 100
MAX_HEADER_BYTES = 32 * 1024


def _error(status: int, reason: str) -> tuple[dict[str, object], dict[str, object]]:
    """RFC 9457 problem details, as bff.core.errors answers (written here: this runs before
    Litestar)."""
    body = json.dumps(problem_body(status, reason)).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ],
    }
    return start, {"type": "http.response.body", "body": body, "more_body": False}


_LOOKED_AT = frozenset({b"host", b"cookie", b"origin", b"sec-fetch-site"})


def _has_cookie(raw: bytes, name: bytes) -> bool:
    return any(part.strip().startswith(name + b"=") for part in raw.split(b";"))


# The plugin API authenticates by its bearer token alone (it never reads the cookie), so
# the cookie's cross-site check does not apply; the plugins call it from their own origin.
PLUGIN_API_PREFIX = "/api/plugin/"
# What the separate plugin host name serves: plugin files, their settings, the plugin API.
PLUGIN_HOST_PATHS = re.compile(
    r"^/((healthz|livez|readyz)$|plugin-files/|api/plugin/|[a-z0-9][a-z0-9-]{0,62}/plugins/[^/]+/config\.json$)"
)


def same_host(host: str | None, origin: str) -> bool:
    """Whether a Host header names the host and port of `origin` (default ports implied)."""
    if not host:
        return False
    want, default = _host_port(origin)
    return _asked_host(host, default) == want


def _host_port(origin: str) -> tuple[tuple[str, int], int]:
    parts = urlsplit(origin)
    default = 443 if parts.scheme == "https" else 80
    return (parts.hostname or "", parts.port or default), default


def _asked_host(host: str, default: int) -> tuple[str, int] | None:
    """A Host header's (host name, port); None for a malformed port."""
    asked = urlsplit(f"//{host.strip().lower()}")
    try:
        return asked.hostname or "", asked.port or default
    except ValueError:
        return None


MAX_HOSTS_CACHED = 256


class RequestGuard:
    """In front of every route: bounded request headers, and state-changing requests that
    carry the session cookie only from the app's own origin. On a separate plugin host name
    (`plugin_origin`) only the plugin paths answer: the app, its cookie-bound API and the
    Client API proxy never do there."""

    def __init__(
        self,
        app: Any,
        cookie_name: str,
        public_origin: str,
        plugin_origin: str | None = None,
        other_cookies: tuple[str, ...] = (),  # the staff login's and the login flow's
    ) -> None:
        self.app = app
        self.cookies = tuple(name.encode() for name in (cookie_name, *other_cookies))
        self.public_origin = public_origin
        self.plugin_origin = plugin_origin if plugin_origin != public_origin else None
        # same_host(host, plugin_origin) per request, without parsing the same values again
        self._plugin_host = _host_port(self.plugin_origin) if self.plugin_origin else None
        self._on_plugin_host: dict[bytes, bool] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            refusal = self._refusal(scope)
            if refusal is not None:
                start, body = _error(*refusal)
                await send(start)
                await send(body)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Any) -> tuple[int, str] | None:
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if len(headers) > MAX_HEADERS:
            return 431, f"too many request headers (at most {MAX_HEADERS})"
        # One pass: the size, and the headers looked at (the last of a repeated one counts).
        size = 0
        named: dict[bytes, bytes] = {}
        for k, v in headers:
            size += len(k) + len(v)
            name = k.lower()
            if name in _LOOKED_AT:
                named[name] = v
        if size > MAX_HEADER_BYTES:
            return 431, f"request headers too large (at most {MAX_HEADER_BYTES} bytes)"
        path: str = scope["path"]
        if (
            self._plugin_host is not None
            and not PLUGIN_HOST_PATHS.match(path)
            and self._is_plugin_host(named.get(b"host", b""))
        ):
            return 404, "Not found (the plugin host name serves plugins only)"
        if scope["method"] not in UNSAFE_METHODS or path.startswith(PLUGIN_API_PREFIX):
            return None
        raw_cookies = named.get(b"cookie", b"")
        if not any(_has_cookie(raw_cookies, name) for name in self.cookies):
            return None
        origin, site, host = (
            named[k].decode("latin-1") if k in named else None
            for k in (b"origin", b"sec-fetch-site", b"host")
        )
        if from_own_origin(origin, site, host, self.public_origin, scope.get("scheme")):
            return None
        return 403, "cross-site request refused: it must come from the app's own pages"

    def _is_plugin_host(self, raw: bytes) -> bool:
        """same_host(raw Host header, plugin_origin), remembered for the few hosts seen."""
        known = self._on_plugin_host.get(raw)
        if known is None:
            assert self._plugin_host is not None
            want, default = self._plugin_host
            host = raw.decode("latin-1")
            known = bool(host) and _asked_host(host, default) == want
            if len(self._on_plugin_host) >= MAX_HOSTS_CACHED:
                self._on_plugin_host.clear()
            self._on_plugin_host[raw] = known
        return known


def response_headers_hook(hsts: bool) -> Any:
    """before_send: every answer (assets, API JSON, proxied, errors) gets nosniff; HSTS when
    the public URL is https."""
    extra = [(b"x-content-type-options", b"nosniff")]
    if hsts:
        extra.append((b"strict-transport-security", b"max-age=31536000"))

    async def add_headers(message: Any, scope: Any) -> None:
        if message["type"] != "http.response.start":
            return
        headers = list(message.get("headers") or [])
        present = {k.lower() for k, _ in headers}
        headers.extend((k, v) for k, v in extra if k not in present)
        message["headers"] = headers

    return add_headers


def staff_key(party: str, staff_id: str) -> str:
    """A staff member's pseudonymous key within a party: her login's `sub` (OIDC subject),
    which is also the staff id a booking names as host (`host_staff_id`)."""
    return sha256_hex(f"{party}\n{staff_id}")
