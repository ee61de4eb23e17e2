"""Small HTTP helpers shared by the tests: book a room, join it, read events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from emulator.tests.conftest import VDX_TOKEN

AUTH = {"Authorization": f"Bearer {VDX_TOKEN}"}


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


def book(base: str, **extra: Any) -> Booked:
    body = {
        "subject": "Test",
        "startTime": "2026-11-25T10:00:00+01:00",
        "endTime": "2026-11-25T11:00:00+01:00",
    } | extra
    res = httpx.post(f"{base}/videoapi/v2/meetings", json=body, headers=AUTH)
    assert res.status_code == 200, res.text
    data = res.json()
    return Booked(data["uuid"], data["uriWithDomain"], str(data["hostPin"]), str(data["guestPin"]))


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
