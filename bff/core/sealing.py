"""Names at rest: AES-GCM under the data key, each value bound to its purpose.

A sealed value is "v1." + base64url(nonce || ciphertext+tag). The associated data is the
value's purpose (its Redis key prefix and record id), so a value sealed for one record
does not open when copied into another.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1."
NONCE_BYTES = 12


class SealError(Exception):
    """A sealed value did not open: tampered, for another purpose, or another data key."""


class Sealer:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the data key must be 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, text: str, purpose: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, text.encode(), purpose.encode())
        return VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def unseal(self, value: str, purpose: str) -> str:
        if not value.startswith(VERSION):
            raise SealError("not a sealed value")
        try:
            raw = base64.urlsafe_b64decode(value[len(VERSION) :])
            plain = self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
        except (binascii.Error, ValueError, InvalidTag) as exc:
            raise SealError("sealed value did not open (tampered, wrong purpose or key)") from exc
        return plain.decode()


class Pseudonymiser:
    """Keyed pseudonyms (HMAC-SHA256) for values that must be matched but never stored, such
    as a phone number under a sending limit. The key is derived from the data key, so the
    pseudonyms mean nothing without it."""

    def __init__(self, data_key: bytes) -> None:
        self._key = hmac.new(data_key, b"borgervideo pseudonyms v1", hashlib.sha256).digest()

    def pseudonym(self, purpose: str, value: str) -> str:
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
