"""Error pages: a friendly page in the citizen's language for every error a browser meets
(the API's errors are problem details: bff.core.errors), under a party's path with the
party's branding, phone number and accessibility statement."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import MediaType, Request, Response

from bff.branding.pages import branding_of
from bff.core import i18n
from bff.core.errors import ErrorPage
from bff.core.phones import display_phone
from bff.core.security import new_nonce, page_headers
from bff.parties.deps import party_of_page

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent.parent / "templates"),
    autoescape=select_autoescape(default=True),
)


def render_page(page: ErrorPage, request: Request[Any, Any, Any] | None = None) -> Response[str]:
    """With `request`, a page under a party's path carries that party's logo, colours, name,
    phone number and accessibility statement, and speaks the citizen's language (?lang=,
    the webapp's choice, Accept-Language); `key` names its messages in bff/locales."""
    nonce = new_nonce()
    context: dict[str, Any] = (
        _page_context(request, page.key, page.params) if request is not None else {"lang": "da"}
    )
    words: dict[str, str] = context.pop("words", {})
    countdown = context.pop("countdown", None)
    html = _templates.get_template("error.html").render(
        title=words.get("title", page.title),
        reason=words.get("reason", page.reason),
        hint=words.get("hint", page.hint),
        meeting=words.get("meeting"),
        csp_nonce=nonce,
        refresh=page.refresh,
        countdown=countdown,
        **context,
    )
    response = Response(
        html, status_code=page.status, media_type=MediaType.HTML, headers=page_headers(nonce)
    )
    if request is not None and request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANG_COOKIE, context["lang"], max_age=31_536_000, path="/", samesite="lax"
        )
    return response


def _page_context(
    request: Request[Any, Any, Any], key: str | None, params: dict[str, Any] | None
) -> dict[str, Any]:

    lang = i18n.page_language(request)
    party = party_of_page(request)
    # The party's uploaded branding when it has one (bff.branding), else its folder's.
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


def _countdown(table: Any, key: str | None, params: dict[str, Any] | None) -> dict[str, Any] | None:
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
