"""`make run` stopped and started again keeps a sandbox user's booked meetings working, as
real VDX would: the BFF's embedded Redis and the emulated VDX both keep their state under
the data folder (`.data/`), and the emulator gives provisioned meetings their rooms back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx

from devstack.stack import DEMO_API_KEY, ROOT, free_port
from e2e.helpers import request_token_when_ready, wait_for_rooms


def start_make_run(
    data_dir: Path, bff_port: int, emulator_port: int, log: Path, **extra_env: str
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "BV_DATA_DIR": str(data_dir),
        "BV_PORT": str(bff_port),
        "EMU_PORT": str(emulator_port),
        "BV_IDP_PORT": str(free_port()),
        "LAN": "",
        **extra_env,
    }
    process = subprocess.Popen(  # `make run` without make: `python -m devstack`
        [sys.executable, "-m", "devstack"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-4000:]
        if "Borgervideo is running" in log.read_text():
            return process
        time.sleep(0.2)
    process.kill()
    raise AssertionError(log.read_text()[-4000:])


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)  # Ctrl-C, as a person stops it
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_booked_meeting_survives_a_restart_of_make_run(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "data", tmp_path / "run.log"
    bff_port, emulator_port = free_port(), free_port()
    bff, emulator = f"http://127.0.0.1:{bff_port}", f"http://127.0.0.1:{emulator_port}"
    run = start_make_run(data_dir, bff_port, emulator_port, log)
    try:
        now = time.time()
        booked = httpx.post(
            f"{bff}/api/v1/meetings",
            headers={"X-API-Key": DEMO_API_KEY},
            json={
                "subject": "Før genstart",
                "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
                "end": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 3600)),
                "guests": [{"display_name": "Borger"}],
            },
            timeout=15,
        )
        assert booked.status_code == 201, booked.text
        rooms_before = wait_for_rooms(emulator, 1)  # once VDX's provisioning job has run
        assert rooms_before
    finally:
        stop(run)
    assert (data_dir / "emulator" / "vdx-state.json").exists()

    run = start_make_run(data_dir, bff_port, emulator_port, tmp_path / "run-again.log")
    try:
        rooms_after = {r["alias"] for r in httpx.get(f"{emulator}/emulator/rooms").json()}
        assert rooms_before <= rooms_after, "the provisioned meeting's room is back"
        client = httpx.Client(timeout=15)
        link = booked.json()["guests"][0]["link"]
        assert client.get(link).status_code == 200, "the citizen link still works"
        shell = client.get(f"{bff}/kobenhavn/").text
        alias = shell.split('"conferenceAlias":"', 1)[1].split('"', 1)[0]
        assert alias in rooms_after
        token = request_token_when_ready(
            client,
            f"{bff}/api/client/v2/conferences/{quote(alias)}/request_token",
            json={"display_name": "x"},
        )
        assert token.status_code == 200, token.text
    finally:
        stop(run)
