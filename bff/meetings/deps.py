"""The meetings domain's dependencies (Litestar `Provide`)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from bff.core.deps import (
    Connection,
    kept,
    provide_http,
    provide_pseudonyms,
    provide_redis,
    provide_sealer,
    provide_settings,
)
from bff.meetings.service import MeetingService
from bff.meetings.vdx import VdxClient
from bff.meetings.vdx_auth import VdxAuth


def provide_vdx(request: Connection) -> VdxClient:
    """VDX's APIs over the shared client, with the process's cached tokens."""
    auth = kept(request, "vdx_auth", VdxAuth)
    return VdxClient(provide_http(request), provide_settings(request), auth)


def provide_meetings(request: Request[Any, Any, Any]) -> MeetingService:
    return MeetingService(
        provide_redis(request),
        provide_vdx(request),
        provide_settings(request),
        provide_sealer(request),
        provide_pseudonyms(request),
    )
