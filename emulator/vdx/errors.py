"""VDX-API error answers (the basicError and detailedError schemas)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    406: "Not Acceptable",
}


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
        # A string on real VDX: medcom-video-api's integrationtest/.../v2/VideoMeetingsIT.java
        # expects `"detailed_error_code":"13"`.
        body["detailed_error_code"] = str(exc.code if exc.code is not None else 11)
    return Response(content=body, status_code=exc.status, media_type="application/json")
