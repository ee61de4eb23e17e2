"""Branding: the party admin API (upload, versions, activate, preview links)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from litestar import Request, Response, get, post
from litestar.exceptions import HTTPException
from litestar.openapi.spec import (
    Operation,
)
from litestar.params import FromPath, FromQuery
from python_multipart.multipart import MultipartParser, parse_options_header

from bff.auth.deps import PARTY_ADMIN
from bff.auth.guards import (
    PARTY_ADMIN_REFUSED,
    PartyAdminController,
)
from bff.branding.deps import provide_branding
from bff.branding.models import (
    BrandingState,
    PreviewOut,
    UploadOut,
    VersionDetail,
    VersionOut,
    VersionRecord,
    folder_version,
)
from bff.branding.package import (
    MAX_ENTRIES,
    MAX_FILE,
    MAX_PACKAGE,
    MAX_RATIO,
    MAX_TOTAL,
    refuse,
)
from bff.branding.pages import version_base
from bff.branding.service import MAX_VERSIONS, BrandingService, stale
from bff.branding.validate import validate_package
from bff.core.deps import Injected, provide
from bff.core.errors import InvalidInput, NotFound, Unprocessable
from bff.core.http import EXPECTED_VERSION, error_responses, file_body, with_etag
from bff.parties.models import Party
from bff.plugins.deps import provide_plugins
from bff.plugins.models import PartyPluginIn

UPLOAD_FIELD = "package"
MAX_BODY = MAX_PACKAGE + 1024 * 1024  # beyond the package's own limit (a 422): 413
ERRORS = {
    400: "The body is not multipart/form-data with one file in the field 'package'",
    401: "No admin key and no login, or the key is unknown or another party's",
    403: PARTY_ADMIN_REFUSED,
    404: "No such party or version",
    412: "If-Match names an older revision: read again",
    413: "Body too large",
    422: "The package was refused: the reason names the file and the problem",
    428: "If-Match missing: send the ETag you read",
    429: "Another upload of this party's branding is being checked: see Retry-After",
}


@dataclass
class UploadOperation(Operation):
    """The upload's body in the OpenAPI document (the handler streams it itself)."""

    def __post_init__(self) -> None:
        self.request_body = file_body(
            "multipart/form-data", "The Webapp3 branding package (zip)", UPLOAD_FIELD
        )


# -- the upload --------------------------------------------------------------------------------


