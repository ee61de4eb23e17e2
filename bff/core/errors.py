"""Domain exceptions (no HTTP in them) and the one place that maps them to responses.

API clients (paths under /api/) get RFC 9457 problem details (`application/problem+json`:
`type`, `title`, `status`, `detail`); browsers get a friendly page in the citizen's language
with a CSP nonce, drawn by the page renderer the app hands to `exception_handlers`
(bff.shell.pages). Never a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, ClassVar

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

log = logging.getLogger("bff.errors")


class DomainError(Exception):
    """Base: `reason` is safe to show to the person who caused it. Each kind below names the
    HTTP status it answers and its page's title; a kind of a kind keeps its parent's."""

    http_status: ClassVar[int]
    title = "Der opstod en fejl"

    def __init_subclass__(
        cls, *, http_status: int | None = None, title: str | None = None, **kw: Any
    ) -> None:
        super().__init_subclass__(**kw)
        if http_status is not None:
            cls.http_status = http_status
        if title is not None:
            cls.title = title

    def __init__(
        self,
        reason: str,
        *,
        title: str | None = None,
        hint: str | None = None,
        key: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        # A citizen page's message in bff/locales (`errorPage.<key>.title|reason|hint|meeting`)
        # with its placeholders: the page then speaks the citizen's language. API answers and
        # pages without a key keep `reason` as it is.
        self.key = key
        self.params = params
        if title:
            self.title = title


class InvalidInput(DomainError, http_status=400, title="Ugyldig forespørgsel"): ...


class Unauthenticated(DomainError, http_status=401, title="Adgang nægtet"): ...


class Forbidden(DomainError, http_status=403, title="Adgang nægtet"): ...


class NotFound(DomainError, http_status=404, title="Ikke fundet"): ...


class Conflict(DomainError, http_status=409, title="Allerede i gang"): ...


class Gone(DomainError, http_status=410, title="Ikke længere gyldigt"): ...


class TooEarly(DomainError, http_status=425, title="Det er for tidligt"): ...


class TooManyRequests(DomainError, http_status=429, title="For mange forsøg"):
    def __init__(self, reason: str, retry_after: int, **kw: Any) -> None:
        super().__init__(reason, **kw)
        self.retry_after = max(1, retry_after)


class PreconditionFailed(DomainError, http_status=412, title="Ændret af en anden"): ...


class Unprocessable(DomainError, http_status=422, title="Ugyldige indstillinger"): ...


class PreconditionRequired(DomainError, http_status=428, title="Version mangler"): ...


class UpstreamFailed(DomainError, http_status=502, title="En tjeneste svarer ikke"): ...


class Unavailable(DomainError, http_status=503, title="Midlertidigt utilgængelig"): ...


# The statuses the kinds above answer, lowest first (their codes are documented: ErrorBody).
STATUSES = sorted(kind.http_status for kind in DomainError.__subclasses__())

PROBLEM_JSON = "application/problem+json"

# Each status's stable problem code (English, for machines: an EOJ vendor branches on it).
CODES: dict[int, str] = {
    400: "invalid-input",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    410: "gone",
    412: "precondition-failed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "unprocessable",
    425: "too-early",
    428: "precondition-required",
    429: "rate-limited",
    431: "headers-too-large",
    500: "internal",
    502: "upstream-failed",
    503: "unavailable",
}
PROBLEM_TYPE = "urn:borgervideo:problem:"


def problem_body(status: int, detail: str, code: str | None = None) -> dict[str, Any]:
    """RFC 9457 problem details: `type` names the kind (a URN ending in `code`), `title` is the
    status's English phrase, `detail` the reason a developer acts on."""
    code = code or CODES.get(status)
    return {
        "type": PROBLEM_TYPE + code if code else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **({"code": code} if code else {}),
    }


@dataclass(frozen=True, slots=True)
class ErrorPage:
    """What a browser's error page says. `key` names its messages in bff/locales (filled in
    with `params`), so that it speaks the citizen's language; `refresh`: seconds after which
    the page loads itself again (a passing outage)."""

    status: int
    title: str
    reason: str
    hint: str | None = None
    refresh: int | None = None
    key: str | None = None
    params: dict[str, Any] | None = None


PageRenderer = Callable[[ErrorPage, "Request[Any, Any, Any] | None"], Response[str]]
"""Draws an error page for a browser, under a party's path with its branding when given the
request (bff.shell.pages.render_page)."""


Handler = Callable[[Request[Any, Any, Any], Exception], Response[Any]]


def wants_json(path: str) -> bool:
    """An API path: its errors are problem details, not pages."""
    return path.startswith(("/api/", "/schema", "/eventsink/"))


def problem(
    status: int, detail: str, headers: dict[str, str] | None = None, code: str | None = None
) -> Response[Any]:
    """An API error: RFC 9457 problem details. `detail` is what clients have always read."""
    body = problem_body(status, detail, code)
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_for(exc: DomainError) -> Response[Any]:
    """The API's answer to a domain error (for handlers that add headers of their own)."""
    response = problem(exc.http_status, exc.reason)
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


def unprocessable_body(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """For routes that answer a body of the wrong shape with 422 naming the field (Litestar's
    own answer is 400); a body that is no JSON at all stays 400."""
    assert isinstance(exc, ValidationException)
    status = 400 if exc.extra is None else 422
    return problem(status, _validation_reason(exc))


def exception_handlers(render_page: PageRenderer) -> dict[type[Exception], Handler]:
    """Litestar's exception handlers: problem details on API paths, `render_page` elsewhere."""

    def respond(request: Request[Any, Any, Any], page: ErrorPage) -> Response[Any]:
        if wants_json(request.url.path):
            return problem(page.status, page.reason)
        return render_page(page, request)

    def domain_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        assert isinstance(exc, DomainError)
        key = exc.key or ("tooMany" if isinstance(exc, TooManyRequests) else None)
        page = ErrorPage(
            exc.http_status, exc.title, exc.reason, exc.hint, key=key, params=exc.params
        )
        response = respond(request, page)
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    def http_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        assert isinstance(exc, HTTPException)
        status = exc.status_code
        if status >= 500:  # a fault of ours, though Litestar raised it: logged (type only)
            log.error("%s %s on %s", status, type(exc).__name__, request.method)
        if isinstance(exc, ValidationException):
            reason = _validation_reason(exc)
        elif status == 404:
            reason = "Not found" if wants_json(request.url.path) else "Siden findes ikke."
        else:
            reason = str(exc.detail)
        key = "notFound" if status == 404 else None
        response = respond(request, ErrorPage(status, "Der opstod en fejl", reason, key=key))
        if exc.headers and "allow" in {k.lower() for k in exc.headers}:  # 405 names what works
            allow = next(v for k, v in exc.headers.items() if k.lower() == "allow")
            response.headers["Allow"] = allow
        return response

    def too_deep(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        # Litestar decodes a JSON body generically before validating it, and msgspec raises
        # RecursionError on deeply nested arrays: bad input, not a server fault.
        reason = "body: JSON is nested too deeply"
        return respond(request, ErrorPage(400, "Ugyldig forespørgsel", reason))

    def internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        # Type only: messages and paths may carry tokens or names.
        log.error("unhandled %s on %s", type(exc).__name__, request.method)
        reason = "Der opstod en uventet fejl. Prøv igen om lidt."
        return respond(request, ErrorPage(500, "Der opstod en fejl", reason, key="internal"))

    return {
        DomainError: domain_error,
        HTTPException: http_error,
        RecursionError: too_deep,
        Exception: internal_error,
    }
