"""Branding API structs (OpenAPI) and the records kept in Redis."""

from __future__ import annotations

from typing import Any, Literal

import msgspec


class FileRef(msgspec.Struct):
    sha256: str
    type: str
    size: int


class VersionRecord(msgspec.Struct):
    """One uploaded package, as stored (immutable; its files are blobs by sha256), or version
    0: the party folder's own branding (`folder_version`), which nobody uploaded."""

    version: int
    at: str | None  # ISO 8601 UTC; None: the folder's
    by: str | None  # the admin key's id
    sha256: str | None  # of the zip as uploaded
    size: int
    manifest: dict[str, Any]  # as the app shell renders it
    files: dict[str, FileRef]
    blobs: dict[str, int]  # sha256 → size, each once (the store's reference counts)
    notes: list[str] = msgspec.field(default_factory=list)


def folder_version(manifest: dict[str, Any]) -> VersionRecord:
    """Version 0 as a record: the party folder's manifest (its files are served from there)."""
    return VersionRecord(
        version=0, at=None, by=None, sha256=None, size=0, manifest=manifest, files={}, blobs={}
    )


class LogEntry(msgspec.Struct):
    event: Literal["upload", "activate"]
    version: int
    at: str
    by: str


class VersionOut(msgspec.Struct):
    version: int
    at: str | None
    by: str | None
    brandName: str | None
    size: int
    files: int
    sha256: str | None
    active: bool


class BrandingState(msgspec.Struct):
    """`revision` is the ETag: it changes with every upload and activation."""

    revision: int
    active: int  # 0: the party folder's own branding (the default)
    activatedAt: str | None
    activatedBy: str | None
    versions: list[VersionOut]  # newest first; version 0 (the folder) last
    log: list[LogEntry]  # newest last
    limits: dict[str, int]


class UploadOut(msgspec.Struct):
    state: BrandingState
    version: VersionOut
    notes: list[str]


class VersionDetail(msgspec.Struct):
    version: int
    at: str | None
    by: str | None
    active: bool
    manifest: dict[str, Any]
    brandingBase: str
    files: dict[str, FileRef]
    notes: list[str]


class PreviewOut(msgspec.Struct):
    url: str  # opens the party's start page with this version (sets a preview cookie)
    errorUrl: str  # an example error page with this version
    expiresAt: str
