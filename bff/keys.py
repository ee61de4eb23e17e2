"""Rotating BV_DATA_KEY while the BFF runs: `python -m bff.keys status | rewrap | new`.

The operator's steps are in docs/key-rotation.md. In short: every instance first also reads
a new key (BV_DATA_KEY="old,new"), then seals with it ("new,old"); `rewrap` moves every value
still under the old key to the new one (each v2 value's own key is re-wrapped in place,
bff.sealing); once `status` finds nothing under the old key, it is dropped ("new").

Pseudonyms are Redis keys (phonebook entries, enrolment codes, statistics), so their key must
outlive the data key it was first derived from: it is kept in Redis, sealed like any other
value (PSEUDONYM_KEY), and every instance adopts that one at start.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import logging
import os
import secrets
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redis.exceptions import RedisError

from bff.core import store
from bff.core.sealing import VERSION, DataSealer, Pseudonymiser, SealError, key_id, pseudonym_key
from bff.core.settings import Settings, SettingsError, load_settings, resolve_data_key

log = logging.getLogger(__name__)

PSEUDONYM_KEY = "bv:pseudonym-key"
SCAN_BATCH = 500
CAS_TRIES = 5

# Compare-and-set per value: a record another instance changed meanwhile is read again.
_SET_STRING = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL') return 1"""
_SET_FIELD = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) return 1"""
_SET_ITEM = """
if redis.call('LINDEX', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('LSET', KEYS[1], ARGV[1], ARGV[3]) return 1"""
_SET_MEMBER = """
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SADD', KEYS[1], ARGV[2]) return 1"""
_SET_SCORED = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1]) redis.call('ZADD', KEYS[1], score, ARGV[2]) return 1"""


def data_sealer(settings: Settings) -> DataSealer:
    """The ring BV_DATA_KEY names (or the embedded mode's one key)."""
    return DataSealer((resolve_data_key(settings), *settings.data.old_data_keys))


async def adopt_pseudonym_key(
    redis: store.Redis, sealer: DataSealer, pseudonyms: Pseudonymiser
) -> None:
    """The installation's pseudonym key from Redis; the first instance of a fresh or upgraded
    installation stores the one derived from its oldest data key (what 0.2.0 used).

    One that no key of the ring opens (a key dropped too early, or lost) is replaced, once,
    by whichever instance gets there first: what was found by pseudonym is not found again,
    as what was sealed under the lost key does not open again."""
    derived = base64.urlsafe_b64encode(pseudonym_key(sealer.keys[-1])).decode()
    await redis.set(PSEUDONYM_KEY, sealer.seal(derived, PSEUDONYM_KEY), nx=True)
    while True:
        stored = await redis.get(PSEUDONYM_KEY) or b""
        try:
            key = sealer.unseal(store.as_text(stored), PSEUDONYM_KEY)
        except SealError:
            log.error(
                "%s does not open under any key of BV_DATA_KEY: a key was dropped before "
                "`python -m bff.keys status` found nothing under it; starting a new one",
                PSEUDONYM_KEY,
            )
            fresh = base64.urlsafe_b64encode(os.urandom(32)).decode()
            await redis.eval(
                _SET_STRING, 1, PSEUDONYM_KEY, stored, sealer.seal(fresh, PSEUDONYM_KEY)
            )
            continue
        return pseudonyms.adopt(base64.urlsafe_b64decode(key))


async def adopting_pseudonym_key(
    redis: store.Redis, sealer: DataSealer, pseudonyms: Pseudonymiser
) -> None:
    """At start; while Redis is away (it may be, briefly), again every second."""
    while True:
        try:
            return await adopt_pseudonym_key(redis, sealer, pseudonyms)
        except RedisError as exc:
            log.warning("pseudonym key not read yet (%s); retrying", type(exc).__name__)
            await asyncio.sleep(1.0)


@dataclass
class Tally:
    keys: int = 0  # Redis keys looked at
    rewrapped: int = 0  # values moved to the first key
    old: int = 0  # values still under an older key of the ring
    lost: int = 0  # values under no key of the ring
    skipped: list[str] = field(default_factory=list)  # kinds not looked into (streams)
    files: list[str] = field(default_factory=list)  # party files still under an older key

    def add(self, moved: int, old: int, lost: int) -> None:
        self.rewrapped += moved
        self.old += old
        self.lost += lost


async def walk(redis: store.Redis, sealer: DataSealer, rewrite: bool) -> Tally:
    """Every key under bv:*: counts (and with `rewrite`, re-wraps) values under older keys."""
    tally = Tally()
    async for name in redis.scan_iter(match="bv:*", count=SCAN_BATCH):
        tally.keys += 1
        kind = store.as_text(await redis.type(name))
        handler = _HANDLERS.get(kind)
        if handler is None:
            if kind != "none":  # a stream: the BFF keeps no sealed value in one
                tally.skipped.append(f"{name.decode()} ({kind})")
            continue
        for _ in range(CAS_TRIES):
            if await handler(redis, sealer, name, rewrite, tally):
                break
    return tally


Handler = Callable[[store.Redis, DataSealer, bytes, bool, Tally], Awaitable[bool]]


def _look(sealer: DataSealer, value: bytes, rewrite: bool, tally: Tally) -> bytes | None:
    """The value re-wrapped, or None when nothing in it needs to move (or may not)."""
    if not rewrite:
        tally.add(0, *sealer.count_old(value))
        return None
    new, moved, lost = sealer.rewrap(value)
    tally.lost += lost
    return new if moved else None


async def _string(
    redis: store.Redis, sealer: DataSealer, name: bytes, rewrite: bool, tally: Tally
) -> bool:
    value = store.as_bytes(await redis.get(name))
    if value is None:
        return True
    new = _legacy_meeting_key(sealer, name, value, rewrite, tally)
    if new is None:
        new = _look(sealer, value, rewrite, tally)
    if new is None:
        return True
    done = bool(await redis.eval(_SET_STRING, 1, name, value, new))
    if done:
        tally.rewrapped += max(1, sealer.count_old(value)[0])
    return done


def _legacy_meeting_key(
    sealer: DataSealer, name: bytes, value: bytes, rewrite: bool, tally: Tally
) -> bytes | None:
    """A meeting key wrapped by 0.2.0 (v1, directly under the data key): its purpose is its
    own Redis key, so it is sealed again in the v2 form."""
    text = name.decode()
    if not (text.startswith(store.MEETING_KEY) and value.startswith(VERSION.encode())):
        return None
    if not rewrite:
        tally.old += 1
        return None
    try:
        return sealer.seal(sealer.unseal(value.decode(), text), text).encode()
    except SealError:
        tally.lost += 1
        return None


async def _hash(
    redis: store.Redis, sealer: DataSealer, name: bytes, rewrite: bool, tally: Tally
) -> bool:
    fields = [((key,), raw) for key, raw in (await redis.hgetall(name)).items()]
    return await _each(redis, sealer, name, _SET_FIELD, fields, rewrite, tally, in_place=True)


async def _list(
    redis: store.Redis, sealer: DataSealer, name: bytes, rewrite: bool, tally: Tally
) -> bool:
    items = [((i,), raw) for i, raw in enumerate(await redis.lrange(name, 0, -1))]
    return await _each(redis, sealer, name, _SET_ITEM, items, rewrite, tally, in_place=True)


async def _set(
    redis: store.Redis, sealer: DataSealer, name: bytes, rewrite: bool, tally: Tally
) -> bool:
    members = [((), raw) for raw in await redis.smembers(name)]
    return await _each(redis, sealer, name, _SET_MEMBER, members, rewrite, tally, in_place=False)


async def _zset(
    redis: store.Redis, sealer: DataSealer, name: bytes, rewrite: bool, tally: Tally
) -> bool:
    members = [((), raw) for raw in await redis.zrange(name, 0, -1)]  # no scores asked
    return await _each(redis, sealer, name, _SET_SCORED, members, rewrite, tally, in_place=False)


async def _each(
    redis: store.Redis,
    sealer: DataSealer,
    name: bytes,
    script: str,
    entries: list[tuple[tuple[Any, ...], Any]],
    rewrite: bool,
    tally: Tally,
    *,
    in_place: bool,
) -> bool:
    """Each value (after its place: a hash's field, a list's index; none for a member) swapped
    by `script` only while it is unchanged. A value changed in place meanwhile: False at once
    (the key is read again); a member that went is left to whoever removed it."""
    for place, raw in entries:
        if not isinstance(raw, bytes | str):
            continue
        value = store.as_bytes(raw)
        new = _look(sealer, value, rewrite, tally)
        if new is None:
            continue
        if await redis.eval(script, 1, name, *place, value, new):
            tally.rewrapped += sealer.count_old(value)[0]
        elif in_place:
            return False
    return True


_HANDLERS: dict[str, Handler] = {
    "string": _string,
    "hash": _hash,
    "list": _list,
    "set": _set,
    "zset": _zset,
}


def walk_party_files(branding_dir: Path, sealer: DataSealer, rewrite: bool, tally: Tally) -> None:
    """Party files hold sealed webhook secrets: re-wrapped in place (written whole, via a
    temporary file), or named when the folder cannot be written (an image's read-only one)."""
    for path in sorted(branding_dir.glob("*/party.json")):
        data = path.read_bytes()
        old, lost = sealer.count_old(data)
        tally.lost += lost
        if not old:
            continue
        if rewrite and os.access(path.parent, os.W_OK):
            new, moved, _ = sealer.rewrap(data)
            fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".party.", suffix=".json")
            with os.fdopen(fd, "wb") as out:
                out.write(new)
            os.chmod(temporary, path.stat().st_mode & 0o777)
            os.replace(temporary, path)
            tally.rewrapped += moved
        else:
            tally.old += old
            tally.files.append(str(path))


