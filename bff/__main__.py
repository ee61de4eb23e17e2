"""`python -m bff`: validate settings and parties, then serve with uvicorn."""

from __future__ import annotations

import logging
import sys

import uvicorn

from bff.app import create_app
from bff.parties.loader import PartyConfigError
from bff.settings import SettingsError, load_settings


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs URLs, which carry tokens
    try:
        settings = load_settings()
        app = create_app(settings)
    except (SettingsError, PartyConfigError) as exc:
        print(f"bff: cannot start: {exc}", file=sys.stderr)
        return 2
    # No access log: citizen link paths carry the token.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        access_log=False,
        loop="uvloop",  # both come with uvicorn[standard]; named so a missing one fails loudly
        http="httptools",
        log_level="info",
        proxy_headers=False,
        ssl_certfile=settings.tls_cert,
        ssl_keyfile=settings.tls_key,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
