"""The plugins domain's dependencies (Litestar `Provide`)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from bff.branding.pages import active_branding_plugins
from bff.core.http import separate_origin
from bff.plugins.installed import InstalledPlugins
from bff.plugins.service import PluginService


def provide_plugins(request: Request[Any, Any, Any]) -> PluginService:
    state = request.app.state
    return PluginService(
        state.redis,
        state.plugin_catalogue,
        separate_origin=separate_origin(state.settings),
        branding_plugins=lambda party_id: active_branding_plugins(request, party_id),
    )


def provide_installed(request: Request[Any, Any, Any]) -> InstalledPlugins:
    return InstalledPlugins(request.app.state.redis, request.app.state.plugin_catalogue)
