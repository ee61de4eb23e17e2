"""VDX VideoAPI, SmsAPI and the outbox over HTTP."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from emulator.tests.helpers import AUTH, book, rooms

VALID = {
    "subject": "Hjemmebesøg",
    "startTime": "2026-11-25T10:00:00+01:00",
    "endTime": "2026-11-25T11:00:00+01:00",
}


def test_videoapi_needs_bearer_token(emulator: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
        res = httpx.post(f"{emulator}/videoapi/v2/meetings", json=VALID, headers=headers)
        assert res.status_code == 401
        body = res.json()
        assert body["status"] == 401
        assert body["error"] == "Unauthorized"
        assert body["path"] == "/videoapi/v2/meetings"
        assert "timestamp" in body


def test_create_get_scheduling_info_delete(emulator: str) -> None:
    res = httpx.post(
        f"{emulator}/videoapi/v2/meetings",
        json=VALID | {"hostPin": 1234, "guestPin": 98765},
        headers=AUTH,
    )
    assert res.status_code == 200
    meeting = res.json()
    assert re.fullmatch(r"[0-9]{7}@vdx\.localhost", meeting["uriWithDomain"])
    assert len(meeting["shortId"]) == 12
    assert meeting["hostPin"] == 1234
    assert meeting["guestPin"] == 98765
    assert meeting["subject"] == "Hjemmebesøg"
    assert meeting["startTime"] == "2026-11-25T10:00:00+01:00"
    for key in ("uuid", "createdBy", "organizedBy", "shortLink"):
        assert meeting[key]
    assert meeting["_links"]["self"]["href"].endswith(f"/videoapi/v2/meetings/{meeting['uuid']}")
    assert meeting["uriWithDomain"] in rooms(emulator)

    got = httpx.get(f"{emulator}/videoapi/v2/meetings/{meeting['uuid']}", headers=AUTH)
    assert got.status_code == 200
    assert got.json()["uriWithDomain"] == meeting["uriWithDomain"]

    info = httpx.get(
        f"{emulator}/videoapi/v2/scheduling-info/{meeting['uuid']}", headers=AUTH
    ).json()
    assert info["provisionStatus"] == "PROVISIONED_OK"
    assert info["uriWithoutDomain"] == meeting["uriWithDomain"].split("@")[0]
    assert info["vmrAvailableBefore"] == 30
    assert (info["hostPin"], info["guestPin"]) == (1234, 98765)

    assert (
        httpx.delete(f"{emulator}/videoapi/v2/meetings/{meeting['uuid']}", headers=AUTH).status_code
        == 204
    )
    gone = httpx.get(f"{emulator}/videoapi/v2/meetings/{meeting['uuid']}", headers=AUTH)
    assert gone.status_code == 404
    assert "detailed_error" in gone.json()
    assert meeting["uriWithDomain"] not in rooms(emulator)
    assert (
        httpx.delete(f"{emulator}/videoapi/v2/meetings/{meeting['uuid']}", headers=AUTH).status_code
        == 404
    )


def test_generated_pins_differ(emulator: str) -> None:
    for _ in range(5):
        booked = book(emulator)
        assert booked.host_pin != booked.guest_pin
        assert 1000 <= int(booked.host_pin) <= 999999999


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"subject": None}, "subject"),
        ({"subject": "x" * 101}, "subject"),
        ({"startTime": "2026-11-25T10:00:00"}, "startTime"),
        ({"endTime": "tomorrow"}, "endTime"),
        ({"endTime": "2026-11-25T09:00:00+01:00"}, "endTime must be after"),
        ({"hostPin": 1234, "guestPin": 1234}, "differ"),
        ({"hostPin": 999}, "hostPin"),
        ({"guestPin": 1000000000}, "guestPin"),
        ({"guestPin": "1234"}, "guestPin"),
    ],
)
def test_create_meeting_validation(emulator: str, change: dict[str, Any], expected: str) -> None:
    body = {k: v for k, v in (VALID | change).items() if v is not None}
    before = set(rooms(emulator))
    res = httpx.post(f"{emulator}/videoapi/v2/meetings", json=body, headers=AUTH)
    assert res.status_code == 400
    error = res.json()
    assert error["detailed_error_code"] == 10
    assert expected in error["detailed_error"]
    assert set(rooms(emulator)) == before


def test_sms_to_outbox(emulator: str) -> None:
    booked = book(emulator)
    url = f"{emulator}/smsapi/sms/v1/meeting/{booked.uuid}"
    assert httpx.post(url, json={"message": "Hej", "to": "+4511111111"}).status_code == 401
    missing = httpx.post(
        f"{emulator}/smsapi/sms/v1/meeting/00000000-0000-0000-0000-000000000000",
        json={"message": "Hej", "to": "+4511111111"},
        headers=AUTH,
    )
    assert missing.status_code == 404
    for bad in (
        {"message": "Hej", "to": "not a phone"},
        {"message": "", "to": "+4511111111"},
        {"message": "x" * 1001, "to": "+4511111111"},
        {"to": "+4511111111"},
    ):
        res = httpx.post(url, json=bad, headers=AUTH)
        assert res.status_code == 400, bad
        assert res.json()["detailed_error"]

    first = httpx.post(
        url, json={"message": "Første https://x/j/1", "to": "+4522222222"}, headers=AUTH
    )
    assert first.status_code == 201
    assert first.json()["status"] == "SENT"
    second = httpx.post(url, json={"message": "Anden", "to": "+4533333333"}, headers=AUTH)
    assert second.status_code == 201

    listed = httpx.get(url, headers=AUTH).json()
    assert [m["message"] for m in listed] == ["Første https://x/j/1", "Anden"]
    assert all(m["status"] == "SENT" for m in listed)

    outbox = httpx.get(f"{emulator}/outbox").json()
    mine = [m for m in outbox if m["meeting_uuid"] == booked.uuid]
    assert [m["to"] for m in mine] == ["+4522222222", "+4533333333"]
    assert set(mine[0]) == {"id", "meeting_uuid", "to", "message", "sent_at"}
    filtered = httpx.get(f"{emulator}/outbox", params={"to": "+4533333333"}).json()
    assert [m["message"] for m in filtered] == ["Anden"]
