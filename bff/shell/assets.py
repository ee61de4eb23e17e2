"""The web app's built files (`/assets/*`): read once at start, gzipped once, served from memory.

Every name carries its content hash (Vite), so an answer is cached for a year and never
revalidated; a browser that asks anyway gets 304 on its ETag. A citizen on a slow phone
line loads about a third of the bytes the files have on disk.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar import Request, Response, route
from litestar.params import FromPath

from bff.core.deps import Injected
from bff.core.errors import NotFound
from bff.core.http import GET_HEAD

IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MIN_GZIP = 512  # smaller files gain less than the header costs
TYPES = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True, slots=True)
class BuiltAsset:
    media_type: str
    etag: str
    plain: bytes
    gzipped: bytes | None


def _media_type(path: Path) -> str:
    return (
        TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )


def load_assets(directory: Path) -> dict[str, BuiltAsset]:
    """Every file directly in `directory` by name (none when the app is not built)."""
    found: dict[str, BuiltAsset] = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.iterdir()):
        if not path.is_file():
            continue
        plain = path.read_bytes()
        media_type = _media_type(path)
        gzipped = None
        if media_type.startswith(COMPRESSIBLE) and len(plain) >= MIN_GZIP:
            packed = gzip.compress(plain, compresslevel=9, mtime=0)
            gzipped = packed if len(packed) < len(plain) else None
        etag = '"' + hashlib.sha256(plain).hexdigest()[:32] + '"'
        found[path.name] = BuiltAsset(media_type, etag, plain, gzipped)
    return found


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether `Accept-Encoding` takes gzip (named or `*`, with a quality above 0)."""
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.partition(";")
        if coding.strip() not in ("gzip", "*"):
            continue
        quality = params.strip()
        try:
            return not quality.startswith("q=") or float(quality[2:]) > 0
        except ValueError:
            return False
    return False


@route("/assets/{name:str}", http_method=GET_HEAD, include_in_schema=False, name="assets")
async def built_asset(
    request: Request[Any, Any, Any],
    name: FromPath[str],
    assets: Injected[dict[str, BuiltAsset]],
) -> Response[bytes]:
    asset = assets.get(name)
    if asset is None:
        raise NotFound("No such file")
    headers = {"Cache-Control": IMMUTABLE, "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(b"", status_code=304, headers=headers)
    body = asset.plain
    if asset.gzipped is not None and accepts_gzip(request.headers.get("accept-encoding", "")):
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=asset.media_type, headers=headers)
