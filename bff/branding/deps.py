"""The branding domain's dependencies (Litestar `Provide`; its pages' middleware calls them
with the request)."""

from __future__ import annotations

from bff.branding.service import BrandingService
from bff.core.deps import Connection, provide_redis


def provide_branding(request: Connection) -> BrandingService:
    return BrandingService(provide_redis(request))
