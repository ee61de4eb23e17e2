"""App factory: wires settings, parties, Redis, the HTTP clients and the domain routers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, TypedDict

import aiohttp
import httpx
from litestar import Litestar, MediaType, Request, Response, route
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, Reference, SecurityScheme
from litestar.static_files import create_static_files_router
from redis.exceptions import RedisError

from bff.auth.deps import provide_issuers
from bff.auth.idp import Issuers
from bff.auth.login import login_routes
from bff.auth.sessions import staff_security_schemes
from bff.auth.startup import warn_about_static_keys
from bff.branding.controller import BrandingAdminController
from bff.branding.pages import BrandingMiddleware, open_preview
from bff.core import deps
from bff.core.allow import options_allow
from bff.core.errors import NotFound, exception_handlers
from bff.core.http import GET_HEAD
from bff.core.openapi_strict import StrictStructSchemaPlugin
from bff.core.sealing import DataSealer, Pseudonymiser
from bff.core.security import RequestGuard, origin_of, response_headers_hook
from bff.core.settings import Settings
from bff.core.store import open_redis
from bff.core.tasks import running
from bff.devices import running_devices
from bff.devices.controller import (
    DeviceAdminController,
    DeviceApiController,
    DeviceSelfController,
    StaffDeviceController,
    device_channel,
)
from bff.joins.controller import JoinController
from bff.joins.sessions import browser_security_schemes
from bff.keys import adopting_pseudonym_key, data_sealer
from bff.meetings.controller import API_KEY_SCHEME, MeetingController
from bff.meetings.vdx_auth import new_vdx_auth
from bff.ops.headers import baseline_headers
from bff.ops.health import LoopWatch, livez, readyz, redis_unavailable
from bff.ops.metrics import MetricsMiddleware, count_answer, metrics
from bff.ops.outbound import RequestIdMiddleware, observed
from bff.parties.deps import provide_parties
from bff.parties.loader import load_parties
from bff.parties.models import Party
from bff.phonebook.controller import (
    PHONEBOOK_SCHEME,
    PhonebookAdminController,
    PhonebookController,
    phonebook_preflight,
    plugin_phonebook,
    redeem_phonebook_join,
)
from bff.phonebook.service import PhonebookService
from bff.plugins.catalogue import load_catalogue
from bff.plugins.controller import (
    ADMIN_KEY_SCHEME,
    PluginAdminController,
    create_invite,
    invites_preflight,
    plugin_config,
    plugin_files,
    report_registration,
)
from bff.plugins.installed import LiveCatalogue
from bff.proxy.controller import client_api_proxy
from bff.proxy.front import front_the_proxy
from bff.proxy.routing import NodeRouter
from bff.proxy.upstream import KEEPALIVE, NodeCalls
from bff.shell.assets import built_asset, load_assets
from bff.shell.controller import ShellController, portal_page, preview_error_page
from bff.shell.deps import provide_assets
from bff.shell.pages import render_page
from bff.shell.renderer import ShellRenderer
from bff.staff.controller import StaffController
from bff.stats.controller import STATS_SECURITY_SCHEMES, StatsController, receive_events
from bff.stats.history import HistoryPoller
from bff.stats.service import StatsService

MAX_REQUEST_BODY = 1 << 20  # JSON bodies are a few KiB at most
STATS_COUNT_INTERVAL = 1.0  # seconds between rounds of folding observations and counting
DOCS_ASSETS = "/api-docs-assets"  # Swagger UI 5, copied into the webapp build: no CDN
# Swagger UI's page starts itself with an inline script; everything else stays tight.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


@route("/healthz", http_method=GET_HEAD, include_in_schema=False, sync_to_thread=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def refuse_nul_in_path(request: Request[Any, Any, Any]) -> None:
    # A NUL byte makes file lookups (branding, assets) raise instead of answering 404.
    if "\x00" in request.url.path:
        raise NotFound("Siden findes ikke. Tjek adressen.", key="notFound")


async def default_security_headers(response: Response[Any]) -> Response[Any]:
    """Pages the BFF does not render itself (API docs, Litestar's own answers) get the
    same baseline: no framing by others, no inline code from elsewhere."""
    if not isinstance(response, Response):  # static files answer with a raw ASGI response
        return response
    if response.media_type == MediaType.HTML and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = DOCS_CSP
        response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


class GuardOptions(TypedDict):
    """RequestGuard's own settings: the middleware's and the proxy front's (the same)."""

    cookie_name: str
    public_origin: str
    plugin_origin: str | None
    other_cookies: tuple[str, ...]


SECURITY_SCHEMES: dict[str, SecurityScheme | Reference] = {
    **API_KEY_SCHEME,
    **STATS_SECURITY_SCHEMES,
    **ADMIN_KEY_SCHEME,
    **PHONEBOOK_SCHEME,
}


def new_http_client() -> httpx.AsyncClient:
    """One shared client (keep-alive pool) for VDX.

    Its cookie jar accepts nothing: a cookie one user's upstream answer sets (a load
    balancer's, say) must never ride along on another user's request.
    """
    return httpx.AsyncClient(
        # Timed and counted per dependency; the request id goes along (bff.ops.outbound).
        transport=observed(
            httpx.AsyncHTTPTransport(
                limits=httpx.Limits(max_connections=500, max_keepalive_connections=100)
            )
        ),
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        follow_redirects=False,
        trust_env=False,
    )


def new_node_session() -> aiohttp.ClientSession:
    """The Client API proxy's keep-alive pool to the conference nodes (hot path: aiohttp).

    Like the VDX client it keeps no cookies, and it passes bodies through undecoded.
    """
    return aiohttp.ClientSession(
        # No cap: every event stream a browser holds holds one upstream connection, so a
        # pool limit would cap the streams one process can carry (500 did, under load).
        connector=aiohttp.TCPConnector(limit=0, limit_per_host=0, keepalive_timeout=KEEPALIVE),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
        trust_env=False,
        skip_auto_headers=("User-Agent",),  # the browser's own User-Agent is forwarded
    )


def _lifespan(
    settings: Settings, parties: dict[str, Party], sealer: DataSealer, pseudonyms: Pseudonymiser
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """What lives while the app runs, made once Redis answers and put in its state (each
    found through a `deps.py`)."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with open_redis(settings) as redis:
            http = new_http_client()
            node_http = new_node_session()
            node_calls = NodeCalls()  # the proxy's calls the node answers at once
            app.state.redis = redis
            app.state.http = http
            app.state.vdx_auth = vdx_auth = new_vdx_auth(settings, http)  # tokens per process
            # The parties' OIDC brokers: discovery and JWKS cached per process (bff.auth).
            app.state.issuers = Issuers(http, settings.identity.jwks_min_refresh)
            app.state.node_http = node_http
            app.state.node_calls = node_calls
            # Pseudonyms outlive a data key: the installation's own key, kept in Redis.
            await adopting_pseudonym_key(redis, sealer, pseudonyms)
            app.state.loop_watch = watch = LoopWatch()
            app.state.phonebook = PhonebookService(redis, sealer, pseudonyms, parties)
            app.state.stats = stats = StatsService(
                redis,
                pseudonyms,
                parties,
                settle=settings.statistics.settle,
                idle=settings.statistics.idle,
                min_seconds=settings.statistics.min_seconds,
            )
            poller = _history_poller(settings, stats, http)
            loops = [watch.run(), stats.run_counter(STATS_COUNT_INTERVAL)]
            if poller is not None:
                loops.append(poller.run(settings.statistics.history_interval))
            try:
                async with (
                    running(*loops),
                    running_devices(redis, http, sealer, pseudonyms, parties, settings) as hub,
                ):
                    app.state.devices, app.state.device_hub = hub.devices, hub
                    yield
            finally:
                await node_http.close()
                await node_calls.close()
                await vdx_auth.aclose()  # the certificate route's own client
                await http.aclose()

    return lifespan


def _history_poller(
    settings: Settings, stats: StatsService, http: httpx.AsyncClient
) -> HistoryPoller | None:
    """VDX's History API as a statistics source, when its URL and key are set."""
    if not settings.statistics.history_api_url:
        return None
    return HistoryPoller(
        stats, http, settings.statistics.history_api_url, settings.statistics.history_api_key
    )


def create_app(settings: Settings) -> Litestar:
    # A bad party file stops start-up here; demo credentials count only in the dev stack.
    parties = load_parties(settings.data.branding_dir, demo=settings.demo)
    warn_about_static_keys(settings, parties)  # X-API-Key / X-Admin-Key switched off: say so
    catalogue = load_catalogue(settings.plugins.dirs)  # so does a bad plugin.json
    # A missing or bad key stops start-up too; BV_DATA_KEY may be a ring (bff.keys).
    sealer = data_sealer(settings)
    pseudonyms = Pseudonymiser(sealer.keys[-1])  # until Redis's (the lifespan adopts it)
    docs_assets = create_static_files_router(
        path=DOCS_ASSETS,
        directories=[settings.serving.webapp_dist / "api-docs"],
        name="docs-assets",
        include_in_schema=False,
    )
    guard = GuardOptions(
        cookie_name=settings.serving.cookie_name,
        public_origin=origin_of(settings.serving.public_url),
        plugin_origin=settings.plugins.origin,
        other_cookies=(settings.serving.staff_cookie_name,),
    )
    app = Litestar(
        route_handlers=[
            healthz,
            livez,
            readyz,
            metrics,
            MeetingController,
            StatsController,
            receive_events,
            JoinController,
            portal_page,
            login_routes,
            StaffController,
            client_api_proxy,
            PluginAdminController,
            BrandingAdminController,
            open_preview,
            preview_error_page,
            plugin_files,
            plugin_config,
            report_registration,
            invites_preflight,  # before its POST: Litestar adds its own OPTIONS otherwise
            create_invite,
            DeviceAdminController,
            DeviceApiController,
            StaffDeviceController,
            DeviceSelfController,
            device_channel,
            PhonebookController,
            PhonebookAdminController,
            phonebook_preflight,  # before its POST: Litestar adds its own OPTIONS otherwise
            plugin_phonebook,
            redeem_phonebook_join,
            built_asset,
            docs_assets,
            ShellController,
        ],
        # What handlers name as `Injected[...]`, each found in `state` below (or put
        # there by the lifespan); a domain's own services: its controllers' `dependencies`.
        dependencies=deps.DEPENDENCIES
        | {
            "parties": deps.provide(provide_parties),
            "issuers": deps.provide(provide_issuers),
            "assets": deps.provide(provide_assets),
        },
        lifespan=[_lifespan(settings, parties, sealer, pseudonyms)],
        state=State(
            {
                "settings": settings,
                "parties": parties,
                # The folder's plugins and those installed while running (in Redis).
                "plugin_catalogue": LiveCatalogue(catalogue),
                "sealer": sealer,
                "pseudonyms": pseudonyms,
                "shell": ShellRenderer(settings.serving.webapp_dist),
                "assets": load_assets(settings.serving.webapp_dist / "assets"),
                "node_router": NodeRouter(settings, parties),
            }
        ),
        # Redis away: 503 with Retry-After (bff.ops.health), never a 500.
        exception_handlers={**exception_handlers(render_page), RedisError: redis_unavailable},  # type: ignore[dict-item]
        # Past this a body is refused before it is read (413); a controller or handler that
        # takes larger ones (a branding or plugin package) says its own.
        request_max_body_size=MAX_REQUEST_BODY,
        middleware=[
            RequestIdMiddleware,  # first: its id is in every log line and answer
            MetricsMiddleware,
            DefineMiddleware(RequestGuard, **guard),
            BrandingMiddleware,  # a party page's branding, also for its error pages
        ],
        before_send=[
            response_headers_hook(hsts=settings.serving.secure_cookies),
            count_answer,
            options_allow,  # Allow from the live route table (a Litestar 2 bug)
            baseline_headers,  # Referrer-Policy and a data CSP on every answer
        ],
        before_request=refuse_nul_in_path,
        after_request=default_security_headers,
        plugins=[StrictStructSchemaPlugin()],  # additionalProperties: false where enforced
        openapi_config=OpenAPIConfig(
            title="Borgervideo API",
            version="1.0.0",
            description="Book VDX video meetings for citizens from a case system (EOJ). "
            "Authenticate with an OAuth2 access token (JWT) from the party's identity "
            "provider (Authorization: Bearer; scopes per operation), or the header X-API-Key "
            "where static keys are switched on. The app's own pages use cookies: the staff "
            "login's (staffSession, with X-CSRF-Token on changes) and a meeting's join session "
            "(browserSession).",
            components=Components(
                security_schemes={
                    **SECURITY_SCHEMES,
                    **staff_security_schemes(settings),  # cookie names: the settings'
                    **browser_security_schemes(settings),
                }
            ),
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                    css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                    standalone_preset_js_url=f"{DOCS_ASSETS}/swagger-ui-standalone-preset.js",
                    path="/",
                    favicon="",
                )
            ],
            path="/schema",
        ),
        debug=False,
        logging_config=None,  # bff.ops.logs configures logging (Litestar's would add a thread)
    )
    # The Client API proxy (the hot path) past the router and middleware, with the same
    # checks (bff.proxy.front).
    front_the_proxy(app, RequestGuard(None, **guard))
    return app