async def read_upload(request: Request[Any, Any, Any]) -> bytes:
    """The zip from a multipart/form-data body (python-multipart's streaming parser): one
    file, in the field `package`; more than MAX_PACKAGE bytes of it is refused at once."""
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise InvalidInput("body: multipart/form-data with the zip in the field 'package'")
    found: list[bytearray] = []
    headers: dict[bytes, bytes] = {}
    field: list[bytes] = [b"", b""]
    current: bytearray | None = None

    def on_header_field(data: bytes, start: int, end: int) -> None:
        field[0] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        field[1] += data[start:end]

    def on_header_end() -> None:
        headers[field[0].strip().lower()] = field[1].strip()
        field[0], field[1] = b"", b""

    def on_headers_finished() -> None:
        nonlocal current
        _, disposition = parse_options_header(headers.get(b"content-disposition", b""))
        if disposition.get(b"name") != UPLOAD_FIELD.encode() or b"filename" not in disposition:
            raise InvalidInput("body: only the file field 'package' is taken")
        if found:
            raise InvalidInput("body: one file in the field 'package', not more")
        current = bytearray()
        found.append(current)

    def on_part_data(data: bytes, start: int, end: int) -> None:
        assert current is not None
        current.extend(data[start:end])
        if len(current) > MAX_PACKAGE:
            raise refuse(f"package: larger than {MAX_PACKAGE // 2**20} MiB")

    def on_part_end() -> None:
        headers.clear()

    parser = MultipartParser(
        boundary,
        callbacks={
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except (InvalidInput, Unprocessable, HTTPException):  # HTTPException: 413 from Litestar
        raise
    except Exception as exc:  # python-multipart's parse errors
        raise InvalidInput(f"body: not valid multipart/form-data ({type(exc).__name__})") from exc
    if not found or not found[0]:
        raise InvalidInput("body: no file in the field 'package'")
    return bytes(found[0])


def _check_plugins(request: Request[Any, Any, Any]) -> Any:
    service = provide_plugins(request)

    def check(refs: list[dict[str, Any]]) -> None:
        items = [PartyPluginIn(r["id"], sandboxValues=r.get("sandboxValues")) for r in refs]
        for index, item in enumerate(items):
            if item.id not in service.catalogue:
                raise refuse(
                    f"manifest.json: plugins[{index}].id: no plugin {item.id!r} in this "
                    "installation's catalogue (plugin code is not taken from branding "
                    "packages: the operator adds plugins, see the README)"
                )
        try:
            service.validate(items)
        except Unprocessable as exc:
            raise refuse(f"manifest.json: {exc.reason}") from exc

    return check


def _plugin_by_src(request: Request[Any, Any, Any]) -> Callable[[str], str | None]:
    """A Webapp3 `{"src": ...}` entry's catalogue plugin: the last segment of its path that is
    a plugin id or a catalogue folder's name (`./plugins/sms-invite/index.html`)."""
    catalogue = provide_plugins(request).catalogue
    by_name = {entry.id: entry.id for entry in catalogue.values()}
    by_name |= {entry.source.parent.name: entry.id for entry in catalogue.values()}

    def match(src: str) -> str | None:
        segments = [part for part in urlsplit(src).path.split("/") if part not in ("", ".", "..")]
        return next((by_name[s] for s in reversed(segments) if s in by_name), None)

    return match


# -- the admin API -----------------------------------------------------------------------------


def _version_out(record: VersionRecord, active: int) -> VersionOut:
    name = record.manifest.get("brandName")
    return VersionOut(
        version=record.version,
        at=record.at,
        by=record.by,
        brandName=name if isinstance(name, str) else None,
        size=record.size,
        files=len(record.files),
        sha256=record.sha256,
        active=record.version == active,
    )


async def _state(service: BrandingService, party: Party) -> BrandingState:
    revision, active, records, entries = await service.overview(party.id)
    last = next((e for e in reversed(entries) if e.event == "activate"), None)
    return BrandingState(
        revision=revision,
        active=active,
        activatedAt=last.at if last else None,
        activatedBy=last.by if last else None,
        versions=[
            *(_version_out(r, active) for r in sorted(records, key=lambda r: -r.version)),
            _version_out(folder_version(party.manifest), active),
        ],
        log=entries,
        limits={
            "maxPackageBytes": MAX_PACKAGE,
            "maxEntries": MAX_ENTRIES,
            "maxFileBytes": MAX_FILE,
            "maxTotalBytes": MAX_TOTAL,
            "maxRatio": MAX_RATIO,
            "keptVersions": MAX_VERSIONS,
        },
    )


class BrandingAdminController(PartyAdminController):
    """A party's uploaded branding packages: versions, upload, activate, preview."""

    path = "/api/v1/parties/{party_id:str}/branding"
    tags = ["Branding"]
    dependencies = {"branding": provide(provide_branding), **PARTY_ADMIN, **EXPECTED_VERSION}

    @get(
        operation_id="GetPartyBranding",
        summary="The party's branding versions and which is active; ETag is the revision",
        description="Version 0 is the party folder's own branding (branding/<party>/).",
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def read(
        self, party: Injected[Party], branding: Injected[BrandingService]
    ) -> Response[BrandingState]:
        state = await _state(branding, party)
        return with_etag(state, state.revision)

    @post(
        operation_id="UploadPartyBranding",
        summary="Upload a Webapp3 branding package (zip); If-Match required",
        description="multipart/form-data, the zip in the field `package`. Checked in full "
        "(limits, paths, file types, SVG, CSS, images, the manifest, the palette's contrast); "
        "a refusal is 422 naming the file and the problem, and changes nothing. Kept as a new "
        "version; active at once unless `activate=false` (then preview it and activate it).",
        request_max_body_size=MAX_BODY,
        operation_class=UploadOperation,
        status_code=201,
        responses=error_responses(ERRORS, 400, 401, 403, 404, 412, 413, 422, 428, 429),
    )
    async def upload(
        self,
        party: Injected[Party],
        request: Request[Any, Any, Any],
        branding: Injected[BrandingService],
        expected_version: Injected[int],
        admin: Injected[str],
        activate: FromQuery[bool] = True,
    ) -> Response[UploadOut]:
        current = await branding.revision(party.id)
        if current != expected_version:  # before reading megabytes; checked again when stored
            raise stale(expected_version, current)
        async with branding.uploading(party.id):
            data = await read_upload(request)
            palette = party.manifest.get("colorPalette")
            await provide_plugins(request).refresh()  # plugins installed on another instance too
            package = await asyncio.to_thread(
                validate_package,
                data,
                _check_plugins(request),
                _plugin_by_src(request),
                palette if isinstance(palette, list) else None,
            )
            record, _ = await branding.upload(
                party.id, expected_version, package, admin, activate=activate
            )
        state = await _state(branding, party)
        out = UploadOut(state=state, version=_version_out(record, state.active), notes=record.notes)
        return with_etag(out, state.revision, 201)

    @get(
        "/{version:int}",
        operation_id="GetPartyBrandingVersion",
        summary="One version: its manifest as pages render it, its files, notes",
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def read_version(
        self,
        party: Injected[Party],
        version: FromPath[int],
        branding: Injected[BrandingService],
    ) -> VersionDetail:
        if version == 0:
            record: VersionRecord | None = folder_version(party.manifest)
        else:
            record = await branding.record(party.id, version)
        if record is None:
            raise NotFound(f"No version {version} (the last {MAX_VERSIONS} are kept)")
        active = await branding.active(party.id)
        return VersionDetail(
            version=record.version,
            at=record.at,
            by=record.by,
            active=(active.version if active else 0) == version,
            manifest=record.manifest,
            brandingBase=version_base(party.id, version),
            files=record.files,
            notes=record.notes,
        )

    @post(
        "/{version:int}/activate",
        operation_id="ActivatePartyBranding",
        summary="Make a kept version (0: the party folder's) the one pages show; If-Match",
        status_code=200,
        responses=error_responses(ERRORS, 401, 403, 404, 412, 428),
    )
    async def activate(
        self,
        party: Injected[Party],
        version: FromPath[int],
        branding: Injected[BrandingService],
        expected_version: Injected[int],
        admin: Injected[str],
    ) -> Response[BrandingState]:
        await branding.activate(party.id, expected_version, version, admin)
        state = await _state(branding, party)
        return with_etag(state, state.revision)

    @post(
        "/{version:int}/preview",
        operation_id="PreviewPartyBranding",
        summary="A link that shows this version to the browser opening it (30 minutes)",
        description="Opening `url` sets a preview cookie for the party's pages (not its admin "
        "pages) and shows the start page with this version; `errorUrl` an example error page. "
        "Nobody else sees it. `/{party}/preview/end` ends it.",
        status_code=201,
        responses=error_responses(ERRORS, 401, 403, 404),
    )
    async def preview(
        self,
        party: Injected[Party],
        version: FromPath[int],
        branding: Injected[BrandingService],
    ) -> PreviewOut:
        token, expires = await branding.new_preview(party.id, version)
        return PreviewOut(
            url=f"/{party.id}/preview/{token}",
            errorUrl=f"/{party.id}/preview/{token}/fejl",
            expiresAt=expires.isoformat(timespec="seconds"),
        )
