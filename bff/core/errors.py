"""Domain exceptions (no HTTP in them) and the one place that maps them to responses.

API clients (paths under /api/) get JSON `{"detail": "..."}`; browsers get a friendly
Danish HTML page with a CSP nonce. Never a stack trace.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from bff.core import i18n
from bff.core.security import new_nonce, page_headers

log = logging.getLogger("bff.errors")


class DomainError(Exception):
    """Base: `reason` is safe to show to the person who caused it."""

    title = "Der opstod en fejl"

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


class InvalidInput(DomainError):
    title = "Ugyldig forespørgsel"


class Unauthenticated(DomainError):
    title = "Adgang nægtet"


class Forbidden(DomainError):
    title = "Adgang nægtet"


class NotFound(DomainError):
    title = "Ikke fundet"


class Conflict(DomainError):
    title = "Allerede i gang"


class Gone(DomainError):
    title = "Ikke længere gyldigt"


class TooEarly(DomainError):
    title = "Det er for tidligt"


class TooManyRequests(DomainError):
    title = "For mange forsøg"

    def __init__(self, reason: str, retry_after: int, **kw: str | None) -> None:
        super().__init__(reason, **kw)
        self.retry_after = max(1, retry_after)


class PreconditionFailed(DomainError):
    title = "Ændret af en anden"


class Unprocessable(DomainError):
    title = "Ugyldige indstillinger"


class PreconditionRequired(DomainError):
    title = "Version mangler"


class UpstreamFailed(DomainError):
    title = "En tjeneste svarer ikke"


class Unavailable(DomainError):
    title = "Midlertidigt utilgængelig"


STATUS: dict[type[DomainError], int] = {
    InvalidInput: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    PreconditionFailed: 412,
    Unprocessable: 422,
    TooEarly: 425,
    PreconditionRequired: 428,
    TooManyRequests: 429,
    UpstreamFailed: 502,
    Unavailable: 503,
}

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
    autoescape=select_autoescape(default=True),
)


def render_page(
    status: int,
    title: str,
    reason: str,
    hint: str | None = None,
    refresh: int | None = None,
    *,
    request: Request | None = None,
    key: str | None = None,
    params: dict[str, Any] | None = None,
) -> Response[str]:
    """`refresh`: seconds after which the page loads itself again (a passing outage).

    With `request`, a page under a party's path carries that party's logo, colours, name,
    phone number and accessibility statement, and speaks the citizen's language (?lang=,
    the webapp's choice, Accept-Language); `key` names its messages in bff/locales."""
    nonce = new_nonce()
    page = _page_context(request, key, params) if request is not None else {"lang": "da"}
    words = page.pop("words", {})
    countdown = page.pop("countdown", None)
    html = _templates.get_template("error.html").render(
        title=words.get("title", title),
        reason=words.get("reason", reason),
        hint=words.get("hint", hint),
        meeting=words.get("meeting"),
        csp_nonce=nonce,
        refresh=refresh,
        countdown=countdown,
        **page,
    )
    response = Response(
        html, status_code=status, media_type=MediaType.HTML, headers=page_headers(nonce)
    )
    if request is not None and request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE, page["lang"], max_age=31_536_000, path="/", samesite="lax"
        )
    return response


def _party_of(request: Request) -> Any:
    first = request.url.path.strip("/").split("/", 1)[0]
    parties = getattr(request.app.state, "parties", None) or {}
    return parties.get(first) if first else None


def _page_context(request: Request, key: str | None, params: dict[str, Any] | None) -> dict:
    from bff.core.phones import display_phone  # bff.core.phones raises our InvalidInput

    lang = i18n.page_language(request)
    party = _party_of(request)
    # The party's uploaded branding when it has one (bff.branding), else its folder's.
    from bff.branding.pages import branding_of  # bff.branding raises our errors

    branding = branding_of(request, party) if party is not None else None
    manifest = branding.manifest if branding is not None else {}
    table = i18n.messages(lang, manifest)
    values = i18n.render_params(params, lang)
    words: dict[str, str] = {}
    if key:
        for part in ("title", "reason", "hint", "meeting"):
            text = i18n.translate(table, f"errorPage.{key}.{part}", values)
            if text is not None:
                words[part] = text
    context: dict[str, Any] = {
        "lang": lang,
        "words": words,
        "countdown": _countdown(table, key, params),
        "switch_to": i18n.translate(table, "errorPage.switchTo"),
        "switch_label": i18n.translate(table, "errorPage.switchLabel"),
        "switch_lang": "en" if lang == "da" else "da",
        "party": None,
    }
    if party is None:
        return context
    palette = manifest.get("colorPalette") or []
    logo = (manifest.get("images") or {}).get("logo")
    contact = party.contact
    context["party"] = {
        "name": manifest.get("brandName") or party.name,
        "logo": f"{branding.base}{logo}" if logo and branding else None,
        "brand": palette[7] if len(palette) == 11 else "#1c4482",
        "accessibility": party.options.accessibility_statement_url,
        "accessibility_label": i18n.translate(table, "errorPage.accessibilityStatement"),
        "help": i18n.translate(
            table, "errorPage.help", {"party": manifest.get("brandName") or party.name}
        ),
        "phone": contact.phone if contact else None,
        "phone_display": display_phone(contact.phone) if contact else None,
        "hours": (
            (getattr(contact.opening_hours, lang, None) or contact.opening_hours.da)
            if contact
            else None
        ),
    }
    return context


def _countdown(table: Any, key: str | None, params: dict[str, Any] | None) -> dict | None:
    """A link opened too early counts down to its opening and then opens itself (the page
    loads the link again): milliseconds to go by the server's clock, so a phone's wrong clock
    does not matter, and the words with `{time}` for the script to fill in."""
    opens = (params or {}).get("opens")
    if key != "link.tooEarly" or not isinstance(opens, i18n.Moment):
        return None
    left = max(1000, int((opens.at - datetime.now(UTC)).total_seconds() * 1000) + 500)
    return {
        "ms": left,
        "left": i18n.translate(table, "errorPage.link.tooEarly.countdown", {"time": "{time}"}),
        "opening": i18n.translate(table, "errorPage.link.tooEarly.opening"),
    }


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/schema", "/eventsink/"))


def _respond(
    request: Request,
    status: int,
    title: str,
    reason: str,
    hint: str | None,
    key: str | None = None,
    params: dict[str, Any] | None = None,
) -> Response:
    if _wants_json(request):
        return Response({"detail": reason}, status_code=status, media_type=MediaType.JSON)
    return render_page(status, title, reason, hint, request=request, key=key, params=params)


def domain_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    status = next(s for cls, s in STATUS.items() if isinstance(exc, cls))
    key = exc.key or ("tooMany" if isinstance(exc, TooManyRequests) else None)
    response = _respond(request, status, exc.title, exc.reason, exc.hint, key, exc.params)
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
    key = "notFound" if status == 404 else None
    response = _respond(request, status, "Der opstod en fejl", reason, None, key)
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
        request,
        500,
        "Der opstod en fejl",
        "Der opstod en uventet fejl. Prøv igen om lidt.",
        None,
        "internal",
    )


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    HTTPException: http_error_handler,
    RecursionError: too_deep_handler,
    Exception: internal_error_handler,
}
