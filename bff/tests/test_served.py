"""`python -m bff` under uvicorn: SSE streams through the proxy, and nothing secret is logged."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from bff.tests.conftest import KOBENHAVN_KEY, booking, served_bff_env
from devstack.stack import free_port, running_service


@pytest.fixture
def served(tmp_path: Path, dist: Path, emulator_url: str) -> Iterator[tuple[str, Path]]:
    port = free_port()
    env = {
        **served_bff_env(port, tmp_path / "redis", dist, emulator_url),
        "BV_DEMO": "1",  # it books with the demo party's API key
    }
    with running_service("bff", env, f"http://127.0.0.1:{port}", tmp_path) as bff:
        yield bff.url, bff.log_path


def test_events_stream_through_proxy_and_logs_stay_clean(
    served: tuple[str, Path], emulator_url: str
) -> None:
    base, log = served
    phone = "+4530" + str(time.time_ns())[-6:]
    body = booking(guests=[{"display_name": "Borger Sørensen", "phone": phone}])
    created = httpx.post(
        f"{base}/api/v1/meetings", json=body, headers={"X-API-Key": KOBENHAVN_KEY}
    ).json()
    link = created["guests"][0]["link"]
    with httpx.Client(base_url=base) as browser:
        redeemed = browser.get(link)
        assert redeemed.status_code == 200
        alias = redeemed.text.split('"conferenceAlias":"')[1].split('"')[0]
        path = f"/api/client/v2/conferences/{quote(alias)}"
        joined = browser.post(f"{path}/request_token", json={"display_name": "x"}).json()
        token = joined["result"]["token"]
        with browser.stream(
            "GET", f"{path}/events", params={"token": token}, timeout=httpx.Timeout(10.0)
        ) as events:
            assert events.status_code == 200
            assert events.headers["content-type"].startswith("text/event-stream")
            first = next(events.iter_raw())
            assert first.startswith(b":") or first.startswith(b"event:")
        # The stream was closed mid-way; the BFF keeps serving.
        again = browser.post(f"{path}/refresh_token", headers={"token": token})
        assert again.status_code == 200
        assert browser.delete("/api/session").status_code == 204

    text = log.read_text()
    assert "meeting booked party=kobenhavn" in text  # the log is being written at all
    assert "VDX token renewed" in text
    assert "eyJ" not in text  # no VDX access token (a JWT) either
    for secret in (link.rsplit("/", 1)[1], token, phone, "Borger Sørensen", alias):
        assert secret not in text, secret
