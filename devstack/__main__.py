"""`make run`: the emulator and the BFF on their usual ports, until Ctrl-C.

`make run LAN=1` (env `LAN=1`) serves them on every interface, the BFF over HTTPS with a
self-signed certificate for the LAN address, so a phone on the same network can join.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from devstack.stack import (
    DEMO_ADMIN_KEY,
    DEMO_API_KEY,
    DEMO_PARTY,
    DEMO_STEERING_KEY,
    ROOT,
    running_stack,
)
from devstack.tls import TlsFiles, ensure_certificate, lan_address

LAN_NOTE = """
  Fra en telefon på samme netværk: åbn borgerlinket dér. Certifikatet er selvsigneret,
  så telefonens browser advarer første gang; accepter det én gang (Avanceret / Fortsæt).
  From a phone on the same network: open the citizen link there. The certificate is
  self-signed, so the phone's browser warns the first time; accept it once.
  Certificate: {cert}
"""


def _lan_options(data_dir: Path) -> tuple[str, str, TlsFiles | None]:
    """Where to listen, the address browsers use, and the certificate (LAN=1 only)."""
    if os.environ.get("LAN", "").strip().lower() not in ("1", "yes", "true"):
        return os.environ.get("HOST", "127.0.0.1"), "127.0.0.1", None
    address = lan_address()
    listen = os.environ.get("HOST", "0.0.0.0")  # noqa: S104 - LAN=1 is asked for
    return listen, address, ensure_certificate(data_dir / "tls", address)


def main() -> None:
    bff_port = int(os.environ.get("BV_PORT", "8080"))
    emulator_port = int(os.environ.get("EMU_PORT", "8090"))
    data_dir = Path(os.environ.get("BV_DATA_DIR", ROOT / ".data"))
    host, public_host, tls = _lan_options(data_dir)
    with running_stack(
        emulator_port=emulator_port,
        bff_port=bff_port,
        host=host,
        data_dir=data_dir,
        public_host=public_host,
        tls=tls,
        # The emulated VDX keeps booked meetings (and their rooms) across a restart too.
        extra_emulator_env={"EMU_STATE_DIR": str(data_dir / "emulator")},
    ) as stack:
        print(
            f"""
Borgervideo is running (Ctrl-C stops it).

  Demo case system (book a meeting, open it as staff, read the SMS):
      {stack.emulator_url}/eoj/
  The citizen link arrives in the SMS outbox on that page; open it in another browser.

  Borgervideo (BFF):         {stack.bff_url}/{DEMO_PARTY}/
  API documentation:         {stack.bff_url}/schema
  Demo API key ({DEMO_PARTY}): {DEMO_API_KEY}
  Usage statistics:          {stack.bff_url}/{DEMO_PARTY}/admin/stats (admin key {DEMO_ADMIN_KEY};
                             steering group's API key {DEMO_STEERING_KEY})
  Emulated VDX and node:     {stack.emulator_url}
  Logs:                      {stack.workdir}
{LAN_NOTE.format(cert=tls.cert) if tls else ""}""",
            flush=True,
        )
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for service in (stack.emulator, stack.bff):
                    if service.process.poll() is not None:
                        print(f"{service.name} stopped:\n{service.log()[-4000:]}")
                        return
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
