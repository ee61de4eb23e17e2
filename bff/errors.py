"""Domain exceptions (no HTTP in them) and the one place that maps them to responses.

API clients (paths under /api/) get JSON `{"detail": "..."}`; browsers get a friendly
Danish HTML page with a CSP nonce. Never a stack trace.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from bff.security import new_nonce, page_headers

log = logging.getLogger("bff.errors")


class DomainError(Exception):
    """Base: `reason` is safe to show to the person who caused it."""

    title = "Der opstod en fejl"

    def __init__(self, reason: str, *, title: str | None = None, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        if title:
            self.title = title


class InvalidInput(DomainError):
    title = "Ugyldig forespørgsel"


class Unauthenticated(DomainError):
    title = "Adgang nægtet"


class Forbidden(DomainError):
    title = "Adgang nægtet"


class NotFound(DomainError):
    title = "Ikke fundet"


class Gone(DomainError):
    title = "Ikke længere gyldigt"


class TooEarly(DomainError):
    title = "Det er for tidligt"


class TooManyRequests(DomainError):
    title = "For mange forsøg"

    def __init__(self, reason: str, retry_after: int, **kw: str | None) -> None:
        super().__init__(reason, **kw)
        self.retry_after = max(1, retry_after)


class UpstreamFailed(DomainError):
    title = "En tjeneste svarer ikke"


class Unavailable(DomainError):
    title = "Midlertidigt utilgængelig"


STATUS: dict[type[DomainError], int] = {
    InvalidInput: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Gone: 410,
    TooEarly: 425,
    TooManyRequests: 429,
    UpstreamFailed: 502,
    Unavailable: 503,
}

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
)


def render_page(status: int, title: str, reason: str, hint: str | None = None) -> Response[str]:
    nonce = new_nonce()
    html = _templates.get_template("error.html").render(
        title=title, reason=reason, hint=hint, csp_nonce=nonce
    )
    return Response(
        html, status_code=status, media_type=MediaType.HTML, headers=page_headers(nonce)
    )


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/schema"))


def _respond(request: Request, status: int, title: str, reason: str, hint: str | None) -> Response:
    if _wants_json(request):
        return Response({"detail": reason}, status_code=status, media_type=MediaType.JSON)
    return render_page(status, title, reason, hint)


def domain_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    status = next(s for cls, s in STATUS.items() if isinstance(exc, cls))
    response = _respond(request, status, exc.title, exc.reason, exc.hint)
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _field_problem(e: dict[str, Any]) -> str:
    key, message = e.get("key", "body"), e.get("message", "")
    if key == "data" and message == "'data'":  # Litestar's words for "no body at all"
        return "body: a JSON object is required"
    return f"{key}: {message}"


def _validation_reason(exc: ValidationException) -> str:
    extra = exc.extra if isinstance(exc.extra, list) else []
    parts = [_field_problem(e) for e in extra if isinstance(e, dict)]
    return "; ".join(parts) or str(exc.detail)


def http_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if isinstance(exc, ValidationException):
        reason = _validation_reason(exc)
    elif status == 404:
        reason = "Siden findes ikke." if not _wants_json(request) else "Not found"
    else:
        reason = str(exc.detail)
    response = _respond(request, status, "Der opstod en fejl", reason, None)
    if exc.headers and "allow" in {k.lower() for k in exc.headers}:  # 405 names what works
        response.headers["Allow"] = next(v for k, v in exc.headers.items() if k.lower() == "allow")
    return response


def too_deep_handler(request: Request, exc: Exception) -> Response:
    # Litestar decodes a JSON body generically before validating it, and msgspec raises
    # RecursionError on deeply nested arrays: bad input, not a server fault.
    return _respond(request, 400, "Ugyldig forespørgsel", "body: JSON is nested too deeply", None)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    # Type only: messages and paths may carry tokens or names.
    log.error("unhandled %s on %s", type(exc).__name__, request.method)
    return _respond(
        request, 500, "Der opstod en fejl", "Der opstod en uventet fejl. Prøv igen om lidt.", None
    )


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    HTTPException: http_error_handler,
    RecursionError: too_deep_handler,
    Exception: internal_error_handler,
}
