"""Each party's uploaded branding versions in Redis, and which one pages show.

Layout per party, all under one Redis Cluster hash slot (`{party}` tag), prefix
`bv:branding:{party}:`:
- `rev`: the revision (the API's ETag), one up at every upload and activation;
- `head`: the last version number given (numbers are never reused);
- `v:<n>`: each kept version's record (immutable; `VersionRecord`), `kept`: their numbers,
  oldest first; at most MAX_VERSIONS and BLOB_BUDGET bytes of files are kept (the oldest
  inactive versions go first);
- `blob:<sha256>`: each file's bytes once however many versions hold it, `refs` (hash:
  sha256 → versions holding it) and `bytes` (their total) keep that bounded;
- `active`: the active version's record (absent: version 0, the party folder's branding), so a
  page load costs one GET on every instance;
- `log`: uploads and activations (`LogEntry`), the last MAX_LOG;
- `preview:<sha256 of a token>`: a version shown to one browser before it goes live (TTL).

Writes are Lua scripts checking the revision (If-Match): an upload stores its files, its
record and (maybe) activates it in one step, or nothing.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from bff.branding.models import FileRef, LogEntry, VersionRecord
from bff.branding.validate import Package
from bff.core import store
from bff.core.errors import NotFound, PreconditionFailed, TooManyRequests
from bff.core.security import new_token, sha256_hex

log = logging.getLogger("bff.branding")

MAX_VERSIONS = 10
BLOB_BUDGET = 48 * 1024 * 1024  # a package unpacks to at most 16 MiB: the active one and the
MAX_LOG = 200  # new one always fit
PREVIEW_TTL = 1800
UPLOAD_HOLD = 120  # seconds an upload holds its party's turn at most
# KEYS[1] a hold, ARGV[1] its holder: only the holder lets go.
_RELEASE = (
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
)

# The keys share the party's hash tag; KEYS[1] (`rev`) routes the script in a cluster.
_FORGET = """
local function forget(p, n)
  local raw = redis.call('GET', p .. 'v:' .. n)
  if raw then
    local record = cjson.decode(raw)
    for sha, size in pairs(record['blobs']) do
      if redis.call('HINCRBY', p .. 'refs', sha, -1) <= 0 then
        redis.call('HDEL', p .. 'refs', sha)
        redis.call('DEL', p .. 'blob:' .. sha)
        redis.call('DECRBY', p .. 'bytes', size)
      end
    end
  end
  redis.call('DEL', p .. 'v:' .. n)
  redis.call('LREM', p .. 'kept', 0, n)
end
"""

# ARGV: prefix, expected rev, version number, activate (0/1), record, log entry, MAX_VERSIONS,
# BLOB_BUDGET, MAX_LOG, the activation's log entry, then (sha256, size, bytes) per distinct
# file. Answers the new revision, or -1 when the revision moved on.
_UPLOAD = (
    _FORGET
    + """
local p = ARGV[1]
local rev = tonumber(redis.call('GET', KEYS[1]) or '0')
if rev ~= tonumber(ARGV[2]) then return -1 end
local n = tonumber(ARGV[3])
for i = 11, #ARGV, 3 do
  if redis.call('HINCRBY', p .. 'refs', ARGV[i], 1) == 1 then
    redis.call('SET', p .. 'blob:' .. ARGV[i], ARGV[i + 2])
    redis.call('INCRBY', p .. 'bytes', tonumber(ARGV[i + 1]))
  end
end
redis.call('SET', p .. 'v:' .. n, ARGV[5])
redis.call('SET', p .. 'head', n)
redis.call('RPUSH', p .. 'kept', n)
redis.call('RPUSH', p .. 'log', ARGV[6])
if ARGV[4] == '1' then
  redis.call('SET', p .. 'active', ARGV[5])
  redis.call('RPUSH', p .. 'log', ARGV[10])
