"""The certificate route's listener: HTTPS that demands a client certificate, as MedCom's
certificate proxy does (kitcaddy with gooioidwsrest; `oioidwsrestwsp.go` reads the verified
client certificate of the TLS connection and binds the holder-of-key session to its hash).

Uvicorn passes no peer certificate to the app, so this protocol puts the sha256 of the
verified client certificate into each request's scope (emulator.vdx.auth.CLIENT_CERT).
"""

from __future__ import annotations

import asyncio
import hashlib
import ssl
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from emulator.settings import EmulatorSettings
from emulator.vdx.auth import CLIENT_CERT


class ClientCertProtocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        ssl_object = transport.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
        if not der:
            return
        digest = hashlib.sha256(der).hexdigest()
        inner = self.app

        async def with_certificate(scope: Any, receive: Any, send: Any) -> None:
            scope[CLIENT_CERT] = digest
            await inner(scope, receive, send)

        self.app = with_certificate


def mtls_config(app: Any, settings: EmulatorSettings) -> uvicorn.Config | None:
    """The second listener's configuration, or None without EMU_VDX_MTLS_PORT. It shares the
    app (and its state) with the first listener, whose lifespan starts everything."""
    if settings.vdx_mtls_port is None:
        return None
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.vdx_mtls_port,
        http=ClientCertProtocol,
        lifespan="off",
        ssl_certfile=str(settings.vdx_mtls_cert),
        ssl_keyfile=str(settings.vdx_mtls_key),
        ssl_ca_certs=str(settings.vdx_mtls_client_ca),
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        timeout_graceful_shutdown=2,
        log_level="info",
        log_config=None,
    )
