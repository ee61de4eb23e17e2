"""Plugins: the party admin API, the plugin files, each plugin's settings, the plugin API."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from litestar import MediaType, Request, Response, delete, get, post, put, route
from litestar.exceptions import ValidationException
from litestar.openapi.spec import (
    Operation,
    SecurityScheme,
)
from litestar.params import FromPath, RequestBody
from litestar.response import File

from bff.auth.deps import PARTY_ADMIN
from bff.auth.guards import (
    PARTY_ADMIN_REFUSED,
    PartyAdminController,
)
from bff.branding.package import MAX_PACKAGE
from bff.core import store
from bff.core.deps import Injected, provide
from bff.core.errors import (
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthenticated,
    problem_for,
    unprocessable_body,
)
from bff.core.http import (
    EXPECTED_VERSION,
    GET_HEAD,
    cors_headers,
    cors_preflight,
    decode,
    error_response,
    error_responses,
    file_body,
    files_origin,
    required_bearer,
    separate_origin,
    with_etag,
)
from bff.core.security import origin_of, same_host
from bff.core.settings import Settings
from bff.joins.sessions import cookie_sid, load_session
from bff.meetings.deps import provide_meetings
from bff.meetings.models import GuestInvite
from bff.meetings.service import MeetingService
from bff.parties.deps import require_party
from bff.parties.models import Party
from bff.plugins.catalogue import CatalogueEntry
from bff.plugins.deps import DEPENDENCIES, provide_plugins
from bff.plugins.installed import InstalledPlugins, LiveCatalogue, read_plugin_zip
from bff.plugins.models import (
    CatalogueEntryOut,
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
log = logging.getLogger("bff.plugins")
ADMIN_KEY_SCHEME = {
    "adminKey": SecurityScheme(
        type="apiKey",
        name="X-Admin-Key",
        security_scheme_in="header",
        description="The party's admin key (python -m bff.parties add-admin-key)",
    )
}
ERRORS = {
    401: "No admin key and no login, or the key is unknown or another party's",
    403: PARTY_ADMIN_REFUSED,
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
    return with_etag(body, chosen.version)


@dataclass
class ZipUploadOperation(Operation):
    """InstallPlugin's body in the OpenAPI document (the handler reads it itself)."""

    def __post_init__(self) -> None:
        self.request_body = file_body("application/zip", "The built plugin (zip)")


