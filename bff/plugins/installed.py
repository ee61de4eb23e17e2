"""Plugins installed while the BFF runs: a built plugin (a zip, or a folder for the operator
command) checked in full, kept in Redis so every BFF instance serves it at once, no restart.

Why Redis and not a shared folder: every instance already shares Redis (sessions, branding
packages are kept the same way), a folder shared between hosts would be one more thing to
mount and keep consistent, and an install must show everywhere at the same moment.

Layout, all under one Redis Cluster hash slot (`{catalogue}`), prefix `bv:plugin-catalogue:`:
- `entries`: hash `<id>/<version>` → the record (`InstalledRecord`: plugin.json, the files'
  content types, when and by whom);
- `files:<id>/<version>`: hash path → bytes;
- `registered`: hash `<id>/<version>` → the id the host saw the plugin register with at its
  first load (for builds whose id is not a literal; folder plugins too);
- `rev`: one up at every change, so each instance re-reads the catalogue only when it moved.
"""

from __future__ import annotations

import logging
import posixpath
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import msgspec

from bff.branding.package import MAX_FILE, MAX_TOTAL, read_zip
from bff.core import store
from bff.core.errors import Conflict, NotFound, Unprocessable
from bff.plugins.catalogue import (
    Catalogue,
    CatalogueEntry,
    CatalogueError,
    decode_plugin_file,
    make_entry,
    registration_in_build,
)

log = logging.getLogger("bff.plugins")

PREFIX = store.PLUGIN_CATALOGUE + "{catalogue}:"
MAX_INSTALLED = 40  # versions installed at once: 40 × MAX_TOTAL bounds Redis memory
MAX_FILES = 200
# What a built Webapp3 plugin holds (a Vite build: HTML, scripts, styles, images, fonts).
# Served only from the plugin origin, sandboxed, under the plugin CSP.
TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "mjs": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "map": "application/json",
    "txt": "text/plain; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
    "ico": "image/x-icon",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "wasm": "application/wasm",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
}
TEXT = ("html", "js", "mjs", "css", "json", "map", "txt", "svg")
TITLE = "Pluginpakken blev afvist"

_INSTALL = """
local p = ARGV[1]
local key = ARGV[2]
if redis.call('HEXISTS', p .. 'entries', key) == 0
   and redis.call('HLEN', p .. 'entries') >= tonumber(ARGV[4]) then return -1 end
redis.call('DEL', p .. 'files:' .. key)
for i = 5, #ARGV, 2 do redis.call('HSET', p .. 'files:' .. key, ARGV[i], ARGV[i + 1]) end
redis.call('HSET', p .. 'entries', key, ARGV[3])
redis.call('HDEL', p .. 'registered', key)
return redis.call('INCR', KEYS[1])
"""

_REMOVE = """
local p = ARGV[1]
local key = ARGV[2]
if redis.call('HDEL', p .. 'entries', key) == 0 then return -1 end
redis.call('DEL', p .. 'files:' .. key)
redis.call('HDEL', p .. 'registered', key)
return redis.call('INCR', KEYS[1])
"""


# ARGV: prefix, `<id>/<version>`, the registered id. Answers 1 for the first report, else 0.
_REPORT = """
if redis.call('HSETNX', ARGV[1] .. 'registered', ARGV[2], ARGV[3]) == 0 then return 0 end
redis.call('INCR', KEYS[1])
return 1
"""


class InstalledRecord(msgspec.Struct):
    plugin: dict[str, Any]  # plugin.json as installed
    types: dict[str, str]  # path (relative to the entry's folder) → content type
    at: str
    by: str
    registered: str | None = None  # the id read from the build, where it is a literal


def refuse(reason: str) -> Unprocessable:
    return Unprocessable(reason, title=TITLE)


def _key(plugin_id: str, version: str) -> str:
    return f"{plugin_id}/{version}"


def _type_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in TYPES:
        allowed = ", ".join("." + e for e in TYPES)
        raise refuse(
            f"{path}: file type {'.' + ext if ext else 'without an extension'} is not "
            f"allowed in a plugin (allowed: {allowed})"
        )
    return ext


