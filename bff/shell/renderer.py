"""The app shell: the Vite-built index.html as a Jinja template, rendered per party."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import msgspec
from jinja2 import Environment, Template, select_autoescape
from markupsafe import Markup

from bff.errors import Unavailable

_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no '</script>' can appear."""
    return Markup(msgspec.json.encode(value).decode().translate(_SCRIPT_ESCAPES))  # noqa: S704


class ShellRenderer:
    """Compiles index.html once; if the build is missing, retries until it appears."""

    def __init__(self, dist: Path) -> None:
        self._index = dist / "index.html"
        self._env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
        self._template: Template | None = None
        self._lock = threading.Lock()
        self._load()

    def _load(self) -> Template | None:
        with self._lock:
            if self._template is None and self._index.is_file():
                self._template = self._env.from_string(self._index.read_text("utf-8"))
            return self._template

    def render(self, *, nonce: str, config: dict[str, Any], title: str) -> str:
        template = self._template or self._load()
        if template is None:
            raise Unavailable(
                "Webappen er ikke bygget endnu (run make build).", title="Webappen mangler"
            )
        return template.render(csp_nonce=nonce, config_json=script_json(config), title=title)
