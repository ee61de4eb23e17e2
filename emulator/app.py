"""Application factory: builds the Litestar app from its parts; no work at import time."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from litestar import Litestar, Request, Response, Router, get
from litestar.config.cors import CORSConfig
from litestar.exceptions import NotFoundException

from emulator.eoj.routes import eoj_router
from emulator.index import emulator_index
from emulator.local_only import requires_same_host
from emulator.node.api import client_api_router, cut_media, emulator_rooms
from emulator.node.eventsink import EventSinks, SinkClock
from emulator.node.rooms import BreakInDefense, Fanout, Node
from emulator.settings import EmulatorSettings
from emulator.vdx.auth import TokenIssuer, keycloak_router
from emulator.vdx.history import ConferenceHistory, history_router
from emulator.vdx.outbox import Outbox, read_outbox
from emulator.vdx.persist import StateFile
from emulator.vdx.sms import sms_router
from emulator.vdx.videoapi import MeetingStore, videoapi_router

WILDCARDS = ("0.0.0.0", "::")  # noqa: S104 (listening everywhere: the node names loopback)
PROVISIONER_INTERVAL = 0.5  # seconds between the VDX provisioner's rounds


@get("/healthz")
async def healthz(request: Request[Any, Any, Any]) -> Response[Any]:
    # Not before the certificate route's listener too (emulator.__main__.serve).
    if not getattr(request.app.state, "listeners_ready", True):
        return Response({"status": "starting"}, status_code=503)
    return Response({"status": "ok"})


def not_found(request: Request[Any, Any, Any], _: NotFoundException) -> Response[Any]:
    if request.url.path.startswith("/api/client/"):
        body: dict[str, Any] = {"status": "failed", "result": "404 Not Found"}
    else:
        body = {"status_code": 404, "detail": f"Not found: {request.url.path}"}
    return Response(content=body, status_code=404, media_type="application/json")


def begin_shutdown(app: Litestar) -> None:
    """Close the SSE streams as soon as shutdown starts; callable from a signal handler."""
    node: Node | None = getattr(app.state, "node", None)
    loop: asyncio.AbstractEventLoop | None = getattr(app.state, "loop", None)
    if node is not None and loop is not None:
        loop.call_soon_threadsafe(node.close_streams)


def create_app(settings: EmulatorSettings | None = None) -> Litestar:
    settings = settings or EmulatorSettings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        sinks = EventSinks(
            settings.event_sinks,
            clock=SinkClock(settings.clock_speed),
            node_address=settings.host if settings.host not in WILDCARDS else "127.0.0.1",
            bulk=settings.event_sink_bulk,
            verify=ssl.create_default_context(cafile=str(settings.bff_ca_file))
            if settings.bff_ca_file
            else True,
        )
        await sinks.start()
        app.state.history = history = ConferenceHistory(SinkClock(settings.clock_speed))
        node = Node(
            token_ttl=settings.token_ttl,
            guests_only_timeout=settings.guests_only_timeout,
            waiting_for_chair_timeout=settings.waiting_for_chair_timeout,
            break_in=BreakInDefense(
                settings.bdpm_max_pin_failures,
                settings.bdpm_window,
                settings.bdpm_block,
                settings.bdpm_trusted,
                max_address_failures=settings.bdpm_max_address_pin_failures,
                max_scan_attempts=settings.bdpm_max_scan_attempts,
                allow_list=settings.bdpm_allow_list,
            ),
            direct_media=settings.direct_media,
            events=Fanout(sinks, history) if settings.event_sinks else history,
        )
        app.state.node = node
        app.state.loop = asyncio.get_running_loop()
        app.state.meetings = meetings = MeetingStore(node)
        app.state.outbox = outbox = Outbox()
        if settings.state_dir is not None:  # meetings and rooms survive a restart
            state = StateFile(settings.state_dir)
            state.restore(meetings, outbox, datetime.now(UTC))
            meetings.on_change = outbox.on_change = lambda: state.save(meetings, outbox)
        app.state.vdx_tokens = TokenIssuer(settings)
        reaper = asyncio.create_task(node.run_reaper(min(1.0, settings.token_ttl / 4)))
        provisioner = asyncio.create_task(meetings.run_provisioner(PROVISIONER_INTERVAL))
        deprovisioner = asyncio.create_task(
            meetings.run_deprovisioner(settings.vdx_deprovision_interval)
        )
        try:
            yield
        finally:
            provisioner.cancel()
            deprovisioner.cancel()
            reaper.cancel()
            await node.close()
            await sinks.close()  # a moment for the last events (the conferences just ended)

    app = Litestar(
        route_handlers=[
            healthz,
            Router(
                path="/",
                route_handlers=[
                    emulator_index,
                    emulator_rooms,
                    read_outbox,
                    eoj_router(),
                    *([cut_media] if settings.test_controls else []),
                ],
                guards=[requires_same_host],
            ),
            client_api_router(),
            keycloak_router(),
            videoapi_router(),
            sms_router(),
            history_router(),
        ],
        lifespan=[lifespan],
        exception_handlers={NotFoundException: not_found},
        # The BFF proxies the client API; CORS only serves test pages on another origin.
        cors_config=CORSConfig(allow_origins=["*"], allow_headers=["*"], allow_methods=["*"]),
        openapi_config=None,
    )
    app.state.settings = settings
    return app
