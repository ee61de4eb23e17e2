"""The plugin catalogue: every sub-folder of BV_PLUGINS_DIR holding a `plugin.json`.

Read once at start; a bad entry stops start-up naming the file and the field. A missing
build (the entry file) is only a warning: its files answer 404 until it is built.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import msgspec
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

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
# What a plugin may ask of the BFF's plugin API (its token's reach).
PLUGIN_APIS = ("invites", "phonebook")

PluginId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
Version = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}$")]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
_AT = re.compile(r"^(?P<msg>.*) - at `\$(?P<path>[^`]*)`$")


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
    default_roles: tuple[str, ...]
    schema: dict[str, Any]
    validator: Draft202012Validator
    api: tuple[str, ...]
    source: Path  # plugin.json, for messages
    allow: tuple[str, ...] = ()

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

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "description": self.description,
            "defaultSandboxValues": list(self.default_sandbox),
            "defaultRoles": list(self.default_roles),
            "settingsSchema": self.schema,
            "api": list(self.api),
            "allow": list(self.allow),
        }


def _decode(file: Path) -> PluginFile:
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{file}: cannot read ({exc.strerror})") from exc
    try:
        return msgspec.json.decode(raw, type=PluginFile)
    except msgspec.ValidationError as exc:
        match = _AT.match(str(exc))
        if match:
            field = match["path"].lstrip(".") or "(top level)"
            raise CatalogueError(f"{file}: {field}: {match['msg']}") from exc
        raise CatalogueError(f"{file}: {exc}") from exc
    except msgspec.DecodeError as exc:
        raise CatalogueError(f"{file}: not valid JSON ({exc})") from exc


def _entry(folder: Path, file: Path, data: PluginFile) -> tuple[Path, str]:
    rel = PurePosixPath(data.entry)
    if rel.is_absolute() or any(part in ("", ".", "..") or part.startswith(".")
                                for part in rel.parts):  # fmt: skip
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


def load_entry(folder: Path) -> CatalogueEntry:
    file = folder / "plugin.json"
    data = _decode(file)
    for index, value in enumerate(data.defaultSandboxValues):
        if value not in SANDBOX_VALUES:
            raise CatalogueError(
                f"{file}: defaultSandboxValues[{index}]: {value!r} is not one of "
                + ", ".join(SANDBOX_VALUES)
            )
    files, entry_file = _entry(folder, file, data)
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


def load_catalogue(dirs: tuple[Path, ...]) -> dict[str, CatalogueEntry]:
    """Every plugin in `dirs` (in order; a missing folder is skipped). An id twice stops
    start-up."""
    catalogue: dict[str, CatalogueEntry] = {}
    for root in dirs:
        if not root.is_dir():
            log.info("plugin folder %s not found: no plugins from it", root)
            continue
        for folder in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
            if not (folder / "plugin.json").is_file():
                continue
            entry = load_entry(folder)
            if entry.id in catalogue:
                raise CatalogueError(
                    f"{entry.source}: id: {entry.id!r} is also {catalogue[entry.id].source}"
                )
            catalogue[entry.id] = entry
    return catalogue
