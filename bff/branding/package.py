"""Reading an uploaded Webapp3 branding package (a zip) without trusting it.

Every limit is checked while reading, never after: the central directory's entry count
before Python's zipfile parses it, each file's and the whole package's decompressed size and
compression ratio as the bytes come out of the decompressor. Paths are checked before a
byte is read (no `..`, absolute paths, backslashes, drive letters, symlinks or other special
files); only allow-listed file types under `webapp3/branding/` are kept, and each is checked
for what it claims to be (`bff.branding.content`). Anything wrong raises `Unprocessable`
naming the file and the problem; nothing is stored until the whole package passed.
"""

from __future__ import annotations

import io
import posixpath
import stat
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field

from bff.core.errors import Unprocessable

MAX_PACKAGE = 8 * 1024 * 1024  # the zip as uploaded
MAX_ENTRIES = 200  # entries in the central directory (folders and ignored files included)
MAX_FILE = 4 * 1024 * 1024  # one file, decompressed
MAX_TOTAL = 16 * 1024 * 1024  # every file read, decompressed
MAX_RATIO = 100  # decompressed / compressed, per file and for the package
RATIO_FLOOR = 256 * 1024  # ratios count once this much came out (small text files compress well)
MAX_PATH = 255
MAX_SEGMENT = 100
CHUNK = 64 * 1024

ROOT = "webapp3/branding/"
MANIFEST = "manifest.json"
# Left out without a word of refusal: what desktop zip tools add.
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
IGNORED_DIRS = frozenset({"__MACOSX"})

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD_SIZE = 22


@dataclass
class RawPackage:
    """What the zip holds under `webapp3/branding/`: path (relative to it) → bytes."""

    files: dict[str, bytes]
    notes: list[str] = field(default_factory=list)


def refuse(reason: str) -> Unprocessable:
    return Unprocessable(reason, title="Brandingpakken blev afvist")


def _entry_count(data: bytes) -> int:
    """The central directory's entry count from its end record, read before zipfile builds
    its list (which a crafted directory could make huge). ZIP64 and multi-disk archives are
    refused: no branding package needs them."""
    start = data.rfind(_EOCD, max(0, len(data) - 65535 - _EOCD_SIZE))
    if start < 0 or len(data) - start < _EOCD_SIZE:
        raise refuse("package: not a zip archive")
    _, disk, cd_disk, on_disk, total, _, offset, _ = struct.unpack(
        "<4s4H2LH", data[start : start + _EOCD_SIZE]
    )
    if disk or cd_disk or on_disk != total:
        raise refuse("package: multi-part zip archives are not supported")
    zip64 = start >= 20 and data[start - 20 : start - 16] == _EOCD64_LOCATOR
    if total == 0xFFFF or offset == 0xFFFFFFFF or zip64:
        raise refuse("package: ZIP64 archives are not supported (a branding package is small)")
    return int(total)  # struct answers Any


def _safe_name(name: str) -> str:
    """The entry's path, or a refusal naming it: it must stay inside the package."""
    shown = name.encode("unicode_escape").decode("ascii")[:120]
    if "\\" in name:
        raise refuse(f"{shown}: path with a backslash (zip paths use '/')")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise refuse(f"{shown}: absolute path escapes the package")
    if len(name) > MAX_PATH:
        raise refuse(f"{shown}: path longer than {MAX_PATH} characters")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise refuse(f"{shown}: path holds control characters")
    parts = name.rstrip("/").split("/")
    for part in parts:
        if part in ("..", "."):
            raise refuse(f"{shown}: path with '{part}' escapes the package")
        if part == "":
            raise refuse(f"{shown}: path with an empty segment")
        if len(part) > MAX_SEGMENT:
            raise refuse(f"{shown}: a path segment is longer than {MAX_SEGMENT} characters")
    return name


