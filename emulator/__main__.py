"""Run the emulator: `python -m emulator`."""

from __future__ import annotations

from types import FrameType

import uvicorn
from litestar import Litestar

from emulator.app import begin_shutdown, create_app
from emulator.logs import configure_logging
from emulator.settings import EmulatorSettings, SettingsError


class EmulatorServer(uvicorn.Server):
    """Uvicorn waits for open connections before shutting down: end the SSE streams first."""

    def __init__(self, config: uvicorn.Config, app: Litestar) -> None:
        super().__init__(config)
        self._app = app

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        begin_shutdown(self._app)
        super().handle_exit(sig, frame)


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
    EmulatorServer(config, app).run()


if __name__ == "__main__":
    main()
