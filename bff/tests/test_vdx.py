"""The BFF against VDX as it really behaves: short-lived tokens it fetches and renews itself,
cancelling by the route VDX accepts, and rooms that exist only from vmrAvailableBefore."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import msgspec
import pytest
from authlib.oauth2.rfc6749 import OAuth2Token
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.meetings.vdx import VdxClient
from bff.meetings.vdx_auth import ClientCredentials, new_vdx_auth
from bff.settings import Settings, SettingsError, load_settings
from bff.tests.conftest import KOBENHAVN_KEY, booking
from bff.tests.test_integration import launch_token, link_path, stored_meeting, vdx_get
from devstack.stack import VDX_TOKEN_PATH, free_port, running_service, vdx_headers

API = {"X-API-Key": KOBENHAVN_KEY}
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
STS_ASSERTION = '<saml:Assertion ID="dev">emulator</saml:Assertion>'  # the emulator's default


@pytest.fixture(scope="module")
def short_token_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """VDX tokens that live 3 seconds."""
    port = free_port()
    env = {"EMU_HOST": "127.0.0.1", "EMU_PORT": str(port), "EMU_VDX_TOKEN_LIFETIME": "3"}
    workdir = tmp_path_factory.mktemp("emu-short-tokens")
    with running_service("emulator", env, f"http://127.0.0.1:{port}", workdir) as emulator:
        yield emulator.url


def vdx_settings(settings: Settings, emulator: str, **over: Any) -> Settings:
    return msgspec.structs.replace(
        settings,
        vdx_video_api_url=f"{emulator}/videoapi",
        vdx_sms_api_url=f"{emulator}/smsapi",
        vdx_token_url=f"{emulator}{VDX_TOKEN_PATH}",
        **over,
    )


async def book_at_vdx(vdx: VdxClient, start: datetime) -> str:
    room = await vdx.create_meeting(
        subject="Opfølgning",
        start=start,
        end=start + timedelta(hours=1),
        host_pin="12345678",
        guest_pin="87654321",
        external_id="test",
    )
    return room.uuid


# --- Tokens -------------------------------------------------------------------------------


async def test_token_is_reused_then_renewed_when_it_expires(
    settings: Settings, short_token_emulator: str
) -> None:
    settings = vdx_settings(settings, short_token_emulator)
    async with httpx.AsyncClient() as http:
        auth = new_vdx_auth(settings, http)
        assert isinstance(auth, ClientCredentials)
        vdx = VdxClient(http, settings, auth)
        now = datetime.now(UTC)
        await book_at_vdx(vdx, now)
        first = await auth.authorization("VideoAPI")
        await vdx.send_sms(await book_at_vdx(vdx, now), "+4512121212", "Hej")
        assert await auth.authorization("SmsAPI") == first  # cached, one JWT for both
        await asyncio.sleep(3.2)  # past the token's lifetime
        await book_at_vdx(vdx, now)
        assert await auth.authorization("VideoAPI") != first


async def test_refused_token_is_renewed_once_and_the_call_retried(
    settings: Settings, emulator_url: str
) -> None:
    settings = vdx_settings(settings, emulator_url)
    async with httpx.AsyncClient() as http:
        auth = new_vdx_auth(settings, http)
        assert isinstance(auth, ClientCredentials)
        vdx = VdxClient(http, settings, auth)
        # A token VDX no longer accepts (revoked, or its signing key rotated) but not yet due.
        auth._tokens["keycloak"] = OAuth2Token({"access_token": "revoked", "expires_in": 300})
        await book_at_vdx(vdx, datetime.now(UTC))
        assert await auth.authorization("VideoAPI") != "Bearer revoked"


async def test_sts_exchange_books_and_sends_sms(
    settings: Settings, emulator_url: str, tmp_path: Path
) -> None:
    sts_file = tmp_path / "sts-assertion.xml"
    sts_file.write_text(STS_ASSERTION)
    settings = vdx_settings(
        settings, emulator_url, vdx_auth="sts_exchange", vdx_sts_token_file=sts_file
    )
    async with AsyncTestClient(app=create_app(settings)) as client:
        body = booking(guests=[{"display_name": "Borger", "phone": "+4523232323"}])
        resp = await client.post("/api/v1/meetings", json=body, headers=API)
        assert resp.status_code == 201, resp.text
        assert resp.json()["guests"][0]["sms_sent"] is True
        auth = client.app.state.vdx_auth
        video, sms = await auth.authorization("VideoAPI"), await auth.authorization("SmsAPI")
        assert video.startswith("Holder-of-key ") and sms.startswith("Holder-of-key ")
        assert video != sms  # each service exchanges its own

        sts_file.write_text("<saml:Assertion>expired</saml:Assertion>")
        auth.forget("VideoAPI", video)
        resp = await client.post("/api/v1/meetings", json=booking(), headers=API)
        assert resp.status_code == 502
        assert resp.json()["detail"] == "VDX VideoAPI token exchange answered 401"


def test_vdx_settings_are_validated_naming_the_variable(tmp_path: Path) -> None:
    cases = [
        ({"VDX_AUTH": "password"}, "VDX_AUTH"),
        ({"VDX_TOKEN_URL": "https://kc.example/realms/vdx/token"}, "VDX_CLIENT_ID"),
        (
            {"VDX_TOKEN_URL": "https://kc.example/realms/vdx/token", "VDX_CLIENT_ID": "bv"},
            "VDX_CLIENT_SECRET",
        ),
        ({"VDX_TOKEN_URL": "kc.example"}, "VDX_TOKEN_URL"),
        ({"VDX_AUTH": "sts_exchange"}, "VDX_STS_TOKEN_FILE"),
        ({"VDX_AUTH": "sts_exchange", "VDX_STS_TOKEN_FILE": str(tmp_path / "no")}, "no such"),
        ({"VDX_AUTH": "static"}, "VDX_API_TOKEN"),
        ({"VDX_SCHEDULING_TEMPLATE_ID": "x"}, "VDX_SCHEDULING_TEMPLATE_ID"),
    ]
    for env, named in cases:
        with pytest.raises(SettingsError, match=named):
            load_settings(env)
    real = load_settings(
        {
            "VDX_TOKEN_URL": "https://kc.example/auth/realms/vdx/protocol/openid-connect/token",
            "VDX_CLIENT_ID": "borgervideo-kbh",
            "VDX_CLIENT_SECRET": "s3cret",
            "VDX_SCHEDULING_TEMPLATE_ID": "7",
        }
    )
    assert (real.vdx_auth, real.vdx_client_id, real.vdx_scheduling_template_id) == (
        "client_credentials",
        "borgervideo-kbh",
        7,
    )


async def test_scheduling_template_reaches_vdx(settings: Settings) -> None:
    app = create_app(msgspec.structs.replace(settings, vdx_scheduling_template_id=99))
    async with AsyncTestClient(app=app) as client:
        resp = await client.post("/api/v1/meetings", json=booking(), headers=API)
        assert resp.status_code == 502  # the emulator has template 1 only
        assert resp.json()["detail"] == "VDX VideoAPI answered 400"


# --- Cancelling and provisioning ----------------------------------------------------------


async def test_cancel_before_provisioning_deletes_the_vdx_meeting(
    client: AsyncTestClient[Litestar], app: Litestar, emulator_url: str
) -> None:
    resp = await client.post("/api/v1/meetings", json=booking(timedelta(hours=3)), headers=API)
    created = resp.json()
    meeting = await stored_meeting(app, created["id"])
    url = f"{emulator_url}/videoapi/v2/scheduling-info/{meeting.vdx_uuid}"
    info = (await vdx_get(url, headers=vdx_headers(emulator_url))).json()
    assert info["provisionStatus"] == "AWAITS_PROVISION"
    assert (
        await client.delete(f"/api/v1/meetings/{created['id']}", headers=API)
    ).status_code == 204
    assert (await vdx_get(url, headers=vdx_headers(emulator_url))).status_code == 404
    link = await client.get(link_path(created))
    assert link.status_code == 410 and "aflyst" in link.text


def _clock(moment: datetime) -> str:
    return f"kl. {moment.astimezone(COPENHAGEN):%H.%M}"


async def test_early_arrivals_learn_when_the_room_opens(
    client: AsyncTestClient[Litestar], app: Litestar, signer: Any
) -> None:
    """The link opens 30 minutes before the start, VDX's room 15 (the emulator's template):
    a citizen or nurse in between gets the room's time, not the node's 404."""
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=25)
    body = booking() | {"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()}
    created = (await client.post("/api/v1/meetings", json=body, headers=API)).json()
    meeting = await stored_meeting(app, created["id"])
    assert meeting.room_available_from == start - timedelta(minutes=15)

    citizen = await client.get(link_path(created))
    assert citizen.status_code == 425
    assert f"Mødet åbner {_clock(start - timedelta(minutes=15))}" in citizen.text
    assert _clock(start - timedelta(minutes=30)) not in citizen.text

    token = launch_token(signer, created["id"])
    nurse = await client.get("/kobenhavn/launch", params={"token": token})
    assert nurse.status_code == 425
    assert f"Mødet åbner {_clock(start - timedelta(minutes=15))}" in nurse.text
    assert re.search(r"Du kan deltage fra \w+ \d+\. \w+ kl\. \d\d\.\d\d", nurse.text)
