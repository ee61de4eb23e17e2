"""Branding in pages: which branding a page shows (`page_branding`, also for error pages
through `BrandingMiddleware`), an uploaded version's files, and the preview link."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from litestar import Request, Response, route
from litestar.datastructures import Cookie
from litestar.params import FromPath
from litestar.response import Redirect
from redis.exceptions import RedisError

from bff.branding.deps import provide_branding
from bff.branding.service import PREVIEW_TTL
from bff.core.deps import Injected, provide_settings
from bff.core.errors import NotFound
from bff.core.http import GET_HEAD, http_only_cookie
from bff.core.settings import Settings
from bff.parties.deps import provide_parties, require_party
from bff.parties.models import Party

PREVIEW_COOKIE = "bv_branding_preview"
END_PREVIEW = "end"  # /{party}/preview/end: a path, not a token


def version_base(party_id: str, number: int) -> str:
    return f"/{party_id}/branding/@{number}/" if number else f"/{party_id}/branding/"


# -- which branding a page shows -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageBranding:
    """The manifest a page renders and where its relative paths resolve. `preview`: shown to
    this browser only, before it is active (its number)."""

    manifest: dict[str, Any]
    base: str
    version: int
    preview: int | None = None

    @property
    def title(self) -> str | None:
        title = self.manifest.get("appTitle")
        return title if isinstance(title, str) else None


def _folder(party: Party) -> PageBranding:
    return PageBranding(party.manifest, version_base(party.id, 0), 0)


SCOPE_KEY = "bv_page_branding"  # in the request's scope state (BrandingMiddleware)


async def page_branding(
    request: Request[Any, Any, Any], party: Party, *, preview: bool = True, token: str | None = None
) -> PageBranding:
    """The party's branding for this page load: the browser's preview version when it holds a
    preview cookie (or `token`; not on admin pages: `preview=False`), else the active
    uploaded version, else the party folder's. Read from Redis at each load: every instance
    shows a change at the next page load."""
    state = request.scope.setdefault("state", {})
    known = state.get(SCOPE_KEY)
    if isinstance(known, PageBranding) and token is None and (preview or known.preview is None):
        return known
    service = provide_branding(request)
    found: PageBranding | None = None
    if preview:
        number = await service.preview_version(
            party.id, token or request.cookies.get(PREVIEW_COOKIE)
        )
        record = await service.record(party.id, number) if number else None
        if number == 0:
            found = PageBranding(party.manifest, version_base(party.id, 0), 0, preview=0)
        elif record is not None:
            found = PageBranding(
                record.manifest,
                version_base(party.id, record.version),
                record.version,
                preview=record.version,
            )
    if found is None:
        active = await service.active(party.id)
        found = (
            PageBranding(active.manifest, version_base(party.id, active.version), active.version)
            if active is not None
            else _folder(party)
        )
    state[SCOPE_KEY] = found
    return found


def branding_of(request: Request[Any, Any, Any], party: Party) -> PageBranding:
    """What `page_branding` found for this request, else the party folder's: for code that
    cannot wait on Redis (the error pages' exception handlers)."""
    known = request.scope.get("state", {}).get(SCOPE_KEY)
    path = request.url.path
    if isinstance(known, PageBranding) and (path + "/").startswith(f"/{party.id}/"):
        return known
    return _folder(party)


class BrandingMiddleware:
    """Page requests under a party's path (GET or HEAD; not its files, plugins or API) look
    up the party's branding before their handler runs, so an error page (rendered by a
    synchronous exception handler) shows the same branding as the app. Redis away: the
    folder's (the handler then answers 503 as usual)."""

    SKIP = frozenset({"branding", "plugins"})

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            parts = scope["path"].strip("/").split("/")
            request: Request[Any, Any, Any] = Request(scope)
            party = provide_parties(request).get(parts[0])
            if party is not None and (len(parts) < 2 or parts[1] not in self.SKIP):
                with suppress(RedisError):
                    await page_branding(request, party, preview=parts[1:2] != ["admin"])
        await self.app(scope, receive, send)


async def active_branding_plugins(
    request: Request[Any, Any, Any], party_id: str
) -> list[dict[str, Any]]:
    record = await provide_branding(request).active(party_id)
    return list(record.manifest.get("plugins", [])) if record else []


# -- the versioned files ---------------------------------------------------------------------


async def version_file(request: Request[Any, Any, Any], party: Party, rel: str) -> Response[bytes]:
    """`/{party}/branding/@<n>/<path>`: a file of an uploaded version, content-addressed. The
    active version is public; another only to a browser previewing it."""
    head, _, path = rel.partition("/")
    number = int(head[1:]) if head[1:].isdigit() and len(head) < 12 else -1
    if number <= 0 or not path:
        raise NotFound("Filen findes ikke.", key="fileNotFound")
    service = provide_branding(request)
    active = await service.active(party.id)
    public = active is not None and active.version == number
    record = active if public else None
    if record is None:
        shown = await service.preview_version(party.id, request.cookies.get(PREVIEW_COOKIE))
        record = await service.record(party.id, number) if shown == number else None
    ref = record.files.get(path) if record else None
    if ref is None:
        raise NotFound("Filen findes ikke.", key="fileNotFound")
    etag = f'"{ref.sha256[:32]}"'
    headers = {
        "ETag": etag,
        # Versioned URLs never change content; a draft is for its previewer only.
        "Cache-Control": "public, max-age=86400" if public else "private, no-cache",
        "Content-Security-Policy": BRANDING_FILE_CSP,
        "Content-Disposition": f'inline; filename="{PurePosixPath(path).name}"',
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(b"", status_code=304, headers=headers)
    body = await service.blob(party.id, ref.sha256)
    if body is None:
        raise NotFound("Filen findes ikke.", key="fileNotFound")
    return Response(body, media_type=ref.type, headers=headers)


# An SVG opened on its own must not run anything on our origin (it is cleaned anyway).
BRANDING_FILE_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; font-src 'self'; sandbox"
)


# -- the preview link (browser) ----------------------------------------------------------------


def _preview_cookie(settings: Settings, party: Party, token: str, max_age: int) -> Cookie:
    return http_only_cookie(settings, PREVIEW_COOKIE, token, max_age, path=f"/{party.id}/")


async def start_preview(request: Request[Any, Any, Any], party: Party, token: str) -> Cookie:
    if await provide_branding(request).preview_version(party.id, token) is None:
        raise NotFound(
            "Forhåndsvisningen er udløbet.",
            title="Forhåndsvisning",
            hint="Åbn forhåndsvisningen igen fra siden Branding.",
        )
    return _preview_cookie(provide_settings(request), party, token, PREVIEW_TTL)


@route("/{party_id:str}/preview/{token:str}", http_method=GET_HEAD, include_in_schema=False)
async def open_preview(
    request: Request[Any, Any, Any],
    party_id: FromPath[str],
    token: FromPath[str],
    settings: Injected[Settings],
) -> Redirect:
    """Sets the preview cookie and opens the start page; `end` ends the preview."""
    party = require_party(request, party_id)
    if token == END_PREVIEW:
        await provide_branding(request).end_preview(party.id, request.cookies.get(PREVIEW_COOKIE))
        cookie = _preview_cookie(settings, party, "", 0)  # forgets it
    else:
        cookie = await start_preview(request, party, token)
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    return Redirect(f"/{party.id}/", status_code=303, cookies=[cookie], headers=headers)


def preview_config(branding: PageBranding, party: Party) -> dict[str, Any] | None:
    """`brandingPreview` in the app shell's config: the banner that says so, and its end."""
    if branding.preview is None:
        return None
    return {"version": branding.preview, "endUrl": f"/{party.id}/preview/end"}
