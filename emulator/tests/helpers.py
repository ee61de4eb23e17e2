"""Small HTTP helpers shared by the tests: book a room, join it, read events."""

from __future__ import annotations

import base64
import json
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx

from devstack.stack import VdxCertificateRoute
from emulator.tests.conftest import VDX_CLIENT_ID, VDX_CLIENT_SECRET, VDX_STS_TOKEN

KEYCLOAK_TOKEN = "/auth/realms/vdx/protocol/openid-connect/token"  # noqa: S105 (a path)


def auth(base: str) -> dict[str, str]:
    """A fresh VDX access token from the emulated Keycloak (client-credentials grant)."""
    res = httpx.post(
        f"{base}{KEYCLOAK_TOKEN}",
        data={"grant_type": "client_credentials"},
        auth=(VDX_CLIENT_ID, VDX_CLIENT_SECRET),
    )
    assert res.status_code == 200, res.text
    return {"Authorization": f"Bearer {res.json()['access_token']}"}


def mtls_client(route: VdxCertificateRoute, cert: tuple[str, str] | None = None) -> httpx.Client:
    """An HTTP client to the SmsAPI's mutual-TLS listener with the route's client certificate
    (or `cert`), trusting the throwaway CA."""
    context = ssl.create_default_context(cafile=str(route.files.ca))
    context.load_cert_chain(*(cert or (str(route.files.client_cert), str(route.files.client_key))))
    return httpx.Client(base_url=route.sms_url, verify=context)


def sms_session(route: VdxCertificateRoute, assertion: str = VDX_STS_TOKEN) -> httpx.Client:
    """The certificate route as MedCom's client takes it: the STS assertion exchanged at
    `{SMS}/token`, the answer's token_type and token on every call (same certificate)."""
    client = mtls_client(route)
    saml = base64.b64encode(assertion.encode()).decode()
    answer = client.post("/token", data={"saml-token": saml})
    assert answer.status_code == 200, answer.text
    token = answer.json()
    client.headers["Authorization"] = f"{token['token_type']} {token['access_token']}"
    return client


@dataclass
class Booked:
    uuid: str
    alias: str
    host_pin: str
    guest_pin: str


@dataclass
class Joined:
    token: str
    uuid: str
    role: str


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def book(base: str, **extra: Any) -> Booked:
    """A meeting starting now: its room is provisioned on the node at once."""
    now = datetime.now(UTC)
    body = {
        "subject": "Test",
        "startTime": iso(now),
        "endTime": iso(now + timedelta(hours=1)),
    } | extra
    res = httpx.post(f"{base}/videoapi/v2/meetings", json=body, headers=auth(base))
    assert res.status_code == 200, res.text
    info = scheduling_info(base, res.json()["uuid"])
    return Booked(info["uuid"], info["uriWithDomain"], str(info["hostPin"]), str(info["guestPin"]))


def scheduling_info(base: str, meeting_uuid: str) -> dict[str, Any]:
    res = httpx.get(f"{base}/videoapi/v2/scheduling-info/{meeting_uuid}", headers=auth(base))
    assert res.status_code == 200, res.text
    return dict(res.json())


def end_meeting(base: str, meeting_uuid: str) -> httpx.Response:
    """End a provisioned meeting as VDX allows it: PATCH its endTime to now."""
    return httpx.patch(
        f"{base}/videoapi/v2/meetings/{meeting_uuid}",
        json={"endTime": iso(datetime.now(UTC))},
        headers=auth(base),
    )


def conf_url(base: str, alias: str, path: str) -> str:
    return f"{base}/api/client/v2/conferences/{quote(alias, safe='')}/{path}"


def join(base: str, alias: str, pin: str, name: str = "Tester", call_tag: str = "") -> Joined:
    res = httpx.post(
        conf_url(base, alias, "request_token"),
        json={"display_name": name, "call_tag": call_tag},
        headers={"pin": pin},
    )
    assert res.status_code == 200, res.text
    result = res.json()["result"]
    return Joined(result["token"], result["participant_uuid"], result["role"])


def parse_sse(lines: list[str]) -> list[tuple[str, Any]]:
    events: list[tuple[str, Any]] = []
    name = None
    for line in lines:
        if line.startswith("event: "):
            name = line[len("event: ") :]
        elif line.startswith("data: ") and name is not None:
            events.append((name, json.loads(line[len("data: ") :])))
            name = None
    return events


def rooms(base: str) -> dict[str, list[dict[str, Any]]]:
    return {r["alias"]: r["participants"] for r in httpx.get(f"{base}/emulator/rooms").json()}
