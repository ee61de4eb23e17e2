"""The plugins domain's dependencies (Litestar `Provide`)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from bff.branding.pages import active_branding_plugins
from bff.core.deps import Connection, kept, provide, provide_redis, provide_settings
from bff.core.http import separate_origin
from bff.plugins.installed import InstalledPlugins, LiveCatalogue
from bff.plugins.service import PluginService


def provide_catalogue(request: Connection) -> LiveCatalogue:
    """The folder's plugins and those installed while running (in Redis)."""
    return kept(request, "plugin_catalogue", LiveCatalogue)


def provide_plugins(request: Request[Any, Any, Any]) -> PluginService:
    return PluginService(
        provide_redis(request),
        provide_catalogue(request),
        separate_origin=separate_origin(provide_settings(request)),
        branding_plugins=lambda party_id: active_branding_plugins(request, party_id),
    )


def provide_installed(request: Connection) -> InstalledPlugins:
    return InstalledPlugins(provide_redis(request), provide_catalogue(request))


DEPENDENCIES = {
    "plugin_sets": provide(provide_plugins),
    "installed": provide(provide_installed),
    "catalogue": provide(provide_catalogue),
}
