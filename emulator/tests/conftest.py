# ruff: noqa: S105, S106
# (test tooling: fixed dev tokens, and subprocesses we start ourselves)
"""Start the emulator as a real uvicorn server (a subprocess) on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.stack import VdxCertificateRoute, free_port, running_service, vdx_certificate_route

VDX_CLIENT_ID = "test-client"
VDX_CLIENT_SECRET = "test-vdx-secret"
VDX_STS_TOKEN = "<saml:Assertion>test</saml:Assertion>"


@pytest.fixture(scope="session")
def certificate_route(tmp_path_factory: pytest.TempPathFactory) -> VdxCertificateRoute:
    """The SmsAPI's mutual-TLS listener of the `emulator` fixture: a throwaway CA."""
    return vdx_certificate_route(tmp_path_factory.mktemp("vdx-pki"))


def _start(tmp_path: Path, **env: str) -> Iterator[str]:
    port = free_port()
    settings = {
        "EMU_HOST": "127.0.0.1",
        "EMU_PORT": str(port),
        "EMU_VDX_CLIENT_ID": VDX_CLIENT_ID,
        "EMU_VDX_CLIENT_SECRET": VDX_CLIENT_SECRET,
        "EMU_VDX_STS_TOKEN": VDX_STS_TOKEN,
        "EMU_SSE_KEEPALIVE": "1",
        # Every test calls from 127.0.0.1: allow-listed, so no test's wrong PINs or unknown
        # aliases quarantine the address for the others (test_vdx tests the quarantine).
        "EMU_BDPM_ALLOW_LIST": "127.0.0.1=pins+aliases",
        # Nothing listens here: the EOJ page must report the BFF as unreachable.
        "EMU_BFF_URL": f"http://127.0.0.1:{free_port()}",
    }
    with running_service("emulator", settings | env, f"http://127.0.0.1:{port}", tmp_path) as emu:
        yield emu.url


@pytest.fixture(scope="session")
def emulator(
    tmp_path_factory: pytest.TempPathFactory, certificate_route: VdxCertificateRoute
) -> Iterator[str]:
    yield from _start(tmp_path_factory.mktemp("emu"), **certificate_route.emulator_env())


@pytest.fixture(scope="session")
def short_ttl_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Also runs without the demo EOJ key, to show the page explains that.
    yield from _start(
        tmp_path_factory.mktemp("emu-ttl"),
        EMU_TOKEN_TTL="2",
        EMU_VDX_TOKEN_LIFETIME="2",
        EMU_EOJ_KEY_FILE="/nonexistent/key.pem",
    )


@pytest.fixture(scope="session")
def controlled_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """With the tests' controls (EMU_TEST_CONTROLS): cutting a participant's media path."""
    yield from _start(tmp_path_factory.mktemp("emu-controls"), EMU_TEST_CONTROLS="1")
