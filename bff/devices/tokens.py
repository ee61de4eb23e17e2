"""Enrolment codes and the short-lived ES256 JWTs a device signs with its own key.

A device keeps a non-extractable ECDSA P-256 key in its browser (WebCrypto, IndexedDB) and
proves itself by signing a fresh JWT for every request: header `kid` = its device id,
`aud` = `borgervideo:<party>:device`, `iat`, `exp` at most 300 s ahead, and a `jti` that works
once (Redis SET NX, so on every instance).
"""

from __future__ import annotations

import secrets
import time
from typing import Any, Literal

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from bff.core import store
from bff.core.errors import InvalidInput, Unauthenticated
from bff.devices.models import EcPublicKey

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: easy to read aloud
CODE_LENGTH = 8  # 40 bits; with the guessing limits, out of reach in its 15 minutes
MAX_TOKEN = 2048
MAX_LIFETIME = 300
LEEWAY = 30
JTI_PREFIX = store.DEVICES + "jti:"


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(typed: str) -> str | None:
    """What a person typed (lower case, spaces, dashes) as the code, or None if it cannot be one."""
    text = "".join(ch for ch in typed.upper() if ch.isalnum())
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        return None
    return f"{text[:4]}-{text[4:]}"


def audience(party: str, use: Literal["device", "enrol"]) -> str:
    """The `aud` a device's JWT carries: `device` on its requests, `enrol` on its enrolment."""
    return f"borgervideo:{party}:{use}"


def unverified_kid(token: str) -> str:
    """The `kid` of a compact JWS, before its signature is checked (to find the key)."""
    if not token or len(token) > MAX_TOKEN:
        raise Unauthenticated("device token missing or too long")
    try:
        headers = jws.extract_compact(token.encode()).headers()
    except (JoseError, ValueError, TypeError) as exc:
        raise Unauthenticated("device token malformed") from exc
    kid = headers.get("kid")
    if headers.get("alg") != "ES256" or not isinstance(kid, str) or len(kid) > 64:
        raise Unauthenticated("device token must be ES256 with the device id as kid")
    return kid


def verify(token: str, public_jwk: dict[str, str], audience: str) -> dict[str, Any]:
    """Signature, audience and lifetime; the claims. Replay is checked by `spend_jti`."""
    try:
        key = ECKey.import_key(dict[str, str | list[str]](public_jwk))
        decoded = jwt.decode(token, key, algorithms=["ES256"])
    except (JoseError, ValueError, TypeError) as exc:
        raise Unauthenticated("device token signature or format is invalid") from exc
    claims = dict(decoded.claims)
    now = int(time.time())
    exp, iat, jti = claims.get("exp"), claims.get("iat"), claims.get("jti")
    if claims.get("aud") != audience:
        raise Unauthenticated(f"device token audience must be {audience}")
    if not isinstance(exp, int) or isinstance(exp, bool) or exp <= now:
        raise Unauthenticated("device token expired")
    if not isinstance(iat, int) or isinstance(iat, bool) or iat > now + LEEWAY:
        raise Unauthenticated("device token iat missing or in the future")
    if exp - iat > MAX_LIFETIME or exp - now > MAX_LIFETIME:
        raise Unauthenticated(f"device token lives too long (at most {MAX_LIFETIME} s)")
    if not isinstance(jti, str) or not 16 <= len(jti) <= 100:
        raise Unauthenticated("device token jti missing (16..100 characters)")
    return claims


async def spend_jti(redis: store.Redis, device_id: str, claims: dict[str, Any]) -> None:
    """Each jti once, on every instance: SET NX until the token could no longer be valid."""
    ttl = max(1, int(claims["exp"]) - int(time.time()) + LEEWAY)
    key = f"{JTI_PREFIX}{{{device_id}}}:{claims['jti']}"
    if not await redis.set(key, 1, nx=True, ex=ttl):
        raise Unauthenticated("device token already used (replayed jti)")


def public_jwk(key: EcPublicKey) -> dict[str, str]:
    """The stored form of an EcPublicKey: only the public members, validated as a P-256 point."""
    jwk = {"kty": "EC", "crv": "P-256", "x": key.x, "y": key.y}
    try:
        ECKey.import_key(dict[str, str | list[str]](jwk))
    except (JoseError, ValueError, TypeError) as exc:
        raise InvalidInput("public_key: not a point on P-256") from exc
    return jwk
