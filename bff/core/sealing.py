"""Names at rest: AES-GCM under the data key, each value bound to its purpose.

The associated data is the value's purpose (its Redis key prefix and record id), so a value
sealed for one record does not open when copied into another. Two forms:

- "v1." + base64url(nonce || ciphertext+tag), directly under one key: each meeting's own key
  (bff.meetings.keys), and values the data key sealed before 0.3.0.
- "v2." + key id + "." + base64url(nonce || value key sealed by the data key) + "." +
  base64url(nonce || ciphertext+tag under the value key): what `DataSealer` writes. Each
  value has its own key, wrapped by the data key named by its id, so rotating BV_DATA_KEY
  re-wraps that fixed-length middle part in place (`rewrap`) without knowing any purpose;
  the ciphertext stays (`python -m bff.keys`, docs/key-rotation.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1."
WRAPPED = "v2."
NONCE_BYTES = 12
KEY_ID_CHARS = 8
_WRAP_AD = b"borgervideo value key"
# A v2 value's head: its data key's id and the wrapped value key (12 + 32 + 16 bytes = 80
# base64url characters, never padded): the part `rewrap` replaces, always the same length.
WRAPPED_HEAD = re.compile(rb"v2\.([0-9a-f]{8})\.([A-Za-z0-9_-]{80})\.")


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

    def unseal_or(self, value: str, purpose: str, default: str) -> str:
        """The value opened; `default` where it does not open (sealed under a data key no
        longer here, or for another purpose): for a name only shown, never trusted."""
        try:
            return self.unseal(value, purpose)
        except SealError:
            return default


def key_id(key: bytes) -> str:
    """A data key's public name in v2 values (not the key: a hash of it)."""
    return hashlib.sha256(b"borgervideo data key id\x00" + key).hexdigest()[:KEY_ID_CHARS]


class DataSealer(Sealer):
    """The data key ring: seals under the first key (v2), opens under any of them.

    BV_DATA_KEY="new,old" during a rotation: values sealed under `old` still open, new ones
    are sealed under `new`, and `rewrap` moves the old ones over.
    """

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ValueError("the data key ring is empty")
        super().__init__(keys[0])
        self.keys = tuple(keys)
        self.primary_id = key_id(keys[0])
        self._wrappers = {key_id(key): AESGCM(key) for key in keys}
        self._legacy = [Sealer(key) for key in keys]  # v1: try each

    def seal(self, text: str, purpose: str) -> str:
        value_key = AESGCM.generate_key(bit_length=256)
        wrap_nonce, nonce = os.urandom(NONCE_BYTES), os.urandom(NONCE_BYTES)
        wrapped = self._wrappers[self.primary_id].encrypt(wrap_nonce, value_key, _WRAP_AD)
        sealed = AESGCM(value_key).encrypt(nonce, text.encode(), purpose.encode())
        return f"{WRAPPED}{self.primary_id}.{_b64(wrap_nonce + wrapped)}.{_b64(nonce + sealed)}"

    def unseal(self, value: str, purpose: str) -> str:
        if value.startswith(VERSION):
            for legacy in self._legacy:
                try:
                    return legacy.unseal(value, purpose)
                except SealError:
                    continue
            raise SealError("sealed value did not open under any data key")
        if not value.startswith(WRAPPED):
            raise SealError("not a sealed value")
        try:
            kid, head, body = value[len(WRAPPED) :].split(".")
            value_key = self._unwrap(kid, head.encode())
            raw = base64.urlsafe_b64decode(body)
            plain = AESGCM(value_key).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode()
            )
        except (binascii.Error, ValueError, InvalidTag, KeyError) as exc:
            raise SealError("sealed value did not open (tampered, wrong purpose or key)") from exc
        return plain.decode()

    def _unwrap(self, kid: str, head: bytes) -> bytes:
        raw = base64.urlsafe_b64decode(head)
        return self._wrappers[kid].decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _WRAP_AD)

    def rewrap(self, data: bytes) -> tuple[bytes, int, int]:
        """Every v2 value in `data` under an older key of the ring, re-wrapped under the
        first: (the new data, how many were re-wrapped, how many no key of the ring opens)."""
        moved = lost = 0

        def one(match: re.Match[bytes]) -> bytes:
            nonlocal moved, lost
            kid = match.group(1).decode()
            if kid == self.primary_id:
                return match.group(0)
            try:
                value_key = self._unwrap(kid, match.group(2))
            except (KeyError, InvalidTag, binascii.Error, ValueError):
                lost += 1
                return match.group(0)
            nonce = os.urandom(NONCE_BYTES)
            head = self._wrappers[self.primary_id].encrypt(nonce, value_key, _WRAP_AD)
            moved += 1
            return f"{WRAPPED}{self.primary_id}.{_b64(nonce + head)}.".encode()

        return WRAPPED_HEAD.sub(one, data), moved, lost

    def count_old(self, data: bytes) -> tuple[int, int]:
        """(v2 values under an older key of the ring, v2 values under no key of the ring)."""
        old = lost = 0
        for match in WRAPPED_HEAD.finditer(data):
            kid = match.group(1).decode()
            if kid == self.primary_id:
                continue
            if kid in self._wrappers:
                old += 1
            else:
                lost += 1
        return old, lost


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def pseudonym_key(data_key: bytes) -> bytes:
    """The pseudonym key an installation derived from its (first) data key."""
    return hmac.new(data_key, b"borgervideo pseudonyms v1", hashlib.sha256).digest()


class Pseudonymiser:
    """Keyed pseudonyms (HMAC-SHA256) for values that must be matched but never stored, such
    as a phone number under a sending limit. The key is derived from the data key, so the
    pseudonyms mean nothing without it. Pseudonyms are Redis keys that must not change when
    the data key does: the running BFF adopts the key kept sealed in Redis (bff.keys)."""

    def __init__(self, data_key: bytes) -> None:
        self._key = pseudonym_key(data_key)

    def adopt(self, key: bytes) -> None:
        self._key = key

    def pseudonym(self, purpose: str, value: str) -> str:
        message = f"{purpose}\x00{value}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