# -- reading a build ---------------------------------------------------------------------------


def read_plugin_zip(data: bytes) -> dict[str, bytes]:
    """A built plugin's zip: `plugin.json` at the top or in one folder; the branding
    packages' limits (size, entries, ratio, paths, no symlinks or special files)."""
    try:
        raw = read_zip(data, marker="plugin.json", what="built plugin's zip")
    except Unprocessable as exc:
        raise refuse(exc.reason) from exc
    return raw.files


def read_plugin_folder(folder: Path) -> dict[str, bytes]:
    """A built plugin's folder (the operator command): the same limits as a zip."""
    if not (folder / "plugin.json").is_file():
        raise refuse(f"{folder}: no plugin.json")
    files: dict[str, bytes] = {}
    total = 0
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if any(part.startswith(".") or part == "node_modules" for part in rel.split("/")):
            continue  # dotfiles, .git, node_modules: not part of a build
        if path.is_symlink():
            raise refuse(f"{rel}: symbolic links are not allowed in a plugin")
        if path.is_dir():
            continue
        if not path.is_file():
            raise refuse(f"{rel}: special files are not allowed in a plugin")
        size = path.stat().st_size
        total += size
        if size > MAX_FILE or total > MAX_TOTAL:
            raise refuse(
                f"{rel}: the plugin is larger than {MAX_TOTAL // 2**20} MiB "
                f"(one file at most {MAX_FILE // 2**20} MiB)"
            )
        files[rel] = path.read_bytes()
        if len(files) > MAX_FILES:
            raise refuse(f"{folder}: more than {MAX_FILES} files")
    return files


def check_build(files: dict[str, bytes], by: str) -> tuple[InstalledRecord, dict[str, bytes]]:
    """plugin.json checked as the folder catalogue checks it, the entry present, every file
    of an allowed type (text as UTF-8). Answers the record and the files under the entry's
    folder (what /plugin-files/<id>/<version>/ serves)."""
    source = Path("plugin.json")
    try:
        data = decode_plugin_file(source, files["plugin.json"])
        entry = PurePosixPath(data.entry)
        if entry.is_absolute() or any(
            p in ("", ".", "..") or p.startswith(".") for p in entry.parts
        ):
            raise CatalogueError("plugin.json: entry: a relative path inside the plugin")
        make_entry(source, data, Path(), entry.name)
    except CatalogueError as exc:
        raise refuse(str(exc)) from exc
    if data.entry not in files:
        raise refuse(f"plugin.json: entry: {data.entry} is not in the package (build it first)")
    base = posixpath.dirname(data.entry)
    served: dict[str, bytes] = {}
    types: dict[str, str] = {}
    for path, content in files.items():
        if path == "plugin.json" or (base and not path.startswith(base + "/")):
            continue  # sources, READMEs beside the build: never served
        rel = path[len(base) + 1 :] if base else path
        ext = _type_of(path)
        if ext in TEXT:
            try:
                content.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise refuse(f"{path}: not UTF-8 text") from exc
        served[rel] = content
        types[rel] = TYPES[ext]
    plugin = msgspec.json.decode(files["plugin.json"])
    at = datetime.now(UTC).isoformat(timespec="seconds")
    built = registration_in_build(
        content.decode("utf-8", "replace")
        for path, content in served.items()
        if path.endswith((".js", ".mjs", ".html"))
    )
    record = InstalledRecord(plugin=plugin, types=types, at=at, by=by, registered=built)
    return record, served


# -- the catalogue every instance sees -------------------------------------------------------


def _entry_of(record: InstalledRecord, reported: str | None) -> CatalogueEntry:
    source = Path("installed") / "plugin.json"
    data = decode_plugin_file(source, msgspec.json.encode(record.plugin))
    entry = make_entry(source, data, Path(), PurePosixPath(data.entry).name)
    built = record.registered
    return replace(
        entry,
        source=Path("installed") / f"{data.id}@{data.version}" / "plugin.json",
        stored=record.types,
        installed_at=record.at,
        installed_by=record.by,
        registered_id=built or reported,
        registered_from="build" if built else ("load" if reported else None),
    )


