"""The production-shaped stack (`make stack`, deploy/stack/): Redis with appendfsync always,
two BFF containers from the image, Caddy terminating TLS in front. A case system books over
HTTPS, a citizen and a nurse call each other through it, one BFF container is killed mid-call
and the call goes on (the event streams reconnect through the other), then the case system
cancels through the survivor and both browsers see the end. `make test-image` runs it."""

from __future__ import annotations

import os
import secrets
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_API_KEY, _start, bff_vdx_env, free_port
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import launch_token, launch_url
from e2e.test_citizen_call import PHONE, join, press_join, wait_for_colour
from e2e.test_image import _make_variable, _run, podman_command

ROOT = Path(__file__).resolve().parents[1]
STACK = ROOT / "deploy" / "stack" / "stack"


@dataclass
class RunningStack:
    bff_url: str  # Caddy: what browsers and case systems reach
    emulator_url: str
    root_ca: Path
    name: str

    def client(self) -> httpx.Client:
        return httpx.Client(verify=ssl.create_default_context(cafile=self.root_ca), timeout=15)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    podman = podman_command()
    built = subprocess.run(
        ["make", "image", "stack-bases"], cwd=ROOT, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (image,) = _make_variable("IMAGE")
    workdir = tmp_path_factory.mktemp("stack")
    port, emulator_port = free_port(), free_port()
    site = f"https://127.0.0.1:{port}"
    emulator_url = f"http://127.0.0.1:{emulator_port}"
    emulator = _start(
        "emulator",
        "emulator",
        {"EMU_HOST": "127.0.0.1", "EMU_PORT": str(emulator_port), "EMU_BFF_URL": site},
        emulator_url,
        workdir,
    )
    env_file = workdir / "borgervideo.env"
    settings = {
        "BV_PUBLIC_URL": site,
        "BV_DATA_KEY": secrets.token_urlsafe(32),
        "PEXIP_NODE_URL": emulator_url,
        **bff_vdx_env(emulator_url),
        "BV_DEMO": "1",  # the demo parties' API and EOJ keys
    }
    env_file.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    name = f"bv-stack-{secrets.token_hex(3)}"
    make_env = dict(word.split("=", 1) for word in _make_variable("PODMAN_ENV"))
    env = (
        os.environ
        | make_env
        | {
            "PODMAN": " ".join(_make_variable("PODMAN")),
            "STACK_NAME": name,
            "STACK_ENV_FILE": str(env_file),
            "STACK_IMAGE": image,
            "STACK_SITE": site,
            "STACK_DATA": str(workdir / "data"),
            "STACK_REDIS_PORT": str(free_port()),
            "STACK_BFF_PORTS": f"{free_port()} {free_port()}",
        }
    )
    up = subprocess.run([str(STACK), "up"], env=env, capture_output=True, text=True)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        running = RunningStack(
            site, emulator_url, workdir / "data/caddy/caddy/pki/authorities/local/root.crt", name
        )
        _wait_ready(running)
        yield running
    finally:
        for container in ("bff-1", "bff-2", "proxy"):
            print(f"----- {container} -----")
            print(_run(podman, "logs", f"{name}-{container}").stderr[-4000:])
        subprocess.run([str(STACK), "down"], env=env, capture_output=True)
        emulator.stop()


def _wait_ready(stack: RunningStack, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            if stack.root_ca.is_file():
                answer = stack.client().get(f"{stack.bff_url}/readyz")
                if answer.status_code == 200:
                    return
                last = answer.text
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(1)
    raise AssertionError(f"the stack is not ready: {last}")


def _book(stack: RunningStack) -> tuple[str, str]:
    now = time.time()
    body = {
        "subject": "Opfølgning på hjemmepleje",
        "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "end": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 3600)),
        "guests": [{"display_name": "Karen Jensen"}],
    }
    answer = stack.client().post(
        f"{stack.bff_url}/api/v1/meetings", json=body, headers={"X-API-Key": DEMO_API_KEY}
    )
    assert answer.status_code == 201, answer.text
    meeting = answer.json()
    return meeting["id"], meeting["guests"][0]["link"]


def _in_call(
    stack: RunningStack, citizen_browser: Browser, nurse_browser: Browser
) -> tuple[str, Page, Page]:
    meeting_id, link = _book(stack)
    assert link.startswith(stack.bff_url)
    citizen = citizen_browser.new_context(
        ignore_https_errors=True, locale="da-DK", **PHONE
    ).new_page()
    citizen.goto(link)
    press_join(citizen)
    nurse = nurse_browser.new_context(
        ignore_https_errors=True, locale="da-DK", viewport={"width": 1280, "height": 800}
    ).new_page()
    nurse.goto(launch_url(stack, launch_token(meeting_id)))  # type: ignore[arg-type]
    join(nurse)
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    return meeting_id, citizen, nurse


def test_a_call_through_the_stack_survives_losing_a_bff(
    stack: RunningStack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    ready = stack.client().get(f"{stack.bff_url}/readyz")
    assert ready.json()["checks"]["redis"] == "ok"
    assert ready.headers.get("strict-transport-security")  # https end to end for the BFF

    meeting_id, citizen, nurse = _in_call(stack, citizen_browser, nurse_browser)
    # Kill the container that redeemed the citizen's link (round robin put it on one of them).
    redeemed = f"guest link redeemed party=kobenhavn meeting={meeting_id}"
    (victim,) = [
        container
        for container in (f"{stack.name}-bff-1", f"{stack.name}-bff-2")
        if redeemed in _run(podman_command(), "logs", container).stderr
    ]
    killed = _run(podman_command(), "kill", victim)
    assert killed.returncode == 0, killed.stderr
    # The call goes on: media never passed the BFF, the event streams reconnect through the
    # other container, and every request Caddy sends to the dead one is retried on the other.
    for _ in range(5):
        answer = stack.client().get(
            f"{stack.bff_url}/api/v1/meetings/{meeting_id}", headers={"X-API-Key": DEMO_API_KEY}
        )
        assert answer.status_code == 200, answer.text
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    cancel = stack.client().delete(
        f"{stack.bff_url}/api/v1/meetings/{meeting_id}", headers={"X-API-Key": DEMO_API_KEY}
    )
    assert cancel.status_code in (200, 204), cancel.text
    expect(citizen.get_by_test_id("call-ended")).to_be_visible(timeout=30_000)
    expect(nurse.get_by_test_id("call-ended")).to_be_visible(timeout=30_000)
    citizen.context.close()
    nurse.context.close()
