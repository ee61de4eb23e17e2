# ruff: noqa: S105, S106
# (test tooling: fixed dev tokens, and subprocesses we start ourselves)
"""Start the emulator as a real uvicorn server (a subprocess) on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
VDX_TOKEN = "test-vdx-token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(tmp_path: Path, **env: str) -> Iterator[str]:
    port = _free_port()
    log_path = tmp_path / f"emulator-{port}.log"
    full_env = (
        os.environ
        | {
            "EMU_HOST": "127.0.0.1",
            "EMU_PORT": str(port),
            "EMU_VDX_TOKEN": VDX_TOKEN,
            "EMU_SSE_KEEPALIVE": "1",
            # Nothing listens here: the EOJ page must report the BFF as unreachable.
            "EMU_BFF_URL": f"http://127.0.0.1:{_free_port()}",
        }
        | env
    )
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "emulator"], cwd=ROOT, env=full_env, stdout=log, stderr=log
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            if proc.poll() is not None:
                break
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.05)
        else:
            raise RuntimeError("emulator did not become healthy")
        if proc.poll() is not None:
            raise RuntimeError(f"emulator exited:\n{log_path.read_text()}")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if os.environ.get("EMU_TEST_SHOW_LOG"):
            print(log_path.read_text())


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _start(tmp_path_factory.mktemp("emu"))


@pytest.fixture(scope="session")
def short_ttl_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Also runs without the demo EOJ key, to show the page explains that.
    yield from _start(
        tmp_path_factory.mktemp("emu-ttl"),
        EMU_TOKEN_TTL="2",
        EMU_EOJ_KEY_FILE="/nonexistent/key.pem",
    )
