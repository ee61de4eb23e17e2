"""Plugins: the party admin API, the plugin files, each plugin's settings, the plugin API."""

from __future__ import annotations

import logging
import re
from pathlib import Path, PurePosixPath
from typing import Any

import msgspec
from litestar import Controller, MediaType, Request, Response, delete, get, post, put, route
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import SecurityScheme
from litestar.params import FromPath
from litestar.response import File

from bff.auth.guards import requires_party_admin
from bff.branding.package import MAX_PACKAGE
from bff.core.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionRequired,
    Unauthenticated,
    Unprocessable,
    domain_error_handler,
)
from bff.core.security import origin_of, same_host
from bff.core.settings import Settings
from bff.joins.controller import require_party
from bff.joins.sessions import cookie_sid, load_session
from bff.meetings.controller import ErrorBody, provide_meetings
from bff.meetings.models import GuestInvite
from bff.parties.models import Party
from bff.plugins.catalogue import CatalogueEntry
from bff.plugins.installed import InstalledPlugins, read_plugin_zip
from bff.plugins.models import (
    HistoryEntry,
    InviteIn,
    InviteOut,
    PluginSetIn,
    PluginSetOut,
    RegistrationIn,
    RollbackIn,
)
from bff.plugins.service import REGISTRATIONS, PluginService

MAX_SET_BODY = 64 * 1024
MAX_SMALL_BODY = 4 * 1024
MAX_ZIP_BODY = MAX_PACKAGE + 1024  # beyond the zip's own limit (a 422): 413
GET_HEAD = ["GET", "HEAD"]
log = logging.getLogger("bff.plugins")
_AT = re.compile(r"^(?P<msg>.*) - at `\$(?P<path>[^`]*)`$")
ADMIN_KEY_SCHEME = {
    "adminKey": SecurityScheme(
        type="apiKey",
        name="X-Admin-Key",
        security_scheme_in="header",
        description="The party's admin key (python -m bff.parties add-admin-key)",
    )
}
ERRORS = {
    401: "X-Admin-Key missing, unknown, or another party's",
    404: "No such party (or version)",
    409: "The plugin version is in use by parties (named), or in the catalogue folder",
    412: "If-Match names an older version: read again",
    413: "Body too large",
    400: "Not Content-Type: application/zip",
    422: "The set (or the plugin zip) is not valid: the reason names the field (or file)",
    428: "If-Match missing: send the ETag you read",
}


INVITE_ERRORS = {
    401: "Plugin token missing, unknown or replaced; session over; plugin switched off",
    403: "A guest's grant (hosts invite), or a request from another origin",
    410: "The meeting ended or was cancelled",
    413: "Body too large",
    422: "Bad body: the reason names the field",
    429: "A booking or SMS limit: see Retry-After",
}


def _errors(*codes: int, texts: dict[int, str] = ERRORS) -> dict[int, ResponseSpec]:
    return {c: ResponseSpec(data_container=ErrorBody, description=texts[c]) for c in codes}


def separate_origin(settings: Settings) -> bool:
    return settings.plugin_origin is not None and settings.plugin_origin != origin_of(
        settings.public_url
    )


def files_origin(settings: Settings) -> str:
    """Where plugin files come from: the plugin origin, or the app's own."""
    return settings.plugin_origin if separate_origin(settings) else origin_of(settings.public_url)


def provide_plugins(request: Request) -> PluginService:
    from bff.branding.pages import active_branding_plugins  # bff.branding imports this module

    state = request.app.state
    return PluginService(
        state.redis,
        state.plugin_catalogue,
        separate_origin=separate_origin(state.settings),
        branding_plugins=lambda party_id: active_branding_plugins(request, party_id),
    )


def _decode(raw: bytes, kind: type[Any]) -> Any:
    """422 naming the field for a body of the wrong shape (400 when it is not JSON)."""
    try:
        return msgspec.json.decode(raw, type=kind)
    except msgspec.ValidationError as exc:
        match = _AT.match(str(exc))
        field = match["path"].lstrip(".") if match else ""
        raise Unprocessable(f"{field or 'body'}: {match['msg'] if match else exc}") from exc
    except msgspec.DecodeError as exc:
        raise InvalidInput("body: not valid JSON") from exc


def if_match(request: Request) -> int:
    raw = request.headers.get("if-match")
    if raw is None or raw.strip() == "*":
        raise PreconditionRequired(
            'If-Match is required: send the ETag of the version you read (e.g. If-Match: "3")'
        )
    value = raw.strip().removeprefix("W/").strip('"')
    return int(value) if value.isdigit() and len(value) < 12 else -1


def provide_installed(request: Request) -> InstalledPlugins:
    return InstalledPlugins(request.app.state.redis, request.app.state.plugin_catalogue)


