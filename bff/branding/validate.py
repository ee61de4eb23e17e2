"""A whole branding package: its manifest's schema, the files it names, the palette's contrast.

`validate_package(zip bytes)` → `Package` (the manifest as the app shell renders it and
every file to store), or `Unprocessable` naming the file and field. Pure and synchronous:
the controller runs it in a worker thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import msgspec

from bff.branding.content import (
    ICON_EXTENSIONS,
    IMAGE_EXTENSIONS,
    MAX_PACKAGE_PIXELS,
    TYPES,
    check_css,
    check_font,
    check_image,
    check_messages,
    check_type,
    content_type,
    extension,
    parse_json,
)
from bff.branding.package import MANIFEST, read_zip, refuse, resolve
from bff.branding.svg import clean_svg
from bff.core.i18n import LANGUAGE_TAG, MAX_TRANSLATIONS_BYTES
from bff.core.text import field_problem
from bff.parties.models import HexColour, ManifestImages, Palette, RelPath

MAX_MANIFEST = 64 * 1024
LangCode = Annotated[str, msgspec.Meta(pattern=LANGUAGE_TAG.pattern)]  # bff.core.i18n's
TestId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_.:-]{1,100}$")]
ConfigKey = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")]
ShortText = Annotated[str, msgspec.Meta(max_length=100)]
ConfigValue = bool | int | float | Annotated[str, msgspec.Meta(max_length=200)] | None

# Fields of real Webapp3 manifests Borgervideo does not use (kept out of the page, noted).
KNOWN_UNUSED = ("availableLanguages", "overlay", "overlayOpacity", "backgroundColor")


class MetaIn(msgspec.Struct):
    name: ShortText = ""
    brandVersion: ShortText = ""
    baseColor: HexColour | None = None


class FilesIn(msgspec.Struct):
    styles: Annotated[list[RelPath], msgspec.Meta(max_length=10)] = msgspec.field(
        default_factory=list
    )


class ApplicationConfigIn(msgspec.Struct):
    hiddenFunctionality: Annotated[list[TestId], msgspec.Meta(max_length=200)] = msgspec.field(
        default_factory=list
    )


class PluginRefIn(msgspec.Struct):
    # Webapp3's own packages name a plugin by `src` alone (its dev-branding manifest.json:
    # `plugins: [{"src": ...}]`); ours by the catalogue `id`.
    id: Annotated[str, msgspec.Meta(max_length=100)] = ""
    src: Annotated[str, msgspec.Meta(max_length=500)] = ""
    sandboxValues: list[str] | None = None


class ManifestIn(msgspec.Struct):
    """`webapp3/branding/manifest.json` as uploaded (Webapp3's fields; others are noted)."""

    # Webapp3's dev-branding manifests may give neither (pexip/plugin-message-overlay
    # dev-assets/manifest.json has only `images` and `plugins`): version 1, the party's palette.
    version: Literal[0, 1] = 1
    colorPalette: Palette | None = None
    meta: MetaIn = msgspec.field(default_factory=MetaIn)
    brandName: ShortText = ""
    appTitle: ShortText | None = None
    favicon: RelPath | None = None
    images: ManifestImages = msgspec.field(default_factory=ManifestImages)
    # A JSON file of the package per language, or the messages themselves (as bff.core.i18n).
    translations: Annotated[
        dict[LangCode, RelPath | dict[str, Any]], msgspec.Meta(max_length=20)
    ] = msgspec.field(default_factory=dict)
    files: FilesIn = msgspec.field(default_factory=FilesIn)
    applicationConfig: ApplicationConfigIn = msgspec.field(default_factory=ApplicationConfigIn)
    defaultUserConfig: Annotated[dict[ConfigKey, ConfigValue], msgspec.Meta(max_length=50)] = (
        msgspec.field(default_factory=dict)
    )
    plugins: Annotated[list[PluginRefIn], msgspec.Meta(max_length=20)] = msgspec.field(
        default_factory=list
    )


@dataclass
class PackageFile:
    data: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Package:
    manifest: dict[str, Any]  # as the app shell renders it (paths relative to the package)
    files: dict[str, PackageFile]
    notes: list[str] = field(default_factory=list)
    sha256: str = ""
    size: int = 0


# -- contrast (WCAG 2.x), mirroring webapp/src/lib/branding.ts --------------------------


def luminance(hex_colour: str) -> float:
    value = int(hex_colour[1:], 16)
    channels = [(value >> 16) & 255, (value >> 8) & 255, value & 255]
    linear = [
        c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black, whichever reads better (the webapp's `--color-on-brand-700`)."""
    return (
        "#ffffff"
        if contrast(background, "#ffffff") >= contrast(background, "#111111")
        else "#111111"
    )


WHITE, PAGE, TEXT = "#ffffff", "#f4f5f7", "#1a1a1a"


def contrast_problem(palette: list[str]) -> str | None:
    """The first pair of colours the app draws together that falls below WCAG AA: 4.5:1 for
    text, 3:1 for the lines that mark out controls (1.4.11). Index i is `--color-brand-*`'s
    i-th step (50, 100, ... 1000), as Webapp3's palette."""
    p = [c.lower() for c in palette]
    on = text_colour_on(p[7])
    rules: list[tuple[int, str, str, str, float]] = [
        (7, "button text", on, p[7], 4.5),
        (8, "button text while pointed at", on, p[8], 4.5),
        (8, "brand-coloured text on white (links, secondary buttons, the name)", p[8], WHITE, 4.5),
        (8, "brand-coloured text on the page background", p[8], PAGE, 4.5),
        (9, "labels on the lightest brand colour (colorPalette[0])", p[9], p[0], 4.5),
        (0, "body text on the lightest brand colour (own chat messages)", TEXT, p[0], 4.5),
        (7, "the header line and button borders against white", p[7], WHITE, 3.0),
    ]
    for index, what, fg, bg, minimum in rules:
        ratio = contrast(fg, bg)
        if ratio < minimum:
            return (
                f"colorPalette[{index}] ({palette[index]}): {what}: contrast {ratio:.2f}:1 "
                f"({fg} on {bg}); WCAG AA needs {minimum:g}:1"
            )
    return None


# -- the manifest ---------------------------------------------------------------------------


def _schema(raw: Any) -> ManifestIn:
    try:
        return msgspec.convert(raw, ManifestIn)
    except msgspec.ValidationError as exc:
        field, message = field_problem(exc)
        raise refuse(f"{MANIFEST}: {field or '(top level)'}: {message}") from exc


def _ref(files: dict[str, bytes], field_name: str, ref: str, kinds: frozenset[str]) -> str:
    path = resolve(MANIFEST, ref)
    if path is None:
        raise refuse(f"{MANIFEST}: {field_name}: {ref!r} is not a path inside the package")
    if path not in files:
        raise refuse(f"{MANIFEST}: {field_name}: no file {path!r} in the package")
    if extension(path) not in kinds:
        wanted = ", ".join(sorted("." + k for k in kinds))
        raise refuse(f"{MANIFEST}: {field_name}: {path!r} must be one of {wanted}")
    return path


def _translations(given: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """Each language's messages inline, as the app shell and bff.core.i18n take them: i18next's
    nested objects of texts, the files read in."""
    out: dict[str, Any] = {}
    for lang, value in given.items():
        where = f"translations.{lang}"
        if isinstance(value, str):
            path = _ref(files, where, value, frozenset({"json"}))
            value = parse_json(path, files[path])
        else:
            path = f"{MANIFEST}: {where}"
        check_messages(path, value)
        out[lang] = value
    if len(msgspec.json.encode(out)) > MAX_TRANSLATIONS_BYTES:
        raise refuse(
            f"{MANIFEST}: translations: more than {MAX_TRANSLATIONS_BYTES // 1024} KiB of texts"
        )
    return out


def _plugin_refs(
    refs: list[PluginRefIn], notes: list[str], plugin_by_src: Callable[[str], str | None]
) -> list[dict[str, Any]]:
    """`plugins` as `[{id, sandboxValues?}]`: an entry with only a `src` is the catalogue plugin
    its path names, or left out with a note (never a refusal: the code is the catalogue's)."""
    out: list[dict[str, Any]] = []
    for index, ref in enumerate(refs):
        where = f"{MANIFEST}: plugins[{index}]"
        plugin_id = ref.id
        if not plugin_id:
            if not ref.src:
                raise refuse(f"{where}: needs an id (a plugin of the catalogue) or a src")
            plugin_id = plugin_by_src(ref.src) or ""
            if not plugin_id:
                notes.append(
                    f"{where}: src {ref.src!r} names no plugin of this installation's "
                    "catalogue, left out (the operator adds plugins, see the README)"
                )
                continue
            notes.append(f"{where}: src {ref.src!r} is the catalogue's plugin {plugin_id!r}")
            if ref.sandboxValues is not None:
                # Written for Webapp3's own origin; here the party's plugin page grants them.
                notes.append(f"{where}: sandboxValues left out: the catalogue's defaults apply")
            out.append({"id": plugin_id})
            continue
        sandbox = {"sandboxValues": ref.sandboxValues} if ref.sandboxValues is not None else {}
        out.append({"id": plugin_id} | sandbox)
    return out


def _manifest(
    raw: Any,
    files: dict[str, bytes],
    notes: list[str],
    plugins_ok: Callable[[list[dict[str, Any]]], None],
    plugin_by_src: Callable[[str], str | None],
    default_palette: list[str] | None,
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise refuse(f"{MANIFEST}: (top level): must be an object")
    parsed = _schema(raw)
    for name in raw:
        if name not in ManifestIn.__struct_fields__:
            used = "not used by Borgervideo" if name in KNOWN_UNUSED else "unknown"
            notes.append(f"{MANIFEST}: {name}: {used}, left out")
    palette = parsed.colorPalette
    if palette is None:
        if default_palette is None:
            raise refuse(f"{MANIFEST}: colorPalette: Object missing required field `colorPalette`")
        palette = default_palette
        notes.append(f"{MANIFEST}: colorPalette: none given, the party's own is kept")
    problem = contrast_problem(palette)
    if problem:
        raise refuse(f"{MANIFEST}: {problem}")
    images = {
        key: _ref(files, f"images.{key}", value, frozenset(IMAGE_EXTENSIONS))
        for key, value in msgspec.structs.asdict(parsed.images).items()
        if value is not None
    }
    translations = _translations(parsed.translations, files)
    styles = [
        _ref(files, f"files.styles[{i}]", ref, frozenset({"css"}))
        for i, ref in enumerate(parsed.files.styles)
    ]
    plugins = _plugin_refs(parsed.plugins, notes, plugin_by_src)
    plugins_ok(plugins)
    if any(p.src for p in parsed.plugins):
        notes.append(f"{MANIFEST}: plugins: src left out; plugins load from the catalogue")
    manifest: dict[str, Any] = {
        "version": parsed.version,
        "meta": {k: v for k, v in msgspec.structs.asdict(parsed.meta).items() if v},
        "colorPalette": [c.lower() for c in palette],
        "images": images,
        "translations": translations,
        "files": {"styles": styles},
        "applicationConfig": {
            "hiddenFunctionality": list(dict.fromkeys(parsed.applicationConfig.hiddenFunctionality))
        },
        "defaultUserConfig": parsed.defaultUserConfig,
        "plugins": plugins,
    }
    if parsed.brandName.strip():
        manifest["brandName"] = parsed.brandName.strip()
    if parsed.appTitle and parsed.appTitle.strip():
        manifest["appTitle"] = parsed.appTitle.strip()
    if parsed.favicon:
        manifest["favicon"] = _ref(files, "favicon", parsed.favicon, frozenset(ICON_EXTENSIONS))
    extra = [k for k in raw.get("applicationConfig") or {} if k != "hiddenFunctionality"]
    if extra:
        notes.append(f"{MANIFEST}: applicationConfig: {', '.join(extra[:5])} not used, left out")
    return manifest


def validate_package(
    data: bytes,
    plugins_ok: Callable[[list[dict[str, Any]]], None],
    plugin_by_src: Callable[[str], str | None] = lambda src: None,
    default_palette: list[str] | None = None,
) -> Package:
    """`plugins_ok` checks the manifest's plugins against the plugin catalogue (raising
    `Unprocessable` naming `plugins[i]...`); `plugin_by_src` names the catalogue plugin a
    `src`-only entry's path points at, if any; `default_palette` is the party's own, for a
    manifest without `colorPalette`."""
    raw = read_zip(data)
    notes = list(raw.notes)
    if len(raw.files[MANIFEST]) > MAX_MANIFEST:
        raise refuse(f"{MANIFEST}: larger than {MAX_MANIFEST // 1024} KiB")
    manifest_json = parse_json(MANIFEST, raw.files[MANIFEST])
    for path in raw.files:
        check_type(path)
    manifest = _manifest(
        manifest_json, raw.files, notes, plugins_ok, plugin_by_src, default_palette
    )
    files: dict[str, PackageFile] = {}
    pixels_left = MAX_PACKAGE_PIXELS
    for path, body in raw.files.items():
        if path == MANIFEST:
            continue
        ext = extension(path)
        fmt = TYPES[ext][1]
        if fmt == "svg":
            body, cleaned = clean_svg(path, body)
            notes.extend(cleaned)
        elif fmt == "css":
            check_css(path, body, raw.files)
        elif fmt == "json":
            parse_json(path, body)  # translations named by the manifest were checked there
        elif fmt in ("woff", "woff2"):
            check_font(path, body, fmt)
        else:
            pixels_left -= check_image(path, body, fmt, pixels_left)
        files[path] = PackageFile(body, content_type(path))
    return Package(
        manifest=manifest,
        files=files,
        notes=notes,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )
