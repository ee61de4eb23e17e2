"""Start the real stack (emulator + BFF) as subprocesses, for the e2e tests and the benchmark."""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bff.core.store import die_with_parent
from devstack.tls import CertificateRoute, TlsFiles, make_certificate_route

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
)
DEMO_PARTY = "kobenhavn"
DEMO_API_KEY = "demo-kobenhavn-key"
DEMO_ADMIN_KEY = "demo-kobenhavn-admin-key"
# The steering group's key for statistics (every party's figures): the development stack's.
DEMO_STEERING_KEY = "demo-steering-key"
SINK_NODE = "emulator"  # the emulated node's name (and Basic user) at the BFF's event sink
# The emulated Keycloak realm's development client (the emulator's public defaults).
VDX_CLIENT_ID = "borgervideo"
VDX_CLIENT_SECRET = "dev-vdx-secret"  # noqa: S105 - public development value
VDX_TOKEN_PATH = "/auth/realms/vdx/protocol/openid-connect/token"  # noqa: S105 - a path
# The STS assertion the emulated certificate proxy accepts (its public default).
VDX_STS_ASSERTION = '<saml:Assertion ID="dev">emulator</saml:Assertion>'
# The node's break-in allow list: the BFF's address, its wrong PINs and aliases ignored (every
# participant reaches the node from it; bff/proxy/pin_guard.py is then the defence).
BFF_ALLOW_LIST = "127.0.0.1=pins+aliases"
# Seconds VDX's provisioning job lags behind a booking in the development stack, so every
# flow meets the lag real VDX has (EMU_VDX_PROVISION_DELAY).
PROVISION_DELAY = "3"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port nothing listens on, never one this process was given before: the kernel may
    hand the same free port to two calls in a row (a stack's BFF and its plugin origin were
    once given one port), and a port given out may not be bound yet."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


@dataclass(frozen=True)
class VdxCertificateRoute:
    """The SmsAPI's certificate route in the development stack: the emulator's mutual-TLS
    listener on `port`, a throwaway CA and certificates, and the STS assertion file."""

    files: CertificateRoute
    port: int
    sts_file: Path

    @property
    def sms_url(self) -> str:
        return f"https://127.0.0.1:{self.port}/smsapi"

    def emulator_env(self) -> dict[str, str]:
        return {
            "EMU_VDX_MTLS_PORT": str(self.port),
            "EMU_VDX_MTLS_CERT": str(self.files.server_cert),
            "EMU_VDX_MTLS_KEY": str(self.files.server_key),
            "EMU_VDX_MTLS_CLIENT_CA": str(self.files.ca),
        }

    def bff_env(self) -> dict[str, str]:
        return {
            "VDX_SMS_API_ROUTE": "certificate",
            "VDX_SMS_API_URL": self.sms_url,
            "VDX_SMS_CLIENT_CERT": str(self.files.client_cert),
            "VDX_SMS_CLIENT_KEY": str(self.files.client_key),
            "VDX_SMS_CA_FILE": str(self.files.ca),
            "VDX_STS_TOKEN_FILE": str(self.sts_file),
        }


def vdx_certificate_route(folder: Path) -> VdxCertificateRoute:
    """A fresh throwaway CA, certificates and STS assertion in `folder`, on a free port."""
    files = make_certificate_route(folder)
    sts_file = folder / "sts-assertion.xml"
    sts_file.write_text(VDX_STS_ASSERTION)
    return VdxCertificateRoute(files, free_port(), sts_file)


def bff_vdx_env(
    emulator_url: str, certificate: VdxCertificateRoute | None = None
) -> dict[str, str]:
    """The BFF's VDX settings for the emulator, each service by MedCom's route: VideoAPI by a
    Keycloak JWT (client credentials at the emulated realm), the SmsAPI by the certificate
    route over mutual TLS. Without `certificate` the SmsAPI is set as `gateway` on the plain
    listener, which refuses it (no client certificate): for stacks that send no SMS."""
    sms = (
        certificate.bff_env()
        if certificate
        else {
            "VDX_SMS_API_ROUTE": "gateway",
            "VDX_SMS_API_URL": f"{emulator_url}/smsapi",
        }
    )
    return {
        "VDX_VIDEO_API_URL": f"{emulator_url}/videoapi",
        "VDX_VIDEO_API_ROUTE": "jwt",
        "VDX_TOKEN_URL": f"{emulator_url}{VDX_TOKEN_PATH}",
        "VDX_CLIENT_ID": VDX_CLIENT_ID,
        "VDX_CLIENT_SECRET": VDX_CLIENT_SECRET,
        **sms,
    }


def vdx_headers(emulator_url: str) -> dict[str, str]:
    """For tests and tools calling the emulated VDX-API directly: a fresh access token."""
    answer = httpx.post(
        f"{emulator_url}{VDX_TOKEN_PATH}",
        data={"grant_type": "client_credentials"},
        auth=(VDX_CLIENT_ID, VDX_CLIENT_SECRET),
        timeout=10,
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def chromium_path() -> str:
    """The browser to drive: `CHROMIUM_PATH` when set, else the system's Chromium or Chrome."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium") or shutil.which("google-chrome")
    if found:
        return found
    raise RuntimeError(
        "No Chromium found: `make chromium` installs Debian's (`make test` runs it), "
        "or set CHROMIUM_PATH"
    )


def chromium_args(fake_video: Path | None = None) -> list[str]:
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--autoplay-policy=no-user-gesture-required",
        "--allow-loopback-in-peer-connection",
        # Danish first, as on the citizens' phones: the app speaks the browser's language.
        "--accept-lang=da-DK,da",
    ]
    if fake_video is not None:
        args.append(f"--use-file-for-fake-video-capture={fake_video}")
    return args


@dataclass
class Service:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    verify: ssl.SSLContext | bool = True
    module: str = ""
    env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    launcher: tuple[str, ...] = ()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        stop_all(self)


def stop_all(*services: Service, timeout: float = 10.0) -> None:
    """SIGTERM to every service at once, then SIGKILL to any still running after `timeout`."""
    for service in services:
        if service.process.poll() is None:
            service.process.terminate()
    deadline = time.monotonic() + timeout
    for service in services:
        try:
            service.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait()


@dataclass
class Stack:
    emulator: Service
    bff: Service
    workdir: Path
    tls: TlsFiles | None = None
    # The plugin origin (`BV_PLUGIN_ORIGIN`) when it is not the app's own.
    plugin_url: str | None = None

    @property
    def bff_url(self) -> str:
        return self.bff.url

    @property
    def emulator_url(self) -> str:
        return self.emulator.url

    def logs(self) -> str:
        return "\n".join(
            f"----- {service.name} log -----\n{service.log()}"
            for service in (self.emulator, self.bff)
        )


@contextlib.contextmanager
def running_service(module: str, env: dict[str, str], url: str, workdir: Path) -> Iterator[Service]:
    """`python -m <module>` with `env` added, healthy at `url`, stopped on exit."""
    service = _start(module, module, env, url, workdir)
    try:
        yield service
    finally:
        service.stop()


def _start(
    name: str,
    module: str,
    env: dict[str, str],
    url: str,
    workdir: Path,
    verify: ssl.SSLContext | bool = True,
    args: tuple[str, ...] = (),
    launcher: tuple[str, ...] = (),
) -> Service:
    """`launcher`: a command the service runs under (a profiler, bench/profile.py)."""
    log_path = workdir / f"{name}.log"
    wait_port_free(name, url)
    log_file = log_path.open("ab")  # a restarted service appends to its log
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [*launcher, sys.executable, "-m", module, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log_file,
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent,  # killed with whoever started it: no orphans
    )
    service = Service(name, url, process, log_path, verify)
    service.module, service.env, service.args = module, env, args
    service.launcher = launcher
    _wait_healthy(service)
    return service


def _port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
        return False


def wait_port_free(name: str, url: str, timeout: float = 30.0) -> None:
    """A port still held (by a previous instance shutting down, or another program) would
    answer our health check for a process that then fails to bind: wait for it, or say so."""
    port = httpx.URL(url).port
    deadline = time.monotonic() + timeout
    while port is not None and _port_in_use(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name}: port {port} is in use by another program")
        time.sleep(0.1)


def restart(service: Service, workdir: Path) -> Service:
    """The same service again (same port, settings and log file), healthy."""
    service.stop()
    fresh = _start(
        service.name,
        service.module,
        service.env,
        service.url,
        workdir,
        service.verify,
        service.args,
        service.launcher,
    )
    service.process = fresh.process
    return service


def _wait_healthy(service: Service, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(f"{service.name} exited at start:\n{service.log()}")
        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.get(f"{service.url}/healthz", timeout=1, verify=service.verify)
            if answer.status_code == 200 and service.process.poll() is None:
                return
        time.sleep(0.1)
    service.stop()
    raise RuntimeError(f"{service.name} did not become healthy:\n{service.log()}")


@contextlib.contextmanager
def running_stack(
    *,
    emulator_port: int | None = None,
    bff_port: int | None = None,
    host: str = "127.0.0.1",
    data_dir: Path | None = None,
    extra_bff_env: dict[str, str] | None = None,
    extra_emulator_env: dict[str, str] | None = None,
    public_host: str = "127.0.0.1",
    tls: TlsFiles | None = None,
    plugin_port: int | None = None,
    bff_launcher: tuple[str, ...] = (),
) -> Iterator[Stack]:
    """Emulator and BFF (free ports by default), the BFF on its own embedded Redis.

    `public_host` is the address browsers use (the LAN address for a phone); with `tls` the
    BFF serves HTTPS with that certificate, which the emulator trusts for its own calls.
    """
    workdir = Path(tempfile.mkdtemp(prefix="borgervideo-"))
    sink_password = secrets.token_urlsafe(24)
    emulator_port = emulator_port or free_port()
    bff_port = bff_port or free_port()
    # Plugins from an origin of their own that is same-site with the app (so browsers give
    # them storage): the same BFF on a second port of 127.0.0.1 (not over the LAN).
    local = not tls and public_host == "127.0.0.1"
    plugin_port = (plugin_port or free_port()) if local else None
    plugin_url = f"http://127.0.0.1:{plugin_port}" if plugin_port else None
    plugin_origin_env = (
        {"BV_PLUGIN_ORIGIN": plugin_url, "BV_PLUGIN_PORT": str(plugin_port)} if plugin_url else {}
    )
    scheme = "https" if tls else "http"
    emulator_url = f"http://127.0.0.1:{emulator_port}"
    bff_url = f"{scheme}://127.0.0.1:{bff_port}"
    public_bff_url = f"{scheme}://{public_host}:{bff_port}"
    verify: ssl.SSLContext | bool = (
        ssl.create_default_context(cafile=str(tls.cert)) if tls else True
    )
    certificate = vdx_certificate_route(workdir / "vdx-pki")
    emulator = _start(
        "emulator",
        "emulator",
        {
            "EMU_HOST": host,
            "EMU_PORT": str(emulator_port),
            "EMU_BFF_URL": bff_url,
            "EMU_BFF_PUBLIC_URL": public_bff_url,
            **({"EMU_BFF_CA_FILE": str(tls.cert)} if tls else {}),
            # The node's event sink is the BFF (statistics); a fresh password each run.
            "EMU_EVENT_SINKS": f"{bff_url.replace('://', f'://{SINK_NODE}:{sink_password}@')}"
            f"/eventsink/{SINK_NODE}",
            # With bulk support, as README advises for production: what queues up while a POST
            # is under way goes in the next one (one POST per event otherwise).
            "EMU_EVENT_SINK_BULK": "100",
            **certificate.emulator_env(),
            "EMU_VDX_PROVISION_DELAY": PROVISION_DELAY,
            "EMU_BDPM_ALLOW_LIST": BFF_ALLOW_LIST,
            **(extra_emulator_env or {}),
        },
        f"http://{public_host}:{emulator_port}",
        workdir,
    )
    try:
        if plugin_url:
            wait_port_free("bff (plugin origin)", plugin_url)
        bff = _start(
            "bff",
            "bff",
            {
                "BV_HOST": host,
                "BV_PORT": str(bff_port),
                "BV_PUBLIC_URL": public_bff_url,
                "BV_DATA_DIR": str(data_dir or workdir / "redis"),
                "PEXIP_NODE_URL": emulator_url,
                **bff_vdx_env(emulator_url, certificate),
                "BV_DEMO": "1",  # the development stack: the demo party credentials count
                **plugin_origin_env,
                "BV_EVENT_SINK_NODES": f"{SINK_NODE}:{sha256_hex(sink_password)}",
                "BV_STATS_STEERING_KEY_SHA256": sha256_hex(DEMO_STEERING_KEY),
                **({"BV_TLS_CERT": str(tls.cert), "BV_TLS_KEY": str(tls.key)} if tls else {}),
                **(extra_bff_env or {}),
            },
            public_bff_url,
            workdir,
            verify,
            launcher=bff_launcher,
        )
    except BaseException:
        emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    stack = Stack(emulator, bff, workdir, tls, plugin_url)
    try:
        yield stack
    finally:
        stop_all(bff, emulator)
        shutil.rmtree(workdir, ignore_errors=True)  # logs and the throwaway Redis


def write_y4m(path: Path, rgb: tuple[int, int, int], width: int = 320, height: int = 240) -> Path:
    """A short clip of one solid colour with a moving grey square (so the encoder has work)."""
    y, u, v = _rgb_to_yuv(rgb)
    frames = 30
    header = f"YUV4MPEG2 W{width} H{height} F15:1 Ip A1:1 C420jpeg\n".encode()
    chroma = bytes([u]) * (width * height // 4) + bytes([v]) * (width * height // 4)
    with path.open("wb") as out:
        out.write(header)
        for index in range(frames):
            luma = bytearray([y]) * (width * height)
            left = (index * 8) % (width - 32)
            for row in range(16, 48):
                start = row * width + left
                luma[start : start + 32] = bytes([128]) * 32
            out.write(b"FRAME\n")
            out.write(bytes(luma))
            out.write(chroma)
    return path


def _rgb_to_yuv(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    r, g, b = rgb
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    v = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
    return tuple(max(0, min(255, round(c))) for c in (y, u, v))  # type: ignore[return-value]