def _set_out(service: PluginService, chosen: Any) -> Response[PluginSetOut]:
    body = PluginSetOut(
        version=chosen.version,
        at=chosen.at,
        by=chosen.by,
        plugins=chosen.plugins,
        catalogue=[entry.public() for entry in service.catalogue.values()],
        allowedSandboxValues=list(service.allowed_sandbox),
        sharedOriginAccepted=chosen.sharedOriginAccepted,
    )
    return Response(body, headers={"ETag": f'"{chosen.version}"'})


class PluginAdminController(Controller):
    """A party's plugin set: read, replace (If-Match), history, rollback."""

    path = "/api/v1/parties/{party_id:str}/plugins"
    tags = ["Plugins"]  # noqa: RUF012
    guards = [requires_party_admin]  # noqa: RUF012
    security = [{"adminKey": []}]  # noqa: RUF012
    cache_control = CacheControlHeader(no_store=True)
    dependencies = {"plugins": Provide(provide_plugins, sync_to_thread=False)}  # noqa: RUF012

    @get(
        operation_id="GetPartyPlugins",
        summary="The party's plugin set, with the catalogue; ETag is its version",
        responses=_errors(401, 404),
    )
    async def read(
        self, request: Request, plugins: NamedDependency[PluginService]
    ) -> Response[PluginSetOut]:
        party: Party = request.state.party
        await plugins.refresh()
        return _set_out(plugins, await plugins.current(party.id))

    @put(
        operation_id="PutPartyPlugins",
        summary="Replace the set (its order is the load order); If-Match required",
        description="Body {plugins: [{id, enabled, settings, sandboxValues, roles, allow}], "
        "sharedOriginAccepted}. Each plugin's settings are validated against its JSON Schema; "
        "422 names the field. Plugins granted allow-same-origin share one plugin origin (they "
        "can read each other's frames and tokens): a second one is 422 unless "
        "sharedOriginAccepted is true.",
        request_max_body_size=MAX_SET_BODY,
        responses=_errors(401, 404, 412, 413, 422, 428),
    )
    async def replace(
        self, request: Request, plugins: NamedDependency[PluginService]
    ) -> Response[PluginSetOut]:
        party: Party = request.state.party
        expected = if_match(request)
        body: PluginSetIn = _decode(await request.body(), PluginSetIn)
        chosen = await plugins.replace(party.id, expected, body.plugins, request.state.admin,
                                       body.sharedOriginAccepted)  # fmt: skip
        return _set_out(plugins, chosen)

    @get(
        "/history",
        operation_id="GetPartyPluginHistory",
        summary="Every kept version: who (admin key id) and when",
        responses=_errors(401, 404),
    )
    async def history(
        self, request: Request, plugins: NamedDependency[PluginService]
    ) -> list[HistoryEntry]:
        return await plugins.history(request.state.party.id)

    @get(
        "/versions/{version:int}",
        operation_id="GetPartyPluginVersion",
        summary="One kept version of the set",
        responses=_errors(401, 404),
    )
    async def read_version(
        self, request: Request, version: FromPath[int], plugins: NamedDependency[PluginService]
    ) -> Any:
        return await plugins.version(request.state.party.id, version)

    @post(
        "/rollback",
        operation_id="RollbackPartyPlugins",
        summary="A new version equal to an earlier one; If-Match required",
        request_max_body_size=MAX_SMALL_BODY,
        status_code=200,
        responses=_errors(401, 404, 412, 413, 422, 428),
    )
    async def rollback(
        self, request: Request, plugins: NamedDependency[PluginService]
    ) -> Response[PluginSetOut]:
        party: Party = request.state.party
        expected = if_match(request)
        body: RollbackIn = _decode(await request.body(), RollbackIn)
        chosen = await plugins.rollback(party.id, expected, body.version, request.state.admin)
        return _set_out(plugins, chosen)

    @post(
        "/catalogue",
        operation_id="InstallPlugin",
        summary="Install a built plugin (a zip holding plugin.json beside its build)",
        description="Body: the zip, Content-Type: application/zip. Checked like a branding "
        "package (size, entries, compression ratio, paths, no symlinks, file types) and its "
        "plugin.json like the catalogue folder's. Every BFF instance serves it at once (from "
        "the plugin origin), no restart; the same id and version again replaces it. Answers "
        "the catalogue entry with the id the build registers with, where it is a literal.",
        request_max_body_size=MAX_ZIP_BODY,
        status_code=201,
        responses=_errors(400, 401, 404, 409, 413, 422),
    )
    async def install(self, request: Request) -> dict[str, Any]:
        kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind not in ("application/zip", "application/x-zip-compressed"):
            raise InvalidInput("Content-Type: application/zip (the built plugin's zip)")
        files = read_plugin_zip(await request.body())
        party: Party = request.state.party
        entry = await provide_installed(request).install(files, f"{party.id}/{request.state.admin}")
        return entry.public()

    @delete(
        "/catalogue/{plugin_id:str}/{version:str}",
        operation_id="RemovePlugin",
        summary="Remove an installed plugin version no party uses",
        responses=_errors(401, 404, 409),
        status_code=204,
    )
    async def remove(
        self, request: Request, plugin_id: FromPath[str], version: FromPath[str],
        plugins: NamedDependency[PluginService],
    ) -> None:  # fmt: skip
        catalogue = await plugins.refresh()
        entry = catalogue.get(plugin_id, version)
        if entry is None:
            raise NotFound(f"No plugin {plugin_id} {version} in the catalogue")
        in_use = await plugins.parties_using(entry, list(request.app.state.parties))
        await provide_installed(request).remove(plugin_id, version, in_use)


