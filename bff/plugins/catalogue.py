"""The plugin catalogue: every sub-folder of BV_PLUGINS_DIR holding a `plugin.json` (read once
at start; a bad entry stops start-up naming the file and the field; a missing build is only a
warning: its files answer 404 until it is built), and the plugins installed while running
(`bff.plugins.installed`, in Redis). Entries are keyed by id and version: several versions of
one id coexist, and a party's set names the one it uses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import msgspec
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from bff.core.text import file_field_problem
from bff.plugins.models import CatalogueEntryOut

log = logging.getLogger("bff.plugins")

# The iframe sandbox values a party may grant beyond `allow-scripts` (Webapp3's list).
SANDBOX_VALUES = (
    "allow-same-origin",
    "allow-popups",
    "allow-popups-to-escape-sandbox",
    "allow-forms",
    "allow-downloads",
)
SAME_ORIGIN = "allow-same-origin"
# The permissions a plugin may declare it uses and a party may grant it: its iframe's `allow`
# (webapp/src/features/plugins/protocol/sandbox.ts GRANTABLE_PERMISSIONS).
Permission = Literal[
    "microphone", "camera", "display-capture", "clipboard-write", "fullscreen", "autoplay"
]
ROLES = ("host", "guest")

PluginId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
Version = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}$")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
# `registerPlugin({id: '...', version: ...})` as a bundler leaves it (the function renamed, the
# argument literal kept): @pexip/plugin-api's registerPlugin takes `{id, version}`
# (node_modules/@pexip/plugin-api/dist/index.js registerPlugin).
_REGISTER_CALL = re.compile(
    r"\(\s*\{\s*id\s*:\s*([\"'`])([A-Za-z0-9][A-Za-z0-9._-]{0,99})\1\s*,\s*version\s*:"
)
BUILD_SUFFIXES = (".js", ".mjs", ".html")


class CatalogueError(Exception):
    """Names the file and the field that is wrong."""


class PluginFile(msgspec.Struct, forbid_unknown_fields=True):
    """plugin.json (see docs/interfaces.md "Plugins")."""

    id: PluginId
    version: Version
    title: Text
    entry: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    description: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    defaultSandboxValues: list[str] = msgspec.field(default_factory=list)
    defaultRoles: list[Literal["host", "guest"]] = msgspec.field(default_factory=lambda: ["host"])
    settingsSchema: dict[str, Any] = msgspec.field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )
    api: list[Literal["invites", "phonebook"]] = msgspec.field(default_factory=list)
    # What the plugin uses (the browser permissions a party's administrator may grant it).
    allow: list[Permission] = msgspec.field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    id: str
    version: str
    title: str
    description: str
    files: Path  # the entry's folder: what /plugin-files/{id}/{version}/ serves
    entry_file: str  # the entry, relative to `files`
    default_sandbox: tuple[str, ...]
    default_roles: tuple[Literal["host", "guest"], ...]
    schema: dict[str, Any]
    validator: Draft202012Validator
    api: tuple[str, ...]
    source: Path  # plugin.json, for messages
    allow: tuple[str, ...] = ()
    # The id the plugin registers with: read from its build where it is a literal ("build"),
    # else reported by the host at its first load ("load"); None: not known yet.
    registered_id: str | None = None
    registered_from: str | None = None
    # Installed while running (bff.plugins.installed): path → content type, bytes in Redis.
    stored: dict[str, str] | None = None
    installed_at: str | None = None
    installed_by: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    @property
    def mismatch(self) -> bool:
        """It registers under another id than plugin.json's: the host would refuse it."""
        return self.registered_id is not None and self.registered_id != self.id

    def defaults(self) -> dict[str, Any]:
        """The schema's top-level property defaults: the settings nobody has chosen yet."""
        props = self.schema.get("properties")
        if not isinstance(props, dict):
            return {}
        return {
            name: spec["default"]
            for name, spec in props.items()
            if isinstance(spec, dict) and "default" in spec
        }

    def public(self) -> CatalogueEntryOut:
        return CatalogueEntryOut(
            id=self.id,
            version=self.version,
            title=self.title,
            description=self.description,
            defaultSandboxValues=list(self.default_sandbox),
            defaultRoles=list(self.default_roles),
            settingsSchema=self.schema,
            api=list(self.api),
            allow=list(self.allow),
            registeredId=self.registered_id,
            registeredFrom=self.registered_from,
            mismatch=self.mismatch,
            installed=self.stored is not None,
            installedAt=self.installed_at,
            installedBy=self.installed_by,
        )


def _decode(file: Path) -> PluginFile:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{file}: cannot read ({exc.strerror})") from exc
    return decode_plugin_file(file, raw)


def decode_plugin_file(file: Path, raw: bytes) -> PluginFile:
    try:
        return msgspec.json.decode(raw, type=PluginFile)
    except msgspec.ValidationError as exc:
        raise CatalogueError(file_field_problem(str(file), exc)) from exc
    except msgspec.DecodeError as exc:
        raise CatalogueError(f"{file}: not valid JSON ({exc})") from exc


