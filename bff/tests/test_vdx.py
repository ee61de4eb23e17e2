"""The BFF against VDX as it really behaves: short-lived tokens it fetches and renews itself,
cancelling by the route VDX accepts, and rooms that exist only from vmrAvailableBefore."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from authlib.oauth2.rfc6749 import OAuth2Token
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core.settings import (
    Settings,
    SettingsError,
    load_settings,
    missing_live_settings,
    value_of,
)
from bff.meetings.vdx import VdxClient
from bff.meetings.vdx_auth import KeycloakJwt, VdxAuth, new_vdx_auth
from bff.tests.conftest import KOBENHAVN_KEY, booking, certificate_settings, settings_with
from bff.tests.test_integration import launch_token, link_path, stored_meeting, vdx_get
from devstack.stack import VDX_TOKEN_PATH, bff_vdx_env, free_port, running_service, vdx_headers

API = {"X-API-Key": KOBENHAVN_KEY}
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@pytest.fixture(scope="module")
def short_token_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """VDX tokens that live 3 seconds."""
    port = free_port()
    env = {"EMU_HOST": "127.0.0.1", "EMU_PORT": str(port), "EMU_VDX_TOKEN_LIFETIME": "3"}
    workdir = tmp_path_factory.mktemp("emu-short-tokens")
    with running_service("emulator", env, f"http://127.0.0.1:{port}", workdir) as emulator:
        yield emulator.url


def vdx_settings(settings: Settings, emulator: str, **over: Any) -> Settings:
    return settings_with(
        settings,
        vdx={
            "video_api_url": f"{emulator}/videoapi",
            "token_url": f"{emulator}{VDX_TOKEN_PATH}",
            **(certificate_settings(emulator) | over),
        },
    )


@asynccontextmanager
async def videoapi_by_jwt(
    settings: Settings, emulator: str
) -> AsyncIterator[tuple[VdxAuth, KeycloakJwt, VdxClient]]:
    """A VDX client of the emulator, VideoAPI by a Keycloak JWT: (its auth, that route, it)."""
    settings = vdx_settings(settings, emulator)
    async with httpx.AsyncClient() as http:
        auth = new_vdx_auth(settings, http)
        route = auth.routes["VideoAPI"]
        assert isinstance(route, KeycloakJwt)
        yield auth, route, VdxClient(http, settings, auth)


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


# --- Tokens and routes --------------------------------------------------------------------


async def test_token_is_reused_then_renewed_when_it_expires(
    settings: Settings, short_token_emulator: str
) -> None:
    async with videoapi_by_jwt(settings, short_token_emulator) as (auth, _, vdx):
        now = datetime.now(UTC)
        await book_at_vdx(vdx, now)
        first = await auth.authorization("VideoAPI")
        await book_at_vdx(vdx, now)
        assert await auth.authorization("VideoAPI") == first  # cached
        await asyncio.sleep(3.2)  # past the token's lifetime
        await book_at_vdx(vdx, now)
        assert await auth.authorization("VideoAPI") != first


async def test_refused_token_is_renewed_once_and_the_call_retried(
    settings: Settings, emulator_url: str
) -> None:
    async with videoapi_by_jwt(settings, emulator_url) as (auth, route, vdx):
        # A token VDX no longer accepts (revoked, or its signing key rotated) but not yet due.
        route._token = OAuth2Token(
            {"access_token": "revoked", "token_type": "Bearer", "expires_in": 300}
        )
        await book_at_vdx(vdx, datetime.now(UTC))
        assert await auth.authorization("VideoAPI") != "Bearer revoked"
        await auth.aclose()


async def test_videoapi_by_jwt_and_sms_by_certificate_over_mutual_tls(
    settings: Settings, tmp_path: Path
) -> None:
    """MedCom's routes: the SMS goes to {SMS}/v1/meeting/{uuid} with the token_type the
    certificate proxy answered, over the client certificate; VideoAPI with a Keycloak JWT."""
    assert settings.vdx.sms_api_route == "certificate"
    assert settings.vdx.sms_api_url.startswith("https://")
    sts_file = tmp_path / "sts-assertion.xml"
    assert settings.vdx.sts_token_file is not None
    sts_file.write_text(settings.vdx.sts_token_file.read_text())
    settings = settings_with(settings, vdx={"sts_token_file": sts_file})
    async with AsyncTestClient(app=create_app(settings)) as client:
        body = booking(guests=[{"display_name": "Borger", "phone": "+4523232323"}])
        resp = await client.post("/api/v1/meetings", json=body, headers=API)
        assert resp.status_code == 201, resp.text
        assert resp.json()["guests"][0]["sms_sent"] is True
        auth = client.app.state.vdx_auth
        video, sms = await auth.authorization("VideoAPI"), await auth.authorization("SmsAPI")
        assert video.startswith("Bearer ") and sms.startswith("Holder-of-key ")

        sts_file.write_text("<saml:Assertion>expired</saml:Assertion>")
        auth.forget("SmsAPI", sms)
        resp = await client.post("/api/v1/meetings", json=body, headers=API)
        assert resp.status_code == 201  # booked; the SMS could not go
        guest = resp.json()["guests"][0]
        assert guest["sms_sent"] is False
        assert guest["sms_error"] == "VDX SmsAPI token exchange answered 401"


async def test_certificate_route_without_its_certificate_is_refused(
    settings: Settings,
) -> None:
    """The same SMS over the plain listener (no client certificate): the proxy refuses."""
    plain = settings_with(settings, vdx={"sms_api_url": f"{settings.vdx.node_url}/smsapi"})
    async with AsyncTestClient(app=create_app(plain)) as client:
        body = booking(guests=[{"display_name": "Borger", "phone": "+4523232324"}])
        resp = await client.post("/api/v1/meetings", json=body, headers=API)
        assert resp.status_code == 201, resp.text
        assert resp.json()["guests"][0]["sms_sent"] is False


async def test_gateway_route_sends_no_credentials(settings: Settings) -> None:
    """`gateway`: a local proxy adds them; whatever answers sees no Authorization header."""
    seen: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"status": "SENT"})

    routed = settings_with(
        settings, vdx={"sms_api_route": "gateway", "sms_api_url": "http://gateway.local/sms"}
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(gateway)) as http:
        auth = new_vdx_auth(routed, http)
        await VdxClient(http, routed, auth).send_sms("u-1", "+4511111111", "Hej")
    assert [str(r.url) for r in seen] == ["http://gateway.local/sms/v1/meeting/u-1"]
    assert "authorization" not in seen[0].headers


def test_vdx_settings_are_validated_naming_the_variable(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    cases = [
        ({"VDX_AUTH": "client_credentials"}, "VDX_AUTH: replaced by VDX_VIDEO_API_ROUTE"),
        ({"VDX_VIDEO_API_ROUTE": "certificate"}, "SecurityConfiguration.java"),
        ({"VDX_SMS_API_ROUTE": "jwt"}, "SmsClientImpl.java"),
        ({"VDX_SMS_API_ROUTE": "password"}, "VDX_SMS_API_ROUTE"),
        ({"VDX_TOKEN_URL": "https://kc.example/realms/vdx/token"}, "VDX_CLIENT_ID"),
        (
            {"VDX_TOKEN_URL": "https://kc.example/realms/vdx/token", "VDX_CLIENT_ID": "bv"},
            "VDX_CLIENT_SECRET",
        ),
        ({"VDX_TOKEN_URL": "kc.example"}, "VDX_TOKEN_URL"),
        ({"VDX_SMS_CLIENT_CERT": str(cert)}, "VDX_SMS_CLIENT_KEY"),
        ({"VDX_SMS_CLIENT_CERT": str(tmp_path / "no")}, "no such"),
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
    assert (real.vdx.video_api_route, real.vdx.client_id, real.vdx.scheduling_template_id) == (
        "jwt",
        "borgervideo-kbh",
        7,
    )


def test_production_names_every_missing_vdx_setting() -> None:
    """Nothing defaults to the emulator, not even in the development stack (devstack names
    its addresses and client): `python -m bff` names what is missing."""
    production = load_settings({})
    assert (production.vdx.node_url, production.vdx.token_url) == ("", "")
    assert missing_live_settings(production) == [
        "PEXIP_NODE_URL",
        "VDX_VIDEO_API_URL",
        "VDX_SMS_API_URL",
        "VDX_TOKEN_URL",
        "VDX_CLIENT_ID",
        "VDX_CLIENT_SECRET",
        "VDX_SMS_CLIENT_CERT",
        "VDX_SMS_CLIENT_KEY",
        "VDX_STS_TOKEN_FILE",
    ]
    gateways = load_settings({"VDX_VIDEO_API_ROUTE": "gateway", "VDX_SMS_API_ROUTE": "gateway"})
    assert missing_live_settings(gateways) == [
        "PEXIP_NODE_URL",
        "VDX_VIDEO_API_URL",
        "VDX_SMS_API_URL",
    ]
    demo = load_settings({"BV_DEMO": "1", "VDX_SMS_API_ROUTE": "gateway"})
    assert demo.vdx.video_api_url == ""
    assert missing_live_settings(demo)[:3] == [
        "PEXIP_NODE_URL",
        "VDX_VIDEO_API_URL",
        "VDX_SMS_API_URL",
    ]
    assert missing_live_settings(load_settings(bff_env_of_devstack())) == []


def bff_env_of_devstack() -> dict[str, str]:
    return {
        "PEXIP_NODE_URL": "http://127.0.0.1:8090",
        "BV_DEMO": "1",
        **bff_vdx_env("http://127.0.0.1:8090"),
    }


@pytest.mark.parametrize(
    ("name", "secret"),
    [("VDX_CLIENT_SECRET", "dev-vdx-secret"), ("VDX_HISTORY_API_KEY", "dev-history-key")],
)
def test_the_emulators_development_secrets_are_refused_outside_the_dev_stack(
    name: str, secret: str
) -> None:
    """The development stack passes the emulator's public secrets with BV_DEMO; a production
    setting that carries one over stops start-up naming the variable."""
    env = bff_env_of_devstack() | {
        "VDX_HISTORY_API_URL": "http://127.0.0.1:8090/apikey",
        "VDX_HISTORY_API_KEY": "a-real-key",
        "VDX_CLIENT_SECRET": "a-real-secret",
        name: secret,
    }
    assert value_of(load_settings(env), name) == secret  # the development stack's own
    with pytest.raises(SettingsError, match=rf"^{name}: '{secret}' is the emulator's public"):
        load_settings(env | {"BV_DEMO": "0"})


def test_python_m_bff_refuses_to_start_without_vdx_settings(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VDX_", "BV_", "PEXIP_"))}
    env["BV_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "bff"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "PEXIP_NODE_URL, VDX_VIDEO_API_URL" in done.stderr
    assert "must be set" in done.stderr


async def test_unknown_scheduling_template_books_with_the_default(settings: Settings) -> None:
    """As real VDX (SchedulingInfoServiceImpl.java): an unknown template id is no error, so
    a wrong VDX_SCHEDULING_TEMPLATE_ID books with the default template unnoticed."""
    app = create_app(settings_with(settings, vdx={"scheduling_template_id": 99}))
    async with AsyncTestClient(app=app) as client:
        resp = await client.post("/api/v1/meetings", json=booking(), headers=API)
        assert resp.status_code == 201


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


# --- Provisioning lag -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def lagging_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """VDX's provisioning job runs 60 s after a booking: long enough to be still waiting."""
    port = free_port()
    env = {
        "EMU_HOST": "127.0.0.1",
        "EMU_PORT": str(port),
        "EMU_VDX_PROVISION_DELAY": "60",
        "EMU_BDPM_ALLOW_LIST": "127.0.0.1=pins+aliases",
    }
    workdir = tmp_path_factory.mktemp("emu-lagging")
    with running_service("emulator", env, f"http://127.0.0.1:{port}", workdir) as emulator:
        yield emulator.url


async def test_granted_join_before_the_room_is_made_is_told_to_wait(
    settings: Settings, lagging_emulator: str
) -> None:
    """The node has no room yet and VDX says AWAITS_PROVISION: the proxy answers the client's
    own 5xx form with a reason the webapp knows, instead of the node's 404."""
    lagging = vdx_settings(settings, lagging_emulator, node_url=lagging_emulator)
    app = create_app(lagging)
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        created = (await client.post("/api/v1/meetings", json=booking(), headers=API)).json()
        meeting = await stored_meeting(app, created["id"])
        await client.get(link_path(created))
        assert client.cookies.get("bv_session")  # the citizen's grant
        answer = await client.post(
            f"/api/client/v2/conferences/{meeting.alias}/request_token",
            json={"display_name": "x"},
        )
        assert answer.status_code == 503, answer.text
        assert answer.json() == {"status": "failed", "result": "Meeting room is being prepared"}
        assert answer.headers["retry-after"] == "2"