# -- files and settings, served to the plugins ---------------------------------------------


def plugin_page_csp(settings: Settings) -> str:
    """Plugin documents: their own files, our BFF (the plugin API), frames only in the app;
    `sandbox` keeps a plugin file opened on its own from running with any origin that
    matters (allow-same-origin only on a separate plugin origin)."""
    own = files_origin(settings)
    app = origin_of(settings.public_url)
    ceiling = "allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox " \
              "allow-downloads"  # fmt: skip
    if separate_origin(settings):
        ceiling += " allow-same-origin"
    return (
        f"default-src 'self' {own}; script-src 'self' {own}; "
        f"style-src 'self' {own} 'unsafe-inline'; img-src 'self' {own} data: blob: https:; "
        f"font-src 'self' {own} data:; media-src 'self' {own} blob: https:; "
        f"connect-src 'self' {own} {app} https:; frame-src 'self' {own}; "
        f"frame-ancestors {app}; object-src 'none'; base-uri 'self'; form-action 'self'; "
        f"sandbox {ceiling}"
    )


def _parts(rel: str) -> tuple[str, ...]:
    parts = PurePosixPath(rel).parts
    if not parts or any(p in (".", "..") or p.startswith(".") or "\\" in p for p in parts):
        raise NotFound("No such plugin file")
    return parts


def plugin_file(entry: CatalogueEntry, rel: str) -> Path:
    parts = _parts(rel)
    base = entry.files.resolve()
    target = (base / PurePosixPath(*parts)).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        raise NotFound("No such plugin file")
    return target


def cors_origin(request: Request) -> str | None:
    """The request's Origin when the plugin API answers it: the plugin origin, or `null`
    (a plugin sandboxed without allow-same-origin has an opaque origin)."""
    origin = request.headers.get("origin")
    if origin is None:
        return None
    allowed = {files_origin(request.app.state.settings), "null"}
    return origin if origin.lower() in allowed else None


def cors_headers(request: Request) -> dict[str, str]:
    origin = cors_origin(request)
    headers = {"Vary": "Origin"}
    if origin is not None:
        headers["Access-Control-Allow-Origin"] = origin
    return headers


@route(
    "/plugin-files/{plugin_id:str}/{version:str}/{file:path}",
    http_method=GET_HEAD,
    include_in_schema=False,
)
async def plugin_files(
    request: Request, plugin_id: FromPath[str], version: FromPath[str], file: FromPath[str]
) -> File:
    settings: Settings = request.app.state.settings
    if separate_origin(settings) and not same_host(request.headers.get("host"),
                                                   settings.plugin_origin or ""):  # fmt: skip
        raise NotFound("Plugin files are served from the plugin origin only")
    catalogue = await request.app.state.plugin_catalogue.refresh(request.app.state.redis)
    entry = catalogue.get(plugin_id, version)
    if entry is None:
        raise NotFound("No such plugin or version")
    headers = {
        "Cache-Control": "no-cache",
        "Content-Security-Policy": plugin_page_csp(settings),
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        # Public code: module scripts in an opaque-origin (sandboxed) frame load by CORS.
        "Access-Control-Allow-Origin": "*",
    }
    if entry.stored is not None:  # installed while running: its bytes are in Redis
        rel = "/".join(_parts(file.lstrip("/")))
        content = await provide_installed(request).file(entry, rel)
        if rel not in entry.stored or content is None:
            raise NotFound("No such plugin file")
        return Response(content, media_type=entry.stored[rel], headers=headers)
    path = plugin_file(entry, file.lstrip("/"))
    return File(path, filename=path.name, content_disposition_type="inline", headers=headers)


