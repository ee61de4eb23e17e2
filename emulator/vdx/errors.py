"""VDX-API error answers (the basicError and detailedError schemas) and its bearer guard."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

REASONS = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 406: "Not Acceptable"}


class VdxError(Exception):
    """An error VDX-API answers; `code` is the detailed_error_code, None for basicError."""

    def __init__(self, status: int, detail: str | None = None, code: int | None = None) -> None:
        super().__init__(detail or REASONS.get(status, "Error"))
        self.status = status
        self.detail = detail
        self.code = code


def vdx_error_handler(request: Request[Any, Any, Any], exc: VdxError) -> Response[Any]:
    body: dict[str, Any] = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": exc.status,
        "error": REASONS.get(exc.status, "Error"),
        "path": request.url.path,
    }
    if exc.detail is not None:
        body["detailed_error"] = exc.detail
        body["detailed_error_code"] = exc.code if exc.code is not None else 11
    return Response(content=body, status_code=exc.status, media_type="application/json")


def requires_vdx_token(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    expected: str = connection.app.state.settings.vdx_token
    header = connection.headers.get("authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.strip(), expected):
        raise VdxError(401)
