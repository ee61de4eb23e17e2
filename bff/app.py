"""App factory: wires settings, parties, Redis, the HTTP clients and the domain routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookiejar import CookieJar, DefaultCookiePolicy

import aiohttp
import httpx
from litestar import Litestar, MediaType, Request, Response, route
from litestar.datastructures import CacheControlHeader, State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components
from litestar.static_files import create_static_files_router

from bff.errors import EXCEPTION_HANDLERS, NotFound
from bff.joins.controller import JoinController
from bff.meetings.controller import API_KEY_SCHEME, MeetingController
from bff.meetings.vdx_auth import new_vdx_auth
from bff.parties.loader import load_parties
from bff.proxy.controller import client_api_proxy
from bff.proxy.routing import NodeRouter
from bff.sealing import Pseudonymiser, Sealer
from bff.security import RequestGuard, origin_of, response_headers_hook
from bff.settings import Settings, resolve_data_key
from bff.shell.controller import ShellController
from bff.shell.renderer import ShellRenderer
from bff.store import open_redis

DOCS_ASSETS = "/api-docs-assets"  # Swagger UI 5, copied into the webapp build: no CDN
# Swagger UI's page starts itself with an inline script; everything else stays tight.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


@route("/healthz", http_method=["GET", "HEAD"], include_in_schema=False, sync_to_thread=False)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def refuse_nul_in_path(request: Request) -> None:
    # A NUL byte makes file lookups (branding, assets) raise instead of answering 404.
    if "\x00" in request.url.path:
        raise NotFound("Siden findes ikke. Tjek adressen.")


async def default_security_headers(response: Response) -> Response:
    """Pages the BFF does not render itself (API docs, Litestar's own answers) get the
    same baseline: no framing by others, no inline code from elsewhere."""
    if not isinstance(response, Response):  # static files answer with a raw ASGI response
        return response
    if response.media_type == MediaType.HTML and "Content-Security-Policy" not in response.headers:
        response.headers["Content-Security-Policy"] = DOCS_CSP
        response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def new_http_client() -> httpx.AsyncClient:
    """One shared client (keep-alive pool) for VDX.

    Its cookie jar accepts nothing: a cookie one user's upstream answer sets (a load
    balancer's, say) must never ride along on another user's request.
    """
    return httpx.AsyncClient(
        limits=httpx.Limits(max_connections=500, max_keepalive_connections=100),
        cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        follow_redirects=False,
        trust_env=False,
    )


def new_node_session() -> aiohttp.ClientSession:
    """The Client API proxy's keep-alive pool to the conference nodes (hot path: aiohttp).

    Like the VDX client it keeps no cookies, and it passes bodies through undecoded.
    """
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=500, limit_per_host=0, keepalive_timeout=30),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
        trust_env=False,
        skip_auto_headers=("User-Agent",),  # the browser's own User-Agent is forwarded
    )


def _lifespan(settings: Settings):
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        async with open_redis(settings) as redis:
            http = new_http_client()
            node_http = new_node_session()
            app.state.redis = redis
            app.state.http = http
            app.state.vdx_auth = new_vdx_auth(settings, http)  # tokens cached per process
            app.state.node_http = node_http
            try:
                yield
            finally:
                await node_http.close()
                await http.aclose()

    return lifespan


def create_app(settings: Settings) -> Litestar:
    # A bad party file stops start-up here; demo credentials count only in the dev stack.
    parties = load_parties(settings.branding_dir, demo=settings.demo)
    data_key = resolve_data_key(settings)  # a missing or bad key stops start-up too
    sealer = Sealer(data_key)
    docs_assets = create_static_files_router(
        path=DOCS_ASSETS,
        directories=[settings.webapp_dist / "api-docs"],
        name="docs-assets",
        include_in_schema=False,
    )
    assets = create_static_files_router(
        path="/assets",
        directories=[settings.webapp_dist / "assets"],
        cache_control=CacheControlHeader(public=True, max_age=31536000, immutable=True),
        name="assets",
    )
    return Litestar(
        route_handlers=[
            healthz,
            MeetingController,
            JoinController,
            client_api_proxy,
            assets,
            docs_assets,
            ShellController,
        ],
        lifespan=[_lifespan(settings)],
        state=State(
            {
                "settings": settings,
                "parties": parties,
                "sealer": sealer,
                "pseudonyms": Pseudonymiser(data_key),
                "shell": ShellRenderer(settings.webapp_dist),
                "node_router": NodeRouter(settings, parties),
            }
        ),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        middleware=[
            DefineMiddleware(
                RequestGuard,
                cookie_name=settings.cookie_name,
                public_origin=origin_of(settings.public_url),
            )
        ],
        before_send=[response_headers_hook(hsts=settings.secure_cookies)],
        before_request=refuse_nul_in_path,
        after_request=default_security_headers,
        openapi_config=OpenAPIConfig(
            title="Borgervideo API",
            version="1.0.0",
            description="Book VDX video meetings for citizens from a case system (EOJ). "
            "Authenticate with the header X-API-Key.",
            components=Components(security_schemes=API_KEY_SCHEME),
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
    )