end
redis.call('LTRIM', p .. 'log', -tonumber(ARGV[9]), -1)
redis.call('SET', KEYS[1], rev + 1)
local active = redis.call('GET', p .. 'active')
local active_n = active and cjson.decode(active)['version'] or 0
while true do
  local kept = redis.call('LRANGE', p .. 'kept', 0, -1)
  local bytes = tonumber(redis.call('GET', p .. 'bytes') or '0')
  if #kept <= tonumber(ARGV[7]) and bytes <= tonumber(ARGV[8]) then break end
  local victim = nil
  for _, v in ipairs(kept) do
    if tonumber(v) ~= active_n and tonumber(v) ~= n then victim = v break end
  end
  if victim == nil then break end
  forget(p, victim)
end
return rev + 1
"""
)

# ARGV: prefix, expected rev, version (0: the folder), log entry, MAX_LOG. Answers the new
# revision, -1 when the revision moved on, -2 when the version is not kept.
_ACTIVATE = """
local p = ARGV[1]
local rev = tonumber(redis.call('GET', KEYS[1]) or '0')
if rev ~= tonumber(ARGV[2]) then return -1 end
if ARGV[3] == '0' then
  redis.call('DEL', p .. 'active')
else
  local record = redis.call('GET', p .. 'v:' .. ARGV[3])
  if not record then return -2 end
  redis.call('SET', p .. 'active', record)
