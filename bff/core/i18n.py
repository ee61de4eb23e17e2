"""Languages for the BFF's own pages (error pages) and a party's wording for both.

The webapp's messages live in `webapp/src/locales/<lang>.json`; the BFF's pages have their own
few in `bff/locales/<lang>.json` (`errorPage.*`). Both take a party's overrides from its Webapp3
manifest's `translations` (i18next-style nested keys, `{{placeholders}}`):
`inline_translations` is where the BFF reads them when it loads a party (or, later, an uploaded
branding package): a language may name a JSON file inside `webapp3/branding/` or hold the
object itself; either way the manifest the page gets holds objects only.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
from litestar import Request

LANGUAGES = ("da", "en")
DEFAULT = "da"
LANG_COOKIE = "bv_lang"  # written by the webapp's language switch
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
MAX_TRANSLATIONS_BYTES = 256 * 1024
MAX_DEPTH = 6
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")
_LOCALES = Path(__file__).parent.parent / "locales"

Messages = dict[str, Any]


def _check_tree(value: Any, where: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"{where}: nested too deeply")
    if not isinstance(value, dict):
        raise ValueError(f"{where}: must be an object of messages")
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise ValueError(f"{where}: keys must be non-empty strings")
        if isinstance(item, dict):
            _check_tree(item, f"{where}.{key}", depth + 1)
        elif not isinstance(item, str):
            raise ValueError(f"{where}.{key}: must be a string")


def inline_translations(manifest: dict[str, Any], branding_dir: Path) -> dict[str, Any]:
    """The manifest with `translations` as `{lang: {messages}}`; files (paths inside the
    branding folder) read in. ValueError names what is wrong (`translations.en: ...`)."""
    translations = manifest.get("translations")
    if translations is None:
        return manifest
    if not isinstance(translations, dict):
        raise ValueError("translations: must be an object of languages")
    inlined: dict[str, Any] = {}
    base = branding_dir.resolve()
    for lang, value in translations.items():
        where = f"translations.{lang}"
        if not isinstance(lang, str) or not LANGUAGE_TAG.match(lang):
            raise ValueError(f"{where}: not a language tag like da or en")
        if isinstance(value, str):
            file = (base / value).resolve()
            if not file.is_relative_to(base) or not file.is_file():
                raise ValueError(f"{where}: no file {value!r} in the branding folder")
            if file.stat().st_size > MAX_TRANSLATIONS_BYTES:
                raise ValueError(f"{where}: {value!r} is larger than 256 KiB")
            try:
                value = msgspec.json.decode(file.read_bytes())
            except msgspec.DecodeError as exc:
                raise ValueError(f"{where}: {value!r} is not valid JSON") from exc
        _check_tree(value, where)
        inlined[lang] = value
    if len(msgspec.json.encode(inlined)) > MAX_TRANSLATIONS_BYTES:
        raise ValueError("translations: larger than 256 KiB")
    return manifest | {"translations": inlined}


@cache
def _catalogue(lang: str) -> Messages:
    return msgspec.json.decode((_LOCALES / f"{lang}.json").read_bytes(), type=dict[str, Any])


def _merge(base: Messages, overrides: Any) -> Messages:
    if not isinstance(overrides, dict):
        return base
    merged = dict(base)
    for key, value in overrides.items():
        current = merged.get(key)
        replaceable = current is None or isinstance(current, str)
        if isinstance(value, str) and value.strip() and replaceable:
            merged[key] = value
        elif isinstance(value, dict) and (current is None or isinstance(current, dict)):
            merged[key] = _merge(current or {}, value)
    return merged


def messages(lang: str, manifest: dict[str, Any] | None = None) -> Messages:
    """Our page messages in `lang`, a party's wording laid over them."""
    base = _catalogue(lang if lang in LANGUAGES else DEFAULT)
    overrides = ((manifest or {}).get("translations") or {}).get(lang)
    return _merge(base, overrides)


def translate(table: Messages, key: str, params: dict[str, Any] | None = None) -> str | None:
    """The message at the dotted `key` with `{{placeholders}}` filled; None when missing."""
    value: Any = table
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if not isinstance(value, str):
        return None
    values = params or {}
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), value)


def page_language(request: Request[Any, Any, Any]) -> str:
    """`?lang=` (the page's own switch), else the webapp's choice (cookie), else the
    browser's Accept-Language, else Danish."""
    asked = request.query_params.get("lang")
    if isinstance(asked, str) and asked in LANGUAGES:
        return asked
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "")
    for part in header.split(",")[:10]:
        tag = part.split(";")[0].strip().lower().split("-")[0]
        if tag in LANGUAGES:
            return tag
        if tag in ("nb", "nn", "no", "sv"):
            return DEFAULT
    return DEFAULT


_DAYS = {
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
_MONTHS = {
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}  # fmt: skip


class Moment(msgspec.Struct, frozen=True):
    """A time for a page message, written the page's way: `part` "day" ("tirsdag 26.
    november" / "Tuesday 26 November") or "time" ("10.00" / "10:00"). Danish time."""

    at: Any  # an aware datetime
    part: str = "time"

    def render(self, lang: str) -> str:
        from zoneinfo import ZoneInfo

        local = self.at.astimezone(ZoneInfo("Europe/Copenhagen"))
        lang = lang if lang in LANGUAGES else DEFAULT
        if self.part == "day":
            weekday, month = _DAYS[lang][local.weekday()], _MONTHS[lang][local.month - 1]
            dot = "." if lang == "da" else ""
            return f"{weekday} {local.day}{dot} {month}"
        return f"{local:%H.%M}" if lang == "da" else f"{local:%H:%M}"


def meeting_when(start: datetime, end: datetime) -> dict[str, dict[str, str]]:
    """A meeting's day and hours in Danish time in each page language, as the webapp shows them
    (`{"da": {"day": "tirsdag 8. december", "span": "10.00–10.30"}, "en": {...}}`): written here,
    the citizen's phone makes no date format of its own before she sees herself (its first one
    loads the browser's calendar data: 10–20 ms of the page's main thread in Chromium)."""
    return {
        lang: {
            "day": Moment(start, "day").render(lang),
            "span": f"{Moment(start).render(lang)}–{Moment(end).render(lang)}",
        }
        for lang in LANGUAGES
    }


def render_params(params: dict[str, Any] | None, lang: str) -> dict[str, str]:
    return {
        k: v.render(lang) if isinstance(v, Moment) else str(v) for k, v in (params or {}).items()
    }
