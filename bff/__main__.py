"""`python -m bff`: validate settings and parties, then serve with uvicorn.

Production: run several instances (or BV_WORKERS worker processes in one) behind a load
balancer on one Redis (REDIS_URL, BV_DATA_KEY); see the README's "Running in production".
Logs are JSON lines on stderr (BV_LOG_FORMAT=text for people); SIGTERM stops accepting,
ends the open event streams (browsers reconnect through another instance) and gives other
requests BV_SHUTDOWN_GRACE seconds.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sys
import tempfile
from types import FrameType
from typing import Any

import uvicorn
from litestar import Litestar
from uvicorn.supervisors import Multiprocess

from bff.app import create_app
from bff.core.settings import Settings, SettingsError, load_settings, missing_live_settings
from bff.devices.channel import close_device_channels
from bff.ops.logs import UVICORN_LOG_CONFIG, configure_logging
from bff.parties.loader import PartyConfigError
from bff.proxy.controller import close_streams

log = logging.getLogger("bff")


def _drain_on_exit(app: Litestar) -> None:
    """On SIGTERM/SIGINT: /readyz fails and the event streams end, then uvicorn's own
    shutdown runs (it installed its handlers before the app's start-up, so we chain them)."""
    loop = asyncio.get_running_loop()

    def install() -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(sig)

            def handler(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
                app.state.draining = True
                loop.call_soon_threadsafe(close_streams)
                loop.call_soon_threadsafe(close_device_channels)
                if callable(previous):
                    previous(signum, frame)

            signal.signal(sig, handler)

    install()


def live_settings() -> Settings:
    """The settings, refused when the node, VDX or a route's credentials are missing
    (outside BV_DEMO nothing defaults to the emulator)."""
    settings = load_settings()
    missing = missing_live_settings(settings)
    if missing:
        raise SettingsError(
            f"{', '.join(missing)}: must be set (see the README's 'Going live on VDX'; "
            "the development stack is `make run`)"
        )
    return settings


def app_from_env() -> Litestar:
    """The app as each uvicorn worker process builds it (uvicorn's factory)."""
    settings = live_settings()
    configure_logging(settings.serving.log_format)
    app = create_app(settings)

    async def drain_hook(app: Litestar) -> None:
        _drain_on_exit(app)

    app.on_startup.append(drain_hook)
    return app


def _uvicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "host": settings.serving.host,
        "port": settings.serving.port,
        "workers": settings.serving.workers,
        "access_log": False,  # citizen link paths carry the token
        "loop": "uvloop",  # both come with uvicorn[standard]; named so a missing one fails loudly
        "http": "httptools",
        "log_level": "info",
        "log_config": UVICORN_LOG_CONFIG,
        # Behind a load balancer: its X-Forwarded-For names the client (rate limits, PINs).
        "proxy_headers": bool(settings.serving.forwarded_allow_ips),
        "forwarded_allow_ips": settings.serving.forwarded_allow_ips or None,
        "server_header": False,
        "ws_max_size": 1 << 20,  # device channel frames are small (bff.devices.channel)
        "timeout_graceful_shutdown": settings.serving.shutdown_grace,
        "ssl_certfile": settings.serving.tls_cert,
        "ssl_keyfile": settings.serving.tls_key,
    }


def _serve_two_ports(settings: Settings) -> None:
    """The app's port and BV_PLUGIN_PORT, one server: what `uvicorn.run` does, with a second
    socket (the plugin origin on the app's own host name; bff.core.security.RequestGuard answers
    only plugin paths there)."""
    options = _uvicorn_options(settings)
    config = uvicorn.Config("bff.__main__:app_from_env", factory=True, **options)
    sockets = [
        config.bind_socket(),
        uvicorn.Config(
            "bff.__main__:app_from_env", factory=True, **(options | {"port": settings.plugins.port})
        ).bind_socket(),
    ]
    if settings.serving.workers > 1:
        Multiprocess(config, sockets=sockets).run()
    else:
        uvicorn.Server(config).run(sockets=sockets)


def main() -> int:
    try:
        settings = live_settings()
        configure_logging(settings.serving.log_format)
        create_app(settings)  # a bad setting or party file stops start-up here, once
    except (SettingsError, PartyConfigError) as exc:
        print(f"bff: cannot start: {exc}", file=sys.stderr)
        return 2
    metrics_dir = None
    if settings.serving.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Worker processes share their metrics through files here (prometheus-client).
        metrics_dir = tempfile.mkdtemp(prefix="bv-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    log.info(
        "starting bff on %s:%d with %d worker(s), redis %s",
        settings.serving.host,
        settings.serving.port,
        settings.serving.workers,
        (settings.data.redis_url or "embedded").split("://", 1)[0],
    )
    try:
        if settings.plugins.port is None:
            uvicorn.run("bff.__main__:app_from_env", factory=True, **_uvicorn_options(settings))
        else:
            _serve_two_ports(settings)
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