def _entry_kind(info: zipfile.ZipInfo) -> str:
    """'dir', 'file', or a refusal for symlinks and other special files (Unix mode bits)."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if info.create_system == 3 and kind == stat.S_IFLNK:
        raise refuse(f"{info.filename}: symbolic links are not allowed in a package")
    if info.create_system == 3 and kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise refuse(f"{info.filename}: special files are not allowed in a package")
    if info.is_dir():
        return "dir"
    if info.flag_bits & 0x1:
        raise refuse(f"{info.filename}: encrypted files are not supported")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise refuse(
            f"{info.filename}: compression method {info.compress_type} is not supported "
            "(use a normal zip: stored or deflate)"
        )
    return "file"


def _find_root(names: list[str], marker: str, what: str) -> str:
    """Where `marker` is (`webapp3/branding/manifest.json`): at the top, or the same under one
    folder (a zipped folder)."""
    name = marker.rsplit("/", 1)[-1]  # the root is the folder holding it
    roots = [
        n[: -len(name)]
        for n in names
        if n == marker or (n.endswith("/" + marker) and n.count("/") == marker.count("/") + 1)
    ]
    if not roots:
        raise refuse(f"package: no {marker} (a {what} holds it)")
    if len(roots) > 1:
        found = ", ".join(r + name for r in roots)
        raise refuse(f"package: {len(roots)} {name} files ({found})")
    return roots[0]


def _ignored(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1] in IGNORED_NAMES or parts[0] in IGNORED_DIRS or parts[-1].startswith("._")


class _Budget:
    """Decompressed bytes and compressed bytes consumed so far, over the package."""

    def __init__(self) -> None:
        self.out = 0
        self.compressed = 0

    def take(self, info: zipfile.ZipInfo, out: int) -> None:
        self.out += out
        if self.out > MAX_TOTAL:
            raise refuse(
                f"{info.filename}: the package unpacks to more than {MAX_TOTAL // 2**20} MiB"
            )
        if self.out > RATIO_FLOOR and self.out > MAX_RATIO * max(self.compressed, 1):
            raise refuse(
                f"{info.filename}: the package is compressed more than {MAX_RATIO}:1 (a zip bomb?)"
            )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    if info.file_size > MAX_FILE:
        raise refuse(f"{info.filename}: larger than {MAX_FILE // 2**20} MiB")
    budget.compressed += info.compress_size
    out = bytearray()
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            out += chunk
            budget.take(info, len(chunk))
            if len(out) > MAX_FILE:
                raise refuse(f"{info.filename}: unpacks to more than {MAX_FILE // 2**20} MiB")
            if len(out) > RATIO_FLOOR and len(out) > MAX_RATIO * max(info.compress_size, 1):
                raise refuse(f"{info.filename}: compressed more than {MAX_RATIO}:1 (a zip bomb?)")
    return bytes(out)


def read_zip(
    data: bytes, marker: str = ROOT + MANIFEST, what: str = "Webapp3 branding package"
) -> RawPackage:
    """The files in the folder holding `marker` (the package's `webapp3/branding/`), every
    limit checked on the way. A plugin zip (bff.plugins.installed) names `plugin.json`."""
    if len(data) > MAX_PACKAGE:
        raise refuse(f"package: larger than {MAX_PACKAGE // 2**20} MiB")
    total = _entry_count(data)
    if total > MAX_ENTRIES:
        raise refuse(f"package: {total} entries; at most {MAX_ENTRIES} files and folders")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, struct.error) as exc:
        raise refuse(f"package: not a readable zip archive ({exc})") from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise refuse(f"package: {len(infos)} entries; at most {MAX_ENTRIES}")
        seen: set[str] = set()
        kinds: dict[str, str] = {}
        for info in infos:
            name = _safe_name(info.filename)
            folded = unicodedata.normalize("NFC", name.rstrip("/")).casefold()
            if folded in seen:
                raise refuse(f"{name}: in the package twice")
            seen.add(folded)
            kinds[name] = _entry_kind(info)
        root = _find_root([n for n, k in kinds.items() if k == "file"], marker, what)
        raw = RawPackage(files={})
        budget = _Budget()
        outside = 0
        for info in infos:
            if kinds[info.filename] == "dir":
                continue
            if not info.filename.startswith(root):
                outside += 1  # e.g. a webapp2/ folder: not read, not served
                continue
            rel = info.filename[len(root) :]
            if _ignored(rel):
                raw.notes.append(f"{info.filename}: ignored (made by a zip tool)")
                continue
            try:
                raw.files[rel] = _read_member(archive, info, budget)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:  # CRC, truncated
                raise refuse(f"{info.filename}: damaged in the archive ({exc})") from exc
        if outside:
            raw.notes.append(f"{outside} file(s) outside {root} ignored")
    return raw


def resolve(base_file: str, ref: str) -> str | None:
    """`ref` (relative, as in a manifest or a stylesheet) against `base_file`'s folder, as a
    package path; None when it leaves the package or is not a plain relative path."""
    if not ref or "\\" in ref or ref.startswith("/") or ":" in ref.split("/", 1)[0]:
        return None
    ref = ref.split("#", 1)[0].split("?", 1)[0]
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_file), ref))
    if joined.startswith("../") or joined in ("..", ".", ""):
        return None
    return joined