end
redis.call('RPUSH', p .. 'log', ARGV[4])
redis.call('LTRIM', p .. 'log', -tonumber(ARGV[5]), -1)
redis.call('SET', KEYS[1], rev + 1)
return rev + 1
"""


def _prefix(party_id: str) -> str:
    return f"{store.BRANDING}{{{party_id}}}:"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def stale(expected: int, current: int) -> PreconditionFailed:
    return PreconditionFailed(
        f"The branding changed since revision {expected} (now {current}): read it again, "
        "then make your change"
    )


class BrandingService:
    def __init__(self, redis: store.Redis) -> None:
        self.redis = redis

    @contextlib.asynccontextmanager
    async def uploading(self, party_id: str) -> AsyncIterator[None]:
        """One upload of a party's branding at a time, on every instance (its check costs
        CPU): a second one meanwhile is refused (429). The hold ends with the upload, or at
        the latest after UPLOAD_HOLD seconds (an instance that died)."""
        key, mine = _prefix(party_id) + "uploading", secrets.token_hex(16)
        if not await self.redis.set(key, mine, nx=True, ex=UPLOAD_HOLD):
            raise TooManyRequests(
                "Another branding package of this party is being checked right now; send "
                "yours when it is done",
                retry_after=max(1, int(await self.redis.ttl(key))),
            )
        try:
            yield
        finally:
            await self.redis.eval(_RELEASE, 1, key, mine)

    # -- reading ---------------------------------------------------------------------------
    async def revision(self, party_id: str) -> int:
        return int(await self.redis.get(_prefix(party_id) + "rev") or 0)

    async def active(self, party_id: str) -> VersionRecord | None:
        """The version pages show now (None: the party folder's). One GET."""
        raw = await self.redis.get(_prefix(party_id) + "active")
        return msgspec.json.decode(raw, type=VersionRecord) if raw else None

    async def record(self, party_id: str, number: int) -> VersionRecord | None:
        raw = await self.redis.get(f"{_prefix(party_id)}v:{number}")
        return msgspec.json.decode(raw, type=VersionRecord) if raw else None

    async def overview(self, party_id: str) -> tuple[int, int, list[VersionRecord], list[LogEntry]]:
        """(revision, active version, kept versions oldest first, log)."""
        prefix = _prefix(party_id)
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(prefix + "rev")
            pipe.get(prefix + "active")
            pipe.lrange(prefix + "kept", 0, -1)
            pipe.lrange(prefix + "log", 0, -1)
            rev, active, kept, entries = await pipe.execute()
        records = []
        if kept:
            raws = await self.redis.mget([f"{prefix}v:{int(n)}" for n in kept])
            records = [msgspec.json.decode(r, type=VersionRecord) for r in raws if r]
        active_n = msgspec.json.decode(active, type=VersionRecord).version if active else 0
        log_entries = [msgspec.json.decode(e, type=LogEntry) for e in entries]
        return int(rev or 0), active_n, records, log_entries

    async def blob(self, party_id: str, sha256: str) -> bytes | None:
        raw = store.as_bytes(await self.redis.get(f"{_prefix(party_id)}blob:{sha256}"))
        return raw

    # -- writing ---------------------------------------------------------------------------
    async def upload(
        self, party_id: str, expected: int, package: Package, by: str, *, activate: bool
    ) -> tuple[VersionRecord, int]:
        prefix = _prefix(party_id)
        current = await self.revision(party_id)
        if current != expected:
            raise stale(expected, current)
        number = int(await self.redis.get(prefix + "head") or 0) + 1
        at = _now()
        files = {
            path: FileRef(sha256=f.sha256, type=f.content_type, size=len(f.data))
            for path, f in package.files.items()
        }
        blobs = {f.sha256: f.data for f in package.files.values()}
        record = VersionRecord(
            version=number,
            at=at,
            by=by,
            sha256=package.sha256,
            size=package.size,
            manifest=package.manifest,
            files=files,
            blobs={sha: len(data) for sha, data in blobs.items()},
            notes=package.notes,
        )
        uploaded = LogEntry(event="upload", version=number, at=at, by=by)
        activated = LogEntry(event="activate", version=number, at=at, by=by)
        args: list[Any] = [
            prefix,
            expected,
            number,
            1 if activate else 0,
            msgspec.json.encode(record),
            msgspec.json.encode(uploaded),
            MAX_VERSIONS,
            BLOB_BUDGET,
            MAX_LOG,
            msgspec.json.encode(activated),
        ]
        for sha, data in blobs.items():
            args += [sha, len(data), data]
        written = int(await self.redis.eval(_UPLOAD, 1, prefix + "rev", *args))
        if written < 0:
            raise stale(expected, await self.revision(party_id))
        log.info(
            "branding party=%s version=%d uploaded%s by=%s",
            party_id,
            number,
            " and active" if activate else "",
            by,
        )
        return record, written

    async def activate(self, party_id: str, expected: int, number: int, by: str) -> int:
        prefix = _prefix(party_id)
        entry = LogEntry(event="activate", version=number, at=_now(), by=by)
        args = (prefix, expected, number, msgspec.json.encode(entry), MAX_LOG)
        written = int(await self.redis.eval(_ACTIVATE, 1, prefix + "rev", *args))
        if written == -2:
            raise NotFound(f"No version {number} (the last {MAX_VERSIONS} are kept)")
        if written < 0:
            raise stale(expected, await self.revision(party_id))
        log.info("branding party=%s version=%d active by=%s", party_id, number, by)
        return written

    # -- preview ---------------------------------------------------------------------------
    async def new_preview(self, party_id: str, number: int) -> tuple[str, datetime]:
        """A token that shows `number` to the browser holding it, for PREVIEW_TTL seconds."""
        if number != 0 and await self.record(party_id, number) is None:
            raise NotFound(f"No version {number} (the last {MAX_VERSIONS} are kept)")
        token = new_token()
        await self.redis.set(
            f"{_prefix(party_id)}preview:{sha256_hex(token)}", number, ex=PREVIEW_TTL
        )
        return token, datetime.now(UTC) + timedelta(seconds=PREVIEW_TTL)

    async def end_preview(self, party_id: str, token: str | None) -> None:
        if token and len(token) <= 64:
            await self.redis.delete(f"{_prefix(party_id)}preview:{sha256_hex(token)}")

    async def preview_version(self, party_id: str, token: str | None) -> int | None:
        if not token or not 16 <= len(token) <= 64:
            return None
        raw = await self.redis.get(f"{_prefix(party_id)}preview:{sha256_hex(token)}")
        return int(raw) if raw is not None else None
