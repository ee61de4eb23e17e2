"""CSP nonces, security headers, random tokens and constant-time comparison."""

from __future__ import annotations

import hashlib
import hmac
import secrets

CSP_TEMPLATE = (
    "default-src 'self'; script-src 'self' 'nonce-{n}'; style-src 'self' 'nonce-{n}'; "
    "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self'; "
    "font-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'self'; form-action 'self'"
)


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def page_headers(nonce: str) -> dict[str, str]:
    """Headers for every HTML page the BFF renders."""
    return {
        "Content-Security-Policy": CSP_TEMPLATE.format(n=nonce),
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": "camera=(self), microphone=(self)",
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