@route(
    "/{party_id:str}/plugins/{plugin_id:str}/config.json",
    http_method=GET_HEAD,
    include_in_schema=False,
)
async def plugin_config(
    request: Request, party_id: FromPath[str], plugin_id: FromPath[str]
) -> Response[dict[str, Any]]:
    party = require_party(request, party_id)
    service = provide_plugins(request)
    catalogue = await service.refresh()
    chosen = next((p for p in (await service.current(party.id)).plugins if p.id == plugin_id), None)
    entry = catalogue.get(plugin_id, chosen.version if chosen else None)
    if entry is None:
        raise NotFound("No such plugin")
    return Response(
        service.effective_settings(entry, chosen),
        media_type=MediaType.JSON,
        headers={"Cache-Control": "no-cache", **cors_headers(request)},
    )


@post(
    REGISTRATIONS,
    operation_id="ReportPluginRegistration",
    tags=["Plugins"],
    summary="The plugin host reports the id a plugin registered with (its first load)",
    description="For the app's own page: a plugin whose build does not name its id as a "
    "literal is checked at its first load. The session's page must load that version; the "
    "first report counts. A mismatch with plugin.json's id shows on the admin page and the "
    "plugin is not started again.",
    request_max_body_size=MAX_SMALL_BODY,
    status_code=204,
    responses={
        401: ResponseSpec(data_container=ErrorBody, description="No session"),
        404: ResponseSpec(data_container=ErrorBody, description="Not a plugin of this page"),
        422: ResponseSpec(data_container=ErrorBody, description="Bad body: names the field"),
    },
    dependencies={"plugins": Provide(provide_plugins, sync_to_thread=False)},
)
async def report_registration(request: Request, plugins: NamedDependency[PluginService]) -> None:
    state = request.app.state
    session = await load_session(state.redis, cookie_sid(request, state.settings))
    if session is None:
        raise Unauthenticated("A session is required (the page that loaded the plugin)")
    body: RegistrationIn = _decode(await request.body(), RegistrationIn)
    loaded = await plugins.page_plugins(session.party, session.grant.role)
    entry = next((e for e, _ in loaded if e.key == (body.id, body.version)), None)
    if entry is None:
        raise NotFound(f"id: {body.id} {body.version} is not a plugin of this session's page")
    if await provide_installed(request).report(entry, body.registeredId):
        log.info("plugin %s %s registered as %s", body.id, body.version, body.registeredId)


# -- the plugin API (Bearer plugin token) ---------------------------------------------------

INVITES = "/api/plugin/v1/invites"


def _bearer(request: Request) -> str:
    values = request.headers.getall("authorization", [])
    scheme, _, token = (values[0] if len(values) == 1 else "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Authorization: Bearer <plugin token> is required")
    return token.strip()


@route(INVITES, http_method=["OPTIONS"], include_in_schema=False)
async def invites_preflight(request: Request) -> Response[None]:
    headers = cors_headers(request)
    if "Access-Control-Allow-Origin" in headers:
        headers |= {
            "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "authorization, content-type",
            "Access-Control-Max-Age": "600",
        }
    return Response(None, status_code=204, headers=headers)


@post(
    INVITES,
    operation_id="PluginInvite",
    tags=["Plugin API"],
    summary="Invite a guest to the caller's meeting by SMS (host plugin token)",
    description="For plugins: Authorization: Bearer <the token from the plugin's src "
    "fragment, bv-plugin-token>. Creates a guest link for the session's meeting and sends "
    "it by SMS under the party's and the number's SMS limits.",
    request_max_body_size=MAX_SMALL_BODY,
    status_code=201,
    include_in_schema=True,
    responses=_errors(*INVITE_ERRORS, texts=INVITE_ERRORS),
    dependencies={"plugins": Provide(provide_plugins, sync_to_thread=False)},
)
async def create_invite(request: Request, plugins: NamedDependency[PluginService]) -> Response[Any]:
    cors = cors_headers(request)
    try:
        if "origin" in request.headers and "Access-Control-Allow-Origin" not in cors:
            raise Forbidden("The plugin API answers the plugin origin only")
        holder = await plugins.token_holder(_bearer(request), "invites")
        if holder is None:
            raise Unauthenticated("Unknown or expired plugin token")
        _, session, _ = holder
        if session.grant.role != "host":
            raise Forbidden("Only the meeting's host may invite")
        body: InviteIn = _decode(await request.body(), InviteIn)
        party = request.app.state.parties.get(session.party)
        if party is None:  # the party left this installation since
            raise Unauthenticated("Unknown or expired plugin token")
        meetings = provide_meetings(request)
        guest = GuestInvite(display_name=body.display_name, phone=body.phone)
        out = await meetings.add_guest(party, session.grant.meeting_id, guest)
    except DomainError as exc:
        response = domain_error_handler(request, exc)
        response.headers.update(cors | {"Cache-Control": "no-store"})
        return response
    return Response(
        InviteOut(sms_sent=out.sms_sent, sms_error=out.sms_error),
        status_code=201,
        headers=cors | {"Cache-Control": "no-store"},
    )