def _entry(folder: Path, file: Path, data: PluginFile) -> tuple[Path, str]:
    rel = PurePosixPath(data.entry)
    if rel.is_absolute() or any(
        part in ("", ".", "..") or part.startswith(".") for part in rel.parts
    ):
        raise CatalogueError(f"{file}: entry: a relative path inside the plugin folder")
    target = (folder / rel).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise CatalogueError(f"{file}: entry: a relative path inside the plugin folder")
    if not target.is_file():
        log.warning("plugin %s: %s is not built yet (%s missing)", data.id, folder, data.entry)
    return folder / rel.parent, rel.name


def _schema(file: Path, schema: dict[str, Any]) -> Draft202012Validator:
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in exc.absolute_path)
        raise CatalogueError(f"{file}: settingsSchema{where}: {exc.message}") from exc
    if schema.get("type") != "object":
        raise CatalogueError(f'{file}: settingsSchema.type: must be "object"')
    return Draft202012Validator(schema, format_checker=FormatChecker())


def registration_in_build(texts: Iterable[str]) -> str | None:
    """The id the build registers with, when it is one literal; None when it is computed."""
    found = {m[2] for text in texts for m in _REGISTER_CALL.finditer(text)}
    return found.pop() if len(found) == 1 else None


def _built_texts(files: Path) -> Iterator[str]:
    if not files.is_dir():
        return
    for path in sorted(files.rglob("*")):
        if path.suffix in BUILD_SUFFIXES and path.is_file() and not path.is_symlink():
            yield path.read_text(encoding="utf-8", errors="replace")


def load_entry(folder: Path) -> CatalogueEntry:
    file = folder / "plugin.json"
    data = _decode(file)
    files, entry_file = _entry(folder, file, data)
    entry = make_entry(file, data, files, entry_file)
    registered = registration_in_build(_built_texts(files))
    if registered is None:
        return entry
    return replace(entry, registered_id=registered, registered_from="build")


def make_entry(file: Path, data: PluginFile, files: Path, entry_file: str) -> CatalogueEntry:
    """plugin.json's entry, every value checked (CatalogueError naming the field)."""
    for index, value in enumerate(data.defaultSandboxValues):
        if value not in SANDBOX_VALUES:
            raise CatalogueError(
                f"{file}: defaultSandboxValues[{index}]: {value!r} is not one of "
                + ", ".join(SANDBOX_VALUES)
            )
    validator = _schema(file, data.settingsSchema)
    entry = CatalogueEntry(
        id=data.id,
        version=data.version,
        title=data.title,
        description=data.description,
        files=files,
        entry_file=entry_file,
        default_sandbox=tuple(dict.fromkeys(data.defaultSandboxValues)),
        default_roles=tuple(dict.fromkeys(data.defaultRoles)),
        schema=data.settingsSchema,
        validator=validator,
        api=tuple(dict.fromkeys(data.api)),
        source=file,
        allow=tuple(dict.fromkeys(data.allow)),
    )
    # The defaults must pass their own schema (a required setting may have none).
    for problem in validator.iter_errors(entry.defaults()):
        if problem.validator != "required":
            raise CatalogueError(
                f"{file}: settingsSchema: its defaults do not pass it ({problem.message})"
            )
    return entry


def version_order(version: str) -> tuple[tuple[int, int | str], ...]:
    """Newest last: numeric parts as numbers (1.10.0 after 1.9.0)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[.+_-]", version))


class Catalogue:
    """Entries by (id, version); `get(id)` is the newest version of an id."""

    def __init__(self, entries: Iterable[CatalogueEntry] = ()) -> None:
        self.entries: dict[tuple[str, str], CatalogueEntry] = {e.key: e for e in entries}

    def get(self, plugin_id: str, version: str | None = None) -> CatalogueEntry | None:
        if version is not None:
            return self.entries.get((plugin_id, version))
        found = self.versions(plugin_id)
        return found[-1] if found else None

    def versions(self, plugin_id: str) -> list[CatalogueEntry]:
        same = [e for e in self.entries.values() if e.id == plugin_id]
        return sorted(same, key=lambda e: version_order(e.version))

    def values(self) -> list[CatalogueEntry]:
        return sorted(self.entries.values(), key=lambda e: (e.id, version_order(e.version)))

    def __contains__(self, plugin_id: object) -> bool:
        return any(e.id == plugin_id for e in self.entries.values())

    def __iter__(self) -> Iterator[CatalogueEntry]:
        return iter(self.values())


def load_catalogue(dirs: tuple[Path, ...]) -> Catalogue:
    """Every plugin in `dirs` (in order; a missing folder is skipped). An id and version
    twice stops start-up."""
    catalogue: dict[tuple[str, str], CatalogueEntry] = {}
    for root in dirs:
        if not root.is_dir():
            log.info("plugin folder %s not found: no plugins from it", root)
            continue
        for folder in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
            if not (folder / "plugin.json").is_file():
                continue
            entry = load_entry(folder)
            if entry.key in catalogue:
                raise CatalogueError(
                    f"{entry.source}: version: {entry.id!r} {entry.version} is also "
                    f"{catalogue[entry.key].source}"
                )
            catalogue[entry.key] = entry
    return Catalogue(catalogue.values())
