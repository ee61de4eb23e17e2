"""Run the emulator: `python -m emulator`."""

from __future__ import annotations

import asyncio
from types import FrameType

import uvicorn
from litestar import Litestar

from emulator.app import begin_shutdown, create_app
from emulator.logs import configure_logging
from emulator.mtls import mtls_config
from emulator.settings import EmulatorSettings, SettingsError


class EmulatorServer(uvicorn.Server):
    """Uvicorn waits for open connections before shutting down: end the SSE streams first."""

    def __init__(self, config: uvicorn.Config, app: Litestar) -> None:
        super().__init__(config)
        self._app = app
        self.app = app
        self.companion: uvicorn.Server | None = None  # the certificate route's listener

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        begin_shutdown(self._app)
        if self.companion is not None:
            self.companion.should_exit = True
        super().handle_exit(sig, frame)


async def serve(main: EmulatorServer, companion: uvicorn.Server | None) -> None:
    """The main listener; the mutual-TLS one once the main one's lifespan has started."""

    async def second() -> None:
        if companion is None:
            return
        while not main.started and not main.should_exit:  # noqa: ASYNC110 (uvicorn's flags)
            await asyncio.sleep(0.05)
        if not main.should_exit:
            await companion.serve()

    async def ready() -> None:
        """/healthz says ok only once both listeners take connections."""
        while companion is not None and not companion.started and not main.should_exit:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        main.app.state.listeners_ready = True

    main.companion = companion
    main.app.state.listeners_ready = False
    await asyncio.gather(main.serve(), second(), ready())


def main() -> None:
    configure_logging()
    try:
        settings = EmulatorSettings.from_env()
    except SettingsError as error:
        raise SystemExit(f"emulator: {error}") from None
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        # A backstop: streams are closed on exit, but never wait long for stragglers.
        timeout_graceful_shutdown=2,
        log_level="info",
        log_config=None,
    )
    second = mtls_config(app, settings)
    companion = uvicorn.Server(second) if second is not None else None
    asyncio.run(serve(EmulatorServer(config, app), companion))


if __name__ == "__main__":
    main()
