"""`make run`: the emulator, the BFF and a demo OpenID provider (staff and administrators'
login) on their usual ports, until Ctrl-C. Ports: `BV_PORT` (8080), `EMU_PORT` (8090),
`BV_IDP_PORT` (8091).

`make run LAN=1` (env `LAN=1`) serves the emulator and the BFF on every interface, the BFF
over HTTPS with a self-signed certificate for the LAN address, so a phone on the same network
can join. The provider stays on 127.0.0.1 (the BFF takes a plain-http issuer only there), so
staff log in from this computer's browser, not from the phone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path

import httpx

from devstack.oidc import ACCOUNTS, running_demo_login
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


def _branding_source() -> Path:
    """The branding folder `make run` starts from (`BV_BRANDING_DIR`, else the repository's);
    the BFF reads a copy of it that adds the demo login."""
    folder = Path(os.environ.get("BV_BRANDING_DIR") or "branding")
    return folder if folder.is_absolute() else ROOT / folder


# The party's admin pages (webapp/src/app/router.tsx): each opens with a party_admin login
# (ida) or the party's admin key.
ADMIN_PAGES = (
    ("stats", "usage statistics"),
    ("plugins", "the party's Webapp3 plugins"),
    ("branding", "branding package upload"),
    ("devices", "tablets: enrolment codes, calls"),
    ("phonebook", "dynamic phonebook: systems, look-ups"),
)


def _admin_lines(bff_url: str) -> str:
    pages = "\n".join(
        f"      {bff_url}/{DEMO_PARTY}/admin/{page:<10} {what}" for page, what in ADMIN_PAGES
    )
    return f"""
  Admin pages (log in as ida, or type the admin key {DEMO_ADMIN_KEY}):
{pages}
  Every party's statistics: log in as sofie on the statistics page, or the steering group's
  API key {DEMO_STEERING_KEY} on /api/v1/stats.
"""


def printed_urls(bff_url: str, emulator_url: str, issuer: str | None) -> list[str]:
    """Every URL the banner prints: each must answer before the banner says it runs."""
    urls = [
        f"{emulator_url}/eoj/",
        emulator_url + "/",
        f"{bff_url}/{DEMO_PARTY}/",
        f"{bff_url}/schema",
        *(f"{bff_url}/{DEMO_PARTY}/admin/{page}" for page, _ in ADMIN_PAGES),
    ]
    if issuer:
        urls += [f"{bff_url}/{DEMO_PARTY}/staff", issuer + "/"]
    return urls


def wait_answering(urls: Iterable[str], verify: object = True, timeout: float = 60.0) -> None:
    """Until each URL answers with a page or a redirect (2xx or 3xx)."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5, verify=verify) as client:  # type: ignore[arg-type]
        for url in urls:
            while True:
                try:
                    status = client.get(url).status_code
                except httpx.HTTPError as error:
                    status, reason = 0, str(error)
                else:
                    reason = f"HTTP {status}"
                if 200 <= status < 400:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} does not answer: {reason}")
                time.sleep(0.2)


def _stop_on_sigterm() -> None:
    """SIGTERM ends devstack as Ctrl-C does: the `with` blocks stop every child."""

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _login_lines(bff_url: str, parties: tuple[str, ...], issuer: str) -> str:
    if not parties:
        return ""
    first = DEMO_PARTY if DEMO_PARTY in parties else parties[0]
    others = ", ".join(f"/{party}/staff" for party in parties if party != first)
    hanne, lise, ida, sofie = (ACCOUNTS[name]["name"] for name in ("hanne", "lise", "ida", "sofie"))
    return f"""
  Staff portal (log in):     {bff_url}/{first}/staff{f" (also {others})" if others else ""}
  Demo login, no password:   type hanne ({hanne}: nurse, the staff portal; mette
                             her colleague), lise ({lise}: scheduler, the whole day),
                             ida ({ida}: municipality administrator, the admin
                             pages' "Log ind"), sofie ({sofie}: steering group)
  Demo OpenID provider:      {issuer}
"""


def main() -> None:
    _stop_on_sigterm()
    with contextlib.suppress(KeyboardInterrupt):
        _serve()


def _serve() -> None:
    bff_port = int(os.environ.get("BV_PORT", "8080"))
    emulator_port = int(os.environ.get("EMU_PORT", "8090"))
    idp_port = int(os.environ.get("BV_IDP_PORT", "8091"))
    # Plugins on a second port (same-site with the app): 8081 beside the usual 8080; a free
    # one when the app's port was moved (tests start several stacks side by side).
    plugin_port = int(os.environ.get("BV_PLUGIN_PORT") or (8081 if bff_port == 8080 else 0))
    data_dir = Path(os.environ.get("BV_DATA_DIR", ROOT / ".data"))
    host, public_host, tls = _lan_options(data_dir)
    scheme = "https" if tls else "http"
    # Where browsers reach the BFF: its redirect and logout URIs at the provider (the first,
    # loopback, also takes the back-channel logout). With LAN=1 the BFF's public URL, which
    # it sends as redirect_uri, is the LAN address.
    bff_urls = list(
        dict.fromkeys(f"{scheme}://{name}:{bff_port}" for name in ("127.0.0.1", public_host))
    )
    with (
        running_demo_login(
            port=idp_port,
            bff_urls=bff_urls,
            data_dir=data_dir,
            branding=_branding_source(),
            ca_file=tls.cert if tls else None,
        ) as login,
        running_stack(
            emulator_port=emulator_port,
            bff_port=bff_port,
            host=host,
            data_dir=data_dir,
            public_host=public_host,
            tls=tls,
            plugin_port=plugin_port or None,
            # The emulated VDX keeps booked meetings (and their rooms) across a restart too.
            extra_emulator_env={"EMU_STATE_DIR": str(data_dir / "emulator")},
            extra_bff_env=login.bff_env,
        ) as stack,
    ):
        issuer = login.provider.issuer if login.parties else None
        wait_answering(printed_urls(stack.bff_url, stack.emulator_url, issuer), stack.bff.verify)
        print(
            f"""
Borgervideo is running (Ctrl-C stops it).

  Demo case system (book a meeting, open it as staff, read the SMS):
      {stack.emulator_url}/eoj/
  The citizen link arrives in the SMS outbox on that page; open it in another browser.

  Borgervideo (BFF):         {stack.bff_url}/{DEMO_PARTY}/
  API documentation:         {stack.bff_url}/schema
  Demo API key ({DEMO_PARTY}): {DEMO_API_KEY}
{_admin_lines(stack.bff_url)}{_login_lines(stack.bff_url, login.parties, login.provider.issuer)}
  Plugins' own origin:       {(stack.plugin_url or stack.bff_url).split("://", 1)[1]} (plugin files
                             and settings only: README, "Plugin origin")
  Emulated VDX and node:     {stack.emulator_url}/
  Logs:                      {stack.workdir} (the provider's: {login.provider.log_path})
{LAN_NOTE.format(cert=tls.cert) if tls else ""}""",
            flush=True,
        )
        while True:
            for service in (stack.emulator, stack.bff):
                if service.process.poll() is not None:
                    print(f"{service.name} stopped:\n{service.log()[-4000:]}")
                    return
            idp = login.provider.process
            if idp is not None and idp.poll() is not None:
                print(f"oidc-provider stopped:\n{login.provider.log()[-4000:]}")
                return
            time.sleep(0.5)


if __name__ == "__main__":
    main()
