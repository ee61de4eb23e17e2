"""Each file of a branding package is what it claims to be, and harmless.

- Type allow-list by extension; the bytes must match it.
- PNG, JPEG, WebP, GIF and ICO are decoded in full with Pillow (size capped before decoding).
- SVG: parsed with defusedxml and rebuilt from an allow-list (`bff.branding.svg`).
- CSS: tokenised with tinycss2 (escapes and comments as a browser reads them); `@import`,
  external or scheme `url()`s and script-like constructs are refused; a relative `url()` must
  name a file of the package.
- JSON: parsed; translation files are objects of strings, bounded.
- Fonts (WOFF, WOFF2): the signature only (served to `font-src 'self'`).
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import msgspec
import tinycss2
from PIL import Image, UnidentifiedImageError

from bff.branding.package import refuse, resolve

MAX_PIXELS = 4096 * 4096
# All raster images of one package together: decoding costs CPU by the pixel.
MAX_PACKAGE_PIXELS = 2 * MAX_PIXELS
MAX_CSS = 512 * 1024
MAX_JSON_DEPTH = 8
MAX_MESSAGES = 5000
MAX_MESSAGE = 5000
MAX_KEY = 200

# extension → (content type, Pillow format or checker name)
TYPES: dict[str, tuple[str, str]] = {
    "png": ("image/png", "PNG"),
    "jpg": ("image/jpeg", "JPEG"),
    "jpeg": ("image/jpeg", "JPEG"),
    "webp": ("image/webp", "WEBP"),
    "gif": ("image/gif", "GIF"),
    "ico": ("image/x-icon", "ICO"),
    "svg": ("image/svg+xml", "svg"),
    "css": ("text/css; charset=utf-8", "css"),
    "json": ("application/json", "json"),
    "woff2": ("font/woff2", "woff2"),
    "woff": ("font/woff", "woff"),
}
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "webp", "gif", "svg"})
ICON_EXTENSIONS = IMAGE_EXTENSIONS | {"ico"}
_FONT_MAGIC = {"woff2": b"wOF2", "woff": b"wOFF"}
_DATA_URL = re.compile(
    r"^data:(image/(png|jpeg|gif|webp|svg\+xml)|font/(woff2?|ttf|otf)|application/font-woff2?)"
    r"[;,]",
    re.I,
)


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type(path: str) -> str:
    return TYPES[extension(path)][0]


def check_type(path: str) -> str:
    ext = extension(path)
    if ext not in TYPES:
        allowed = ", ".join(sorted({"." + e for e in TYPES}))
        what = f".{ext}" if ext else "without an extension"
        raise refuse(f"{path}: file type {what} is not allowed (allowed: {allowed})")
    return ext


# -- images ------------------------------------------------------------------------------


def check_image(path: str, data: bytes, fmt: str, budget: int = MAX_PACKAGE_PIXELS) -> int:
    """Decodes the whole image; refuses what does not decode, is not the named format, or
    has more pixels than `budget` (what the package has left). Its pixels (from the header,
    before decoding)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                found = probe.format
                width, height = probe.size
                if found != fmt:
                    raise refuse(f"{path}: holds {found or 'unknown'} data, not {fmt}")
                if width * height > MAX_PIXELS:
                    raise refuse(f"{path}: {width}×{height} pixels; at most {MAX_PIXELS:,} pixels")
                if width * height > budget:
                    raise refuse(
                        f"{path}: {width}×{height} pixels pass the package's budget "
                        f"of {MAX_PACKAGE_PIXELS:,} pixels in all its images (make "
                        "the images smaller)"
                    )
                probe.verify()  # checksums (PNG chunks) without decoding
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # the pixels decode
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            EOFError,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            raise refuse(f"{path}: the image does not decode ({type(exc).__name__})") from exc
    return int(width * height)


def check_font(path: str, data: bytes, ext: str) -> None:
    if not data.startswith(_FONT_MAGIC[ext]):
        raise refuse(f"{path}: not a {ext.upper()} font")


# -- CSS -------------------------------------------------------------------------------


