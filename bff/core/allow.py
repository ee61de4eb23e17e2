"""`Allow` on OPTIONS answers, from the live route table.

Litestar 2 builds its automatic OPTIONS handler when a route is first made; when another
handler joins the same path later (GET and DELETE of /api/v1/meetings/{meeting_id}), the
rebuilt route keeps the first handler's OPTIONS, whose `Allow` lists only the first method
(litestar-org/litestar#4169, fixed in Litestar 3). This before_send hook writes the methods
the path really has, for every path, so no new route can bring the bug back.
"""

from __future__ import annotations

import re
from typing import Any

_PARAM_TYPE = re.compile(r"\{(\w+):[^}]+\}")
_TABLE = "allow_table"  # on app.state: path template (no parameter types) -> its methods


def _methods(app: Any, template: str) -> frozenset[str] | None:
    table = app.state.get(_TABLE)
    if table is None:
        table = app.state[_TABLE] = {
            _PARAM_TYPE.sub(r"{\1}", path): frozenset(str(m) for m in handlers)
            for path, handlers in app.route_handler_method_map.items()
        }
    methods: frozenset[str] | None = table.get(template)
    return methods


async def options_allow(message: Any, scope: Any) -> None:
    if (
        message["type"] != "http.response.start"
        or scope.get("method") != "OPTIONS"
        or "path_template" not in scope
    ):
        return
    app = scope.get("litestar_app")
    handlers = _methods(app, scope["path_template"]) if app is not None else None
    if not handlers:
        return
    methods = handlers | {"OPTIONS"}
    allow = ", ".join(sorted(methods)).encode()
    headers = [(k, v) for k, v in message.get("headers") or [] if k.lower() != b"allow"]
    if len(headers) != len(message.get("headers") or []):  # it had one: correct it
        headers.append((b"allow", allow))
        message["headers"] = headers