class LiveCatalogue:
    """The folder catalogue (read at start) and the installed plugins (Redis), re-read when
    the revision moved: one GET per request otherwise."""

    def __init__(self, folder: Catalogue) -> None:
        self.folder = folder
        self.rev = -1
        self.snapshot = folder

    async def refresh(self, redis: store.Redis) -> Catalogue:
        rev = int(await redis.get(PREFIX + "rev") or 0)
        if rev == self.rev:
            return self.snapshot
        entries = await redis.hgetall(PREFIX + "entries")
        reports = {
            store.as_text(k): store.as_text(v)
            for k, v in (await redis.hgetall(PREFIX + "registered")).items()
        }
        out = []
        for folder_entry in self.folder.values():
            reported = reports.get(_key(*folder_entry.key))
            if folder_entry.registered_id is None and reported is not None:
                folder_entry = replace(folder_entry, registered_id=reported, registered_from="load")
            out.append(folder_entry)
        for key, raw in entries.items():
            record = msgspec.json.decode(raw, type=InstalledRecord)
            try:
                out.append(_entry_of(record, reports.get(store.as_text(key))))
            except CatalogueError:
                log.exception("installed plugin %s no longer reads; left out", store.as_text(key))
        self.snapshot = Catalogue(out)
        self.rev = rev
        return self.snapshot


class InstalledPlugins:
    def __init__(self, redis: store.Redis, live: LiveCatalogue) -> None:
        self.redis = redis
        self.live = live

    async def install(self, files: dict[str, bytes], by: str) -> CatalogueEntry:
        """Installs (or replaces) one version; CatalogueEntry with its registration id."""
        record, served = check_build(files, by)
        entry = _entry_of(record, None)
        if entry.key in self.live.folder.entries:
            raise Conflict(
                f"plugin.json: version: {entry.id} {entry.version} is in the "
                "catalogue folder (BV_PLUGINS_DIR); give this build another "
                "version"
            )
        args: list[Any] = [PREFIX, _key(*entry.key), msgspec.json.encode(record), MAX_INSTALLED]
        for path, content in served.items():
            args += [path, content]
        written = int(await self.redis.eval(_INSTALL, 1, PREFIX + "rev", *args))
        if written < 0:
            raise Conflict(
                f"{MAX_INSTALLED} plugin versions are installed: remove one first",
                title="Kataloget er fuldt",
            )
        log.info("plugin installed id=%s version=%s by=%s", entry.id, entry.version, by)
        return entry

    async def remove(self, plugin_id: str, version: str, in_use: list[str]) -> None:
        key = (plugin_id, version)
        if key in self.live.folder.entries:
            raise Conflict(
                f"{plugin_id} {version} is in the catalogue folder (BV_PLUGINS_DIR): "
                "remove its folder and restart"
            )
        if in_use:
            raise Conflict(
                f"{plugin_id} {version} is in use by {', '.join(in_use)}: they must choose "
                "another version or switch it off first",
                title="I brug",
            )
        removed = int(await self.redis.eval(_REMOVE, 1, PREFIX + "rev", PREFIX, _key(*key)))
        if removed < 0:
            raise NotFound(f"No installed plugin {plugin_id} {version}")
        log.info("plugin removed id=%s version=%s", plugin_id, version)

    async def file(self, entry: CatalogueEntry, rel: str) -> bytes | None:
        raw = store.as_bytes(await self.redis.hget(PREFIX + "files:" + _key(*entry.key), rel))
        return raw

    async def report(self, entry: CatalogueEntry, registered_id: str) -> bool:
        """The id the host saw it register with, when not known yet: the first report counts."""
        if entry.registered_id is not None:
            return False
        args = (PREFIX, _key(*entry.key), registered_id)
        return int(await self.redis.eval(_REPORT, 1, PREFIX + "rev", *args)) == 1
