"""Every visible string in English comes from an English catalogue.

The catalogues: the webapp's (`webapp/src/locales/en.json`), the BFF's pages'
(`bff/locales/en.json`) and each first-party plugin's (`en:` in its `MESSAGES`). A text on the
page passes when it is one of their messages (placeholders stand for anything), or one of the
data the test put there (names, subjects, numbers, dates): a string written straight into a
screen in Danish (or in English without the catalogue) matches neither and fails the test.
Text nodes and the names a screen reader reads (aria-label, title, placeholder, alt) count,
in the page and in its plugin frames.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from devstack.stack import ROOT

# Visible text nodes (hidden ones excepted; visually hidden ones are read aloud, so they count)
# and the accessible names and hints written in attributes.
_COLLECT = """() => {
  const seen = [];
  const shown = (el) => el.checkVisibility({visibilityProperty: true})
    || (el.closest('select') !== null && el.closest('select').checkVisibility());
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('script, style, noscript, template, svg desc')) continue;
    if (!shown(el)) continue;
    seen.push(node.textContent);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (!shown(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value) seen.push(value);
    }
  }
  seen.push(document.title);
  return seen;
}"""

# Words of data rather than messages: numbers, times, dates (en-GB), codes and separators.
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DATA = re.compile(
    rf"^(?:[\d\s.,:;–—\-/%()+#·×…«»\"'’]|{_MONTHS}|{_DAYS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep"
    r"|Oct|Nov|Dec|am|pm|kB)*$"
)
_PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}")
_PLUGIN_SOURCES = (
    "plugins/sms-invite/src/main.ts",
    "plugins/interpreter/src/main.ts",
    "plugins/phonebook/src/messages.ts",
)


def _flatten(tree: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for value in tree.values():
        out.extend(_flatten(value) if isinstance(value, dict) else [value])
    return out


def _plugin_messages(source: str) -> list[str]:
    """The values of the `en: { ... }` block of a plugin's MESSAGES."""
    block = source.split("\n  en: {", 1)[1].split("\n  },", 1)[0]
    return [
        json.loads(f'"{m.group(2)}"') if m.group(1) == '"' else m.group(2).replace("\\'", "'")
        for m in re.finditer(r"^\s+['\w-]+: (['\"])(.*)\1,$", block, re.M)
    ]


@cache
def english_messages() -> tuple[str, ...]:
    found = _flatten(json.loads((ROOT / "webapp/src/locales/en.json").read_text()))
    found += _flatten(json.loads((ROOT / "bff/locales/en.json").read_text()))
    for path in _PLUGIN_SOURCES:
        found += _plugin_messages((ROOT / path).read_text())
    return tuple(found)


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    patterns = []
    for message in english_messages():
        words = _PLACEHOLDER.sub("", message)
        if len(re.findall(r"[A-Za-z]", words)) < 2:
            continue  # a message of placeholders alone says nothing of its language
        parts = [re.escape(_squash(p)) for p in _PLACEHOLDER.split(message)]
        patterns.append(re.compile("(?:.+?)".join(parts), re.S))
    return tuple(patterns)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _known(text: str, data: set[str]) -> bool:
    if text in data or _DATA.match(text):
        return True
    if any(p.fullmatch(text) for p in _patterns()):
        return True
    # A piece of data with separators around it: " (weekdays 8 am–4 pm)", "Anna, ".
    for bare in (text.strip(" ()[],.:;·–-"), text.lstrip(" ,.:;·–-")):  # ": Default (…)"
        if bare != text and bare != "" and _known(bare, data):
            return True
    # Pieces joined by a dash or a dot ("Page title – Party", "Party · System"), or sentences.
    pieces = re.split(r" [–·] |(?<=[.!?]) ", text)
    return len(pieces) > 1 and all(_known(piece, data) for piece in pieces)


def untranslated(page: Page, data: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The texts on the page (and in its frames) that are no English message and no data."""
    # Each language named in itself (the switch, the SMS language): no message.
    allowed = {_squash(d) for d in data} | {"Dansk", "English"}
    texts: list[str] = []
    for frame in page.frames:
        try:
            texts += frame.evaluate(_COLLECT)
        except PlaywrightError:  # a frame navigating away: it has nothing to show
            continue
    found = []
    for raw in texts:
        text = _squash(raw)
        if text and not _known(text, allowed) and text not in found:
            found.append(text)
    return found


def assert_english(page: Page, state: str, data: list[str] | tuple[str, ...] = ()) -> None:
    assert page.evaluate("document.documentElement.lang") == "en", state
    found = untranslated(page, data)
    assert found == [], f"{state}: not from an English catalogue: {found}"
