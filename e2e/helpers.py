"""What an EOJ system and a tester do around the product: book, sign launch tokens, read SMS."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey

from devstack.stack import DEMO_API_KEY, DEMO_PARTY, ROOT, Stack, vdx_headers

DEMO_EOJ_KEY = ROOT / "emulator" / "demo_keys" / "eoj-demo-private.pem"
DEMO_EOJ_KID = "nexus-demo-1"
DEMO_EOJ_ISSUER = "https://eoj.demo.localhost"
LINK_PATTERN = re.compile(r"https?://\S+/j/[A-Za-z0-9_\-]+")


@dataclass
class BookedMeeting:
    id: str
    answer: dict[str, Any]
    guest_links: list[str]


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def book_meeting(
    stack: Stack,
    *,
    guests: list[dict[str, str]] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    subject: str = "Opfølgning på hjemmepleje",
    host_name: str | None = None,
) -> BookedMeeting:
    now = datetime.now(UTC)
    body: dict[str, Any] = {
        "subject": subject,
        "start": iso(start or now),
        "end": iso(end or now + timedelta(hours=1)),
        "guests": guests or [{"display_name": "Karen Jensen"}],
    }
    if host_name is not None:
        body["host_name"] = host_name
    response = httpx.post(
        f"{stack.bff_url}/api/v1/meetings", json=body, headers={"X-API-Key": DEMO_API_KEY}
    )
    assert response.status_code == 201, response.text
    answer = response.json()
    return BookedMeeting(answer["id"], answer, [guest["link"] for guest in answer["guests"]])


def cancel_meeting(stack: Stack, meeting_id: str) -> None:
    response = httpx.delete(
        f"{stack.bff_url}/api/v1/meetings/{meeting_id}", headers={"X-API-Key": DEMO_API_KEY}
    )
    assert response.status_code in (200, 204), response.text


def outbox(stack: Stack, to: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{stack.emulator_url}/outbox", params={"to": to})
    response.raise_for_status()
    return list(response.json())


def link_from_sms(message: str) -> str:
    match = LINK_PATTERN.search(message)
    assert match, f"no citizen link in the SMS: {message!r}"
    return match.group(0)


def vdx_meeting(stack: Stack, vdx_uuid: str) -> dict[str, Any]:
    """The meeting's VDX scheduling-info: `uriWithDomain`, `hostPin`, `guestPin`, status."""
    response = httpx.get(
        f"{stack.emulator_url}/videoapi/v2/scheduling-info/{vdx_uuid}",
        headers=vdx_headers(stack.emulator_url),
    )
    response.raise_for_status()
    return dict(response.json())


def create_vdx_room(stack: Stack, host_pin: int, guest_pin: int, **extra: Any) -> dict[str, Any]:
    """A room booked straight in VDX (not through Borgervideo): joined by address and PIN.
    `extra` adds create-meeting fields (e.g. `muteAllGuests=True`)."""
    now = datetime.now(UTC)
    response = httpx.post(
        f"{stack.emulator_url}/videoapi/v2/meetings",
        json={
            "subject": "Møde booket i et andet system",
            "startTime": iso(now),
            "endTime": iso(now + timedelta(hours=1)),
            "hostPin": host_pin,
            "guestPin": guest_pin,
            "guestPinRequired": True,
        }
        | extra,
        headers=vdx_headers(stack.emulator_url),
    )
    assert response.status_code == 200, response.text
    return provisioned(stack, response.json()["uuid"])  # the address and PINs


def request_token_when_ready(
    client: httpx.Client, url: str, timeout: float = 30, **kw: Any
) -> httpx.Response:
    """request_token through the proxy as the webapp does it: while VDX is still making the
    room (503 "Meeting room is being prepared"), ask again after the Retry-After."""
    deadline = time.monotonic() + timeout
    while True:
        answer = client.post(url, **kw)
        preparing = answer.status_code == 503 and "being prepared" in answer.text
        if not preparing or time.monotonic() > deadline:
            return answer
        time.sleep(float(answer.headers.get("retry-after", "1")))


def wait_for_rooms(emulator_url: str, count: int, timeout: float = 60) -> set[str]:
    """The node's room aliases once it has at least `count` (VDX provisions after booking)."""
    deadline = time.monotonic() + timeout
    while True:
        aliases = {r["alias"] for r in httpx.get(f"{emulator_url}/emulator/rooms").json()}
        if len(aliases) >= count or time.monotonic() > deadline:
            return aliases
        time.sleep(0.25)


def provisioned(stack: Stack, vdx_uuid: str, timeout: float = 30) -> dict[str, Any]:
    """The scheduling-info once VDX's provisioning job has made the room (the development
    stack lags like real VDX: devstack.stack.PROVISION_DELAY): someone joining by address
    and PIN finds it only then."""
    deadline = time.monotonic() + timeout
    info = vdx_meeting(stack, vdx_uuid)
    while info["provisionStatus"] == "AWAITS_PROVISION" and time.monotonic() < deadline:
        time.sleep(0.25)
        info = vdx_meeting(stack, vdx_uuid)
    assert info["provisionStatus"] == "PROVISIONED_OK", info
    return info


def launch_token(
    meeting_id: str,
    *,
    name: str = "Sygeplejerske Hanne",
    key_file: Path = DEMO_EOJ_KEY,
    key: ECKey | None = None,
    lifetime: int = 120,
    audience: str = f"borgervideo:{DEMO_PARTY}",
    issued_at: int | None = None,
    jti: str | None = None,
) -> str:
    signing_key = key or ECKey.import_key(key_file.read_bytes())
    now = issued_at if issued_at is not None else int(time.time())
    claims = {
        "iss": DEMO_EOJ_ISSUER,
        "aud": audience,
        "iat": now,
        "exp": now + lifetime,
        "jti": jti or secrets.token_hex(16),
        "meeting_id": meeting_id,
        "name": name,
    }
    return jwt.encode({"alg": "ES256", "kid": DEMO_EOJ_KID}, claims, signing_key)


def launch_url(stack: Stack, token: str, party: str = DEMO_PARTY) -> str:
    return f"{stack.bff_url}/{party}/launch?token={token}"