def _text(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise refuse(f"{path}: not UTF-8 text") from exc


def _line(token: Any) -> str:
    return f"line {getattr(token, 'source_line', '?')}"


class CssChecker:
    """Walks every token of a stylesheet (or a style attribute) as a browser tokenises it.

    `url_ok(ref)` decides relative references (a file of the package); `fragment_only`
    (SVG) allows nothing but `#id` references.
    """

    def __init__(self, where: str, url_ok: Callable[[str], bool] | None) -> None:
        self.where = where
        self.url_ok = url_ok

    def url(self, token: Any, value: str) -> None:
        ref = value.strip()
        if ref.startswith("#"):
            return
        if _DATA_URL.match(ref):
            return
        if ref.lower().startswith("data:"):
            raise refuse(
                f"{self.where}: {_line(token)}: url({ref[:40]}…): only image and "
                "font data: URLs are allowed"
            )
        if self.url_ok is None or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", ref):
            raise refuse(
                f"{self.where}: {_line(token)}: url({ref[:80]}) is an external "
                "reference; only files of the package may be named"
            )
        if not self.url_ok(ref):
            raise refuse(
                f"{self.where}: {_line(token)}: url({ref[:80]}) names no file of the package"
            )

    def walk(self, tokens: Iterable[Any]) -> None:
        for token in tokens:
            self.token(token)

    def token(self, token: Any) -> None:  # one switch over the token kinds
        kind = token.type
        if kind == "error":
            raise refuse(f"{self.where}: {_line(token)}: not valid CSS ({token.message})")
        if kind == "at-rule":
            if token.lower_at_keyword == "import":
                raise refuse(
                    f"{self.where}: {_line(token)}: @import is not allowed (put the "
                    "rules in the file itself)"
                )
            self.walk(token.prelude)
            if token.content:
                self.walk(token.content)
        elif kind == "qualified-rule":
            self.walk(token.prelude)
            self.walk(token.content)
        elif kind == "url":
            self.url(token, token.value)
        elif kind == "function":
            name = token.lower_name
            if name in ("url", "src"):
                strings = [t for t in token.arguments if t.type == "string"]
                for string in strings:
                    self.url(token, string.value)
                if not strings and any(
                    t.type not in ("whitespace", "comment") for t in token.arguments
                ):
                    raise refuse(f"{self.where}: {_line(token)}: {name}() without a plain string")
            elif name in ("image-set", "-webkit-image-set", "cross-fade", "image"):
                for arg in token.arguments:  # strings here are URLs
                    if arg.type == "string":
                        self.url(token, arg.value)
            elif name in ("expression", "javascript") or (
                name == "attr"
                and any(t.type == "ident" and t.lower_value == "url" for t in token.arguments)
            ):
                raise refuse(f"{self.where}: {_line(token)}: {name}() is not allowed")
            self.walk(token.arguments)
        elif kind in ("() block", "[] block", "{} block"):
            self.walk(token.content)
        elif kind == "ident" and token.lower_value in ("behavior", "-moz-binding"):
            raise refuse(f"{self.where}: {_line(token)}: {token.value} is not allowed")
        elif kind == "string" and "javascript:" in token.value.lower():
            raise refuse(f"{self.where}: {_line(token)}: a javascript: URL is not allowed")


def check_css(path: str, data: bytes, files: Iterable[str]) -> None:
    if len(data) > MAX_CSS:
        raise refuse(f"{path}: stylesheet larger than {MAX_CSS // 1024} KiB")
    known = set(files)
    text = _text(path, data)
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    CssChecker(path, lambda ref: resolve(path, ref) in known).walk(rules)


def check_inline_css(where: str, text: str) -> None:
    """A `style` attribute or `<style>` element in an SVG: `#id` references only."""
    tokens = tinycss2.parse_component_value_list(text, skip_comments=True)
    CssChecker(where, None).walk(tokens)


# -- JSON ------------------------------------------------------------------------------


def parse_json(path: str, data: bytes) -> Any:
    try:
        return msgspec.json.decode(data)
    except (msgspec.DecodeError, RecursionError) as exc:
        raise refuse(f"{path}: not valid JSON ({exc})") from exc


def check_messages(path: str, value: Any) -> int:
    """A translation file: nested objects whose leaves are strings (i18next's shape)."""
    count = 0

    def walk(node: Any, at: str, depth: int) -> None:
        nonlocal count
        if depth > MAX_JSON_DEPTH:
            raise refuse(f"{path}: {at or '(top level)'}: nested deeper than {MAX_JSON_DEPTH}")
        if not isinstance(node, dict):
            raise refuse(f"{path}: {at or '(top level)'}: must be an object of texts")
        for key, child in node.items():
            here = f"{at}.{key}" if at else key
            if not key or len(key) > MAX_KEY:
                raise refuse(f"{path}: {here[:80]}: a key of 1 to {MAX_KEY} characters")
            if isinstance(child, str):
                count += 1
                if len(child) > MAX_MESSAGE:
                    raise refuse(f"{path}: {here}: longer than {MAX_MESSAGE} characters")
                if count > MAX_MESSAGES:
                    raise refuse(f"{path}: more than {MAX_MESSAGES} texts")
            elif isinstance(child, dict):
                walk(child, here, depth + 1)
            else:
                raise refuse(f"{path}: {here}: must be a text (or an object of texts)")

    walk(value, "", 1)
    return count