class PluginAdminController(PartyAdminController):
    """A party's plugin set: read, replace (If-Match), history, rollback."""

    path = "/api/v1/parties/{party_id:str}/plugins"
    tags = ["Plugins"]
    request_max_body_size = MAX_SMALL_BODY  # the set and a package: larger, their own
    dependencies = DEPENDENCIES | PARTY_ADMIN | EXPECTED_VERSION
    exception_handlers = {ValidationException: unprocessable_body}  # the 422s

    @get(
        operation_id="GetPartyPlugins",
        summary="The party's plugin set, with the catalogue; ETag is its version",
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def read(
        self, party: Injected[Party], plugin_sets: Injected[PluginService]
    ) -> Response[PluginSetOut]:
        await plugin_sets.refresh()
        return _set_out(plugin_sets, await plugin_sets.current(party.id))

    @put(
        operation_id="PutPartyPlugins",
        summary="Replace the set (its order is the load order); If-Match required",
        description="Body {plugins: [{id, enabled, settings, sandboxValues, roles, allow}], "
        "sharedOriginAccepted}. Each plugin's settings are validated against its JSON Schema; "
        "422 names the field. Plugins granted allow-same-origin share one plugin origin (they "
        "can read each other's frames and tokens): a second one is 422 unless "
        "sharedOriginAccepted is true.",
        request_max_body_size=MAX_SET_BODY,
        responses=error_responses(ERRORS, 401, 403, 404, 412, 413, 422, 428),
    )
    async def replace(
        self,
        data: RequestBody[PluginSetIn],
        party: Injected[Party],
        plugin_sets: Injected[PluginService],
        expected_version: Injected[int],
        admin: Injected[str],
    ) -> Response[PluginSetOut]:
        chosen = await plugin_sets.replace(
            party.id, expected_version, data.plugins, admin, data.sharedOriginAccepted
        )
        return _set_out(plugin_sets, chosen)

    @get(
        "/history",
        operation_id="GetPartyPluginHistory",
        summary="Every kept version: who (admin key id) and when",
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def history(
        self, party: Injected[Party], plugin_sets: Injected[PluginService]
    ) -> list[HistoryEntry]:
        return await plugin_sets.history(party.id)

    @get(
        "/versions/{version:int}",
        operation_id="GetPartyPluginVersion",
        summary="One kept version of the set",
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def read_version(
        self,
        party: Injected[Party],
        version: FromPath[int],
        plugin_sets: Injected[PluginService],
    ) -> Any:
        return await plugin_sets.version(party.id, version)

    @post(
        "/rollback",
        operation_id="RollbackPartyPlugins",
        summary="A new version equal to an earlier one; If-Match required",
        status_code=200,
        responses=error_responses(ERRORS, 401, 403, 404, 412, 413, 422, 428),
    )
    async def rollback(
        self,
        data: RequestBody[RollbackIn],
        party: Injected[Party],
        plugin_sets: Injected[PluginService],
        expected_version: Injected[int],
        admin: Injected[str],
    ) -> Response[PluginSetOut]:
        chosen = await plugin_sets.rollback(party.id, expected_version, data.version, admin)
        return _set_out(plugin_sets, chosen)

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
        operation_class=ZipUploadOperation,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 409, 413, 422),
    )
    async def install(
        self,
        request: Request[Any, Any, Any],
        party: Injected[Party],
        installed: Injected[InstalledPlugins],
        admin: Injected[str],
    ) -> CatalogueEntryOut:
        kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if kind not in ("application/zip", "application/x-zip-compressed"):
            raise InvalidInput("Content-Type: application/zip (the built plugin's zip)")
        files = read_plugin_zip(await request.body())
        entry = await installed.install(files, f"{party.id}/{admin}")
        return entry.public()

    @delete(
        "/catalogue/{plugin_id:str}/{version:str}",
        operation_id="RemovePlugin",
        summary="Remove an installed plugin version no party uses",
        responses=error_responses(ERRORS, 401, 403, 404, 409),
        status_code=204,
    )
    async def remove(
        self,
        request: Request[Any, Any, Any],
        plugin_id: FromPath[str],
        version: FromPath[str],
        plugin_sets: Injected[PluginService],
        installed: Injected[InstalledPlugins],
        parties: Injected[dict[str, Party]],
    ) -> None:
        catalogue = await plugin_sets.refresh()
        entry = catalogue.get(plugin_id, version)
        if entry is None:
            raise NotFound(f"No plugin {plugin_id} {version} in the catalogue")
        in_use = await plugin_sets.parties_using(entry, list(parties))
        await installed.remove(plugin_id, version, in_use)


# -- files and settings, served to the plugins ---------------------------------------------


def plugin_page_csp(settings: Settings) -> str:
    """Plugin documents: their own files, our BFF (the plugin API), frames only in the app;
    `sandbox` keeps a plugin file opened on its own from running with any origin that
    matters (allow-same-origin only on a separate plugin origin)."""
    own = files_origin(settings)
    app = origin_of(settings.serving.public_url)
    ceiling = (
        "allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads"
    )
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


@route(
    "/plugin-files/{plugin_id:str}/{version:str}/{file:path}",
    http_method=GET_HEAD,
    include_in_schema=False,
    dependencies=DEPENDENCIES,
)
async def plugin_files(
    request: Request[Any, Any, Any],
    plugin_id: FromPath[str],
    version: FromPath[str],
    file: FromPath[str],
    settings: Injected[Settings],
    redis: Injected[store.Redis],
    catalogue: Injected[LiveCatalogue],
    installed: Injected[InstalledPlugins],
) -> Response[Any]:
    if separate_origin(settings) and not same_host(
        request.headers.get("host"), settings.plugins.origin or ""
    ):
        raise NotFound("Plugin files are served from the plugin origin only")
    entry = (await catalogue.refresh(redis)).get(plugin_id, version)
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
        content = await installed.file(entry, rel)
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
    request: Request[Any, Any, Any], party_id: FromPath[str], plugin_id: FromPath[str]
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
        401: error_response("No session"),
        404: error_response("Not a plugin of this page"),
        422: error_response("Bad body: names the field"),
    },
    dependencies=DEPENDENCIES,
)
async def report_registration(
    request: Request[Any, Any, Any],
    plugin_sets: Injected[PluginService],
    installed: Injected[InstalledPlugins],
    settings: Injected[Settings],
    redis: Injected[store.Redis],
) -> None:
    session = await load_session(redis, cookie_sid(request, settings))
    if session is None:
        raise Unauthenticated("A session is required (the page that loaded the plugin)")
    body: RegistrationIn = decode(await request.body(), RegistrationIn)
    loaded = await plugin_sets.page_plugins(session.party, session.grant.role)
    entry = next((e for e, _ in loaded if e.key == (body.id, body.version)), None)
    if entry is None:
        raise NotFound(f"id: {body.id} {body.version} is not a plugin of this session's page")
    if await installed.report(entry, body.registeredId):
        log.info("plugin %s %s registered as %s", body.id, body.version, body.registeredId)


# -- the plugin API (Bearer plugin token) ---------------------------------------------------

INVITES = "/api/plugin/v1/invites"


@route(INVITES, http_method=["OPTIONS"], include_in_schema=False)
async def invites_preflight(request: Request[Any, Any, Any]) -> Response[None]:
    return cors_preflight(request, "POST")


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
    responses=error_responses(INVITE_ERRORS, *INVITE_ERRORS),
    dependencies={"plugin_sets": provide(provide_plugins), "meetings": provide(provide_meetings)},
)
async def create_invite(
    request: Request[Any, Any, Any],
    plugin_sets: Injected[PluginService],
    meetings: Injected[MeetingService],
    parties: Injected[dict[str, Party]],
) -> Response[Any]:
    cors = cors_headers(request)
    try:
        if "origin" in request.headers and "Access-Control-Allow-Origin" not in cors:
            raise Forbidden("The plugin API answers the plugin origin only")
        holder = await plugin_sets.token_holder(required_bearer(request, "plugin token"), "invites")
        if holder is None:
            raise Unauthenticated("Unknown or expired plugin token")
        _, session, _ = holder
        if session.grant.role != "host":
            raise Forbidden("Only the meeting's host may invite")
        body: InviteIn = decode(await request.body(), InviteIn)
        party = parties.get(session.party)
        if party is None:  # the party left this installation since
            raise Unauthenticated("Unknown or expired plugin token")
        guest = GuestInvite(display_name=body.display_name, phone=body.phone)
        out = await meetings.add_guest(party, session.grant.meeting_id, guest)
    except DomainError as exc:
        response = problem_for(exc)
        response.headers.update(cors | {"Cache-Control": "no-store"})
        return response
    return Response(
        InviteOut(sms_sent=out.sms_sent, sms_error=out.sms_error),
        status_code=201,
        headers=cors | {"Cache-Control": "no-store"},
    )