def _report(tally: Tally, sealer: DataSealer) -> str:
    lines = [
        f"data key in use: {sealer.primary_id} (ring: {', '.join(key_id(k) for k in sealer.keys)})",
        f"redis keys looked at: {tally.keys}",
        f"values re-wrapped now: {tally.rewrapped}",
        f"values still under an older key: {tally.old}",
        f"values under no key of BV_DATA_KEY: {tally.lost}",
    ]
    lines += [f"party file under an older key (not writable here): {f}" for f in tally.files]
    lines += [f"not looked into: {s}" for s in tally.skipped]
    if tally.old == 0 and tally.lost == 0:
        lines.append("nothing needs the older keys: they may be dropped from BV_DATA_KEY")
    return "\n".join(lines)


async def run(command: str, settings: Settings) -> int:
    sealer = data_sealer(settings)
    redis = await store.open_running(settings)
    try:
        tally = await walk(redis, sealer, rewrite=command == "rewrap")
    finally:
        await redis.aclose()
    walk_party_files(settings.data.branding_dir, sealer, command == "rewrap", tally)
    if command == "rewrap":  # what is left, counted again
        again = await _recount(settings, sealer)
        tally.old, tally.lost = again.old, again.lost
    print(_report(tally, sealer))
    if tally.lost:
        return 2
    return 1 if tally.old else 0


async def _recount(settings: Settings, sealer: DataSealer) -> Tally:
    redis = await store.open_running(settings)
    try:
        tally = await walk(redis, sealer, rewrite=False)
    finally:
        await redis.aclose()
    walk_party_files(settings.data.branding_dir, sealer, False, tally)
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bff.keys",
        description="Rotate BV_DATA_KEY while the BFF runs (docs/key-rotation.md).",
    )
    parser.add_argument(
        "command",
        choices=("new", "status", "rewrap"),
        help="new: print a fresh key; status: count values under older keys of BV_DATA_KEY "
        "(exit 0: none, 1: some, 2: some under no key of it); rewrap: move them to its first key",
    )
    args = parser.parse_args(argv)
    if args.command == "new":
        key = secrets.token_urlsafe(32)
        print(key)
        print(f"key id: {key_id(base64.urlsafe_b64decode(key + '='))}", file=sys.stderr)
        return 0
    try:
        return asyncio.run(run(args.command, load_settings()))
    except (SettingsError, store.EmbeddedRedisError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
