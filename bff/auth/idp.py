"""A party's OIDC broker as the BFF sees it: discovery metadata and signing keys (JWKS),
cached per process, and the checks every JWT from it passes (ID, access and logout tokens).

Keys rotate: a token whose `kid` is not in the cached set makes the BFF fetch the JWKS again,
at most once per `min_refresh` seconds per issuer (so a stream of made-up kids cannot turn the
BFF into a load on the broker); the set is fetched anew anyway after `MAX_AGE`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import httpx
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from bff.core.errors import UpstreamFailed
from bff.core.upstream import json_object
from bff.ops.outbound import calling

log = logging.getLogger("bff.auth")

ALGORITHMS = ("RS256", "PS256", "ES256", "ES384", "RS384", "RS512")  # never none, never HS*
MAX_AGE = 3600.0  # seconds a fetched JWKS or discovery document is used before a refetch
MAX_TOKEN = 16 * 1024
LEEWAY = 30  # seconds of clock skew allowed on exp, nbf and iat
HTTP_TIMEOUT = 10.0


class TokenRefused(Exception):
    """A JWT failed a check; the message says which (for logs and API answers)."""


def unverified_header(token: str) -> dict[str, Any]:
    if not token or len(token) > MAX_TOKEN or token.count(".") != 2:
        raise TokenRefused("not a compact JWS")
    try:
        return dict(jws.extract_compact(token.encode()).headers())
    except (JoseError, ValueError, TypeError) as exc:
        raise TokenRefused("malformed token") from exc


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims before the signature is checked: only to find which party's keys to use."""
    unverified_header(token)
    try:
        payload = jws.extract_compact(token.encode()).payload
        claims = json.loads(payload)
    except (JoseError, ValueError, TypeError) as exc:
        raise TokenRefused("malformed token") from exc
    if not isinstance(claims, dict):
        raise TokenRefused("malformed token")
    return claims


class Issuer:
    """One broker (issuer URL): its metadata and keys, fetched lazily and cached."""

    def __init__(self, issuer: str, http: httpx.AsyncClient, min_refresh: float) -> None:
        self.issuer = issuer
        self.http = http
        self.min_refresh = min_refresh
        self._metadata: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None
        self._keys_at = 0.0
        self._lock = asyncio.Lock()

    async def _get_json(self, url: str) -> dict[str, Any]:
        answer = self.http.get(url, timeout=HTTP_TIMEOUT, extensions=calling("identity-provider"))
        return await json_object(answer, f"identity provider at {url}")

    async def metadata(self) -> dict[str, Any]:
        """The discovery document; its `issuer` must be ours exactly (OIDC Discovery 4.3)."""
        if self._metadata is not None and time.monotonic() - self._metadata_at < MAX_AGE:
            return self._metadata
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        body = await self._get_json(url)
        if body.get("issuer") != self.issuer:
            raise UpstreamFailed(f"discovery at {url} names another issuer")
        for field in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(body.get(field), str):
                raise UpstreamFailed(f"discovery at {url} lacks {field}")
        self._metadata, self._metadata_at = body, time.monotonic()
        return body

    async def _fetch_keys(self) -> KeySet:
        meta = await self.metadata()
        body = await self._get_json(meta["jwks_uri"])
        try:
            keys = KeySet.import_key_set(
                {"keys": [k for k in body.get("keys", []) if k.get("use", "sig") == "sig"]}
            )
        except (JoseError, ValueError, TypeError, AttributeError) as exc:
            raise UpstreamFailed("the identity provider's JWKS is not valid") from exc
        self._keys, self._keys_at = keys, time.monotonic()
        log.info("jwks fetched issuer=%s keys=%d", self.issuer, len(keys.keys))
        return keys

    async def keys_for(self, kid: str | None) -> KeySet:
        """The key set holding `kid`: the cached one, or a fresh one when the kid is new
        (at most once per min_refresh) or the cache is old."""
        async with self._lock:
            now = time.monotonic()
            keys = self._keys
            if keys is None or now - self._keys_at >= MAX_AGE:
                return await self._fetch_keys()
            if _has_kid(keys, kid) or now - self._keys_at < self.min_refresh:
                return keys
            return await self._fetch_keys()

    async def verify(
        self, token: str, *, audience: str, required: tuple[str, ...] = ("exp", "iat")
    ) -> dict[str, Any]:
        """Signature by one of the issuer's keys, `iss`, `aud` (a string or a list holding
        `audience`), `exp`/`nbf`/`iat` with LEEWAY. The claims."""
        header = unverified_header(token)
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise TokenRefused(f"algorithm {alg!r} not accepted")
        kid = header.get("kid")
        keys = await self.keys_for(kid if isinstance(kid, str) else None)
        if not _has_kid(keys, kid if isinstance(kid, str) else None):
            raise TokenRefused("unknown signing key (kid)")
        try:
            decoded = jwt.decode(token, keys, algorithms=list(ALGORITHMS))
        except (JoseError, ValueError, TypeError) as exc:
            raise TokenRefused("bad signature") from exc
        claims = dict(decoded.claims)
        check_claims(claims, issuer=self.issuer, audience=audience, required=required)
        return claims


def _has_kid(keys: KeySet, kid: str | None) -> bool:
    if kid is None:
        return len(keys.keys) == 1
    return any(key.kid == kid for key in keys.keys)


def _number(claims: dict[str, Any], name: str) -> int | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenRefused(f"claim {name} is not a number")
    return int(value)


def check_claims(
    claims: dict[str, Any], *, issuer: str, audience: str, required: tuple[str, ...]
) -> None:
    for name in required:
        if name not in claims:
            raise TokenRefused(f"claim {name} missing")
    if claims.get("iss") != issuer:
        raise TokenRefused("wrong issuer (iss)")
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if audience not in audiences:
        raise TokenRefused("wrong audience (aud)")
    now = int(time.time())
    exp, nbf, iat = (_number(claims, n) for n in ("exp", "nbf", "iat"))
    if exp is not None and exp + LEEWAY <= now:
        raise TokenRefused("token expired (exp)")
    if nbf is not None and nbf - LEEWAY > now:
        raise TokenRefused("token not yet valid (nbf)")
    if iat is not None and iat - LEEWAY > now:
        raise TokenRefused("token issued in the future (iat)")


class Issuers:
    """Every party's broker, one `Issuer` per URL (parties may share a broker)."""

    def __init__(self, http: httpx.AsyncClient, min_refresh: float) -> None:
        self.http = http
        self.min_refresh = min_refresh
        self._by_url: dict[str, Issuer] = {}

    def get(self, issuer: str) -> Issuer:
        found = self._by_url.get(issuer)
        if found is None:
            found = self._by_url[issuer] = Issuer(issuer, self.http, self.min_refresh)
        return found
