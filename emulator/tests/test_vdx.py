"""VDX VideoAPI, SmsAPI, their tokens and the outbox over HTTP, as real VDX answers them."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from devstack.stack import free_port, running_service
from devstack.tls import lan_address
from emulator.tests.conftest import VDX_CLIENT_ID, VDX_CLIENT_SECRET, VDX_STS_TOKEN, _start
from emulator.tests.helpers import (
    KEYCLOAK_TOKEN,
    auth,
    book,
    conf_url,
    end_meeting,
    iso,
    rooms,
    scheduling_info,
)

VALID = {
    "subject": "Hjemmebesøg",
    "startTime": "2026-11-25T10:00:00+01:00",
    "endTime": "2026-11-25T11:00:00+01:00",
}
AVAILABLE_BEFORE = timedelta(minutes=15)  # the emulator's default vmrAvailableBefore


def create(base: str, start: datetime, **extra: Any) -> dict[str, Any]:
    body = {
        "subject": "Opfølgning",
        "startTime": iso(start),
        "endTime": iso(start + timedelta(hours=1)),
    }
    res = httpx.post(f"{base}/videoapi/v2/meetings", json=body | extra, headers=auth(base))
    assert res.status_code == 200, res.text
    return dict(res.json())


def meeting_url(base: str, meeting_uuid: str) -> str:
    return f"{base}/videoapi/v2/meetings/{meeting_uuid}"


def node_answers(base: str, alias: str, pin: str) -> int:
    res = httpx.post(
        conf_url(base, alias, "request_token"),
        json={"display_name": "Tidlig"},
        headers={"pin": pin},
    )
    return res.status_code


def exchange(base: str, service: str, assertion: str = VDX_STS_TOKEN) -> httpx.Response:
    saml = base64.b64encode(assertion.encode()).decode()
    return httpx.post(f"{base}/{service}/token", data={"saml-token": saml})


# --- Tokens -------------------------------------------------------------------------------


def test_videoapi_refuses_anything_but_a_live_token(emulator: str) -> None:
    foreign = jwt.encode({"alg": "RS256"}, {"exp": int(time.time()) + 60}, RSAKey.generate_key())
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer dev-vdx-token"},  # the old fixed token
        {"Authorization": f"Bearer {foreign}"},
        {"Authorization": "Basic x"},
        {"Authorization": "Holder-of-key 00000000-0000-0000-0000-000000000000"},
    ):
        res = httpx.post(f"{emulator}/videoapi/v2/meetings", json=VALID, headers=headers)
        assert res.status_code == 401, headers
        body = res.json()
        assert body["status"] == 401
        assert body["error"] == "Unauthorized"
        assert body["path"] == "/videoapi/v2/meetings"
        assert "timestamp" in body


def test_client_credentials_issue_a_signed_short_lived_jwt(emulator: str) -> None:
    url = f"{emulator}{KEYCLOAK_TOKEN}"
    basic = httpx.post(
        url, data={"grant_type": "client_credentials"}, auth=(VDX_CLIENT_ID, VDX_CLIENT_SECRET)
    )
    posted = httpx.post(
        url,
        data={
            "grant_type": "client_credentials",
            "client_id": VDX_CLIENT_ID,
            "client_secret": VDX_CLIENT_SECRET,
        },
    )
    for res in (basic, posted):
        assert res.status_code == 200, res.text
        answer = res.json()
        assert answer["token_type"] == "Bearer"  # noqa: S105
        assert answer["expires_in"] == 300
    certs = httpx.get(f"{emulator}/auth/realms/vdx/protocol/openid-connect/certs").json()
    claims = jwt.decode(basic.json()["access_token"], KeySet.import_key_set(certs)).claims
    assert claims["dk:medcom:organisation_id"] == "demo-kommune"
    assert claims["dk:medcom:video:role"] == ["meeting-user"]
    assert claims["iss"] == f"{emulator}/auth/realms/vdx"
    assert 0 < claims["exp"] - time.time() <= 300

    wrong = httpx.post(
        url, data={"grant_type": "client_credentials"}, auth=(VDX_CLIENT_ID, "not-the-secret")
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "unauthorized_client"
    password = httpx.post(url, data={"grant_type": "password"}, auth=(VDX_CLIENT_ID, "x"))
    assert password.status_code == 400


def test_sts_token_exchange_per_service(emulator: str) -> None:
    video = exchange(emulator, "videoapi")
    assert video.status_code == 200, video.text
    assert set(video.json()) >= {"access_token", "expires_in"}
    token = {"Authorization": f"Holder-of-key {video.json()['access_token']}"}
    created = httpx.post(f"{emulator}/videoapi/v2/meetings", json=VALID, headers=token)
    assert created.status_code == 200
    sms_url = f"{emulator}/smsapi/sms/v1/meeting/{created.json()['uuid']}"
    assert httpx.get(sms_url, headers=token).status_code == 401  # exchanged at VideoAPI only
    sms_token = exchange(emulator, "smsapi").json()["access_token"]
    assert httpx.get(sms_url, headers={"Authorization": f"Holder-of-key {sms_token}"}).is_success
    assert (
        exchange(emulator, "videoapi", "<saml:Assertion>forged</saml:Assertion>").status_code == 401
    )


def test_tokens_expire(short_ttl_emulator: str) -> None:
    base = short_ttl_emulator
    bearer = auth(base)
    holder = {"Authorization": f"Holder-of-key {exchange(base, 'videoapi').json()['access_token']}"}
    for headers in (bearer, holder):
        assert httpx.post(f"{base}/videoapi/v2/meetings", json=VALID, headers=headers).is_success
    time.sleep(2.5)  # EMU_VDX_TOKEN_LIFETIME=2
    for headers in (bearer, holder):
        res = httpx.post(f"{base}/videoapi/v2/meetings", json=VALID, headers=headers)
        assert res.status_code == 401


# --- Meetings: schema, provisioning, ending ----------------------------------------------


def test_meeting_answer_follows_the_public_schema(emulator: str) -> None:
    res = httpx.post(
        f"{emulator}/videoapi/v2/meetings",
        json=VALID | {"hostPin": 1234, "guestPin": 98765},
        headers=auth(emulator),
    )
    assert res.status_code == 200
    assert res.headers["content-type"] == "application/hal+json"
    meeting = res.json()
    assert not {"uriWithDomain", "hostPin", "guestPin"} & set(meeting)
    assert len(meeting["shortId"]) == 12
    assert meeting["subject"] == "Hjemmebesøg"
    assert meeting["startTime"] == "2026-11-25T10:00:00+01:00"
    for key in ("uuid", "createdBy", "organizedBy", "shortLink"):
        assert meeting[key]
    assert meeting["_links"]["self"]["href"].endswith(f"/videoapi/v2/meetings/{meeting['uuid']}")

    got = httpx.get(meeting_url(emulator, meeting["uuid"]), headers=auth(emulator))
    assert got.headers["content-type"] == "application/hal+json"
    assert got.json()["uuid"] == meeting["uuid"]

    info = httpx.get(
        f"{emulator}/videoapi/v2/scheduling-info/{meeting['uuid']}", headers=auth(emulator)
    )
    assert info.headers["content-type"] == "application/hal+json"
    body = info.json()
    assert re.fullmatch(r"[0-9]{7}@vdx\.localhost", body["uriWithDomain"])
    assert body["uriWithoutDomain"] == body["uriWithDomain"].split("@")[0]
    assert (body["hostPin"], body["guestPin"]) == (1234, 98765)
    assert body["vmrAvailableBefore"] == 15
    assert body["meetingDetails"]["uuid"] == meeting["uuid"]


def test_room_exists_only_from_vmr_available_before(emulator: str) -> None:
    now = datetime.now(UTC)
    later = create(emulator, now + timedelta(hours=2), hostPin=4321, guestPin=8765)
    info = scheduling_info(emulator, later["uuid"])
    assert info["provisionStatus"] == "AWAITS_PROVISION"
    assert info["uriWithDomain"] not in rooms(emulator)
    assert node_answers(emulator, info["uriWithDomain"], "8765") == 404

    # Seconds before its window opens (room enough for a loaded machine to ask twice first):
    # the provisioner makes the room when it does.
    soon = create(
        emulator, datetime.now(UTC) + AVAILABLE_BEFORE + timedelta(seconds=5), hostPin=4321
    )
    alias = scheduling_info(emulator, soon["uuid"])["uriWithDomain"]
    assert scheduling_info(emulator, soon["uuid"])["provisionStatus"] == "AWAITS_PROVISION"
    assert node_answers(emulator, alias, "4321") == 404
    deadline = time.monotonic() + 20
    while alias not in rooms(emulator) and time.monotonic() < deadline:
        time.sleep(0.2)
    info = scheduling_info(emulator, soon["uuid"])
    assert info["provisionStatus"] == "PROVISIONED_OK"
    assert "provisionTimestamp" in info
    assert node_answers(emulator, alias, "4321") == 200


def test_delete_only_while_awaiting_provision(emulator: str) -> None:
    awaiting = create(emulator, datetime.now(UTC) + timedelta(hours=2))
    assert (
        httpx.delete(meeting_url(emulator, awaiting["uuid"]), headers=auth(emulator)).status_code
        == 204
    )
    gone = httpx.get(meeting_url(emulator, awaiting["uuid"]), headers=auth(emulator))
    assert gone.status_code == 404 and "detailed_error" in gone.json()

    booked = book(emulator)
    refused = httpx.delete(meeting_url(emulator, booked.uuid), headers=auth(emulator))
    assert refused.status_code == 406
    error = refused.json()
    assert error["detailed_error_code"] == 13
    assert "AWAITS_PROVISION" in error["detailed_error"]
    assert {"timestamp", "status", "error", "path"} <= set(error)
    assert booked.alias in rooms(emulator)  # still there


def test_patch_end_time_ends_the_meeting_and_disconnects_everyone(emulator: str) -> None:
    booked = book(emulator)
    joined = httpx.post(
        conf_url(emulator, booked.alias, "request_token"),
        json={"display_name": "Borger"},
        headers={"pin": booked.guest_pin},
    )
    assert joined.status_code == 200
    assert [p["display_name"] for p in rooms(emulator)[booked.alias]] == ["Borger"]

    ended = end_meeting(emulator, booked.uuid)
    assert ended.status_code == 200
    assert ended.headers["content-type"] == "application/hal+json"
    assert "updatedTime" in ended.json()
    assert booked.alias not in rooms(emulator)
    assert node_answers(emulator, booked.alias, booked.guest_pin) == 404
    assert scheduling_info(emulator, booked.uuid)["provisionStatus"] == "DEPROVISION_OK"

    again = end_meeting(emulator, booked.uuid)
    assert again.status_code == 406 and again.json()["detailed_error_code"] == 12
    deleted = httpx.delete(meeting_url(emulator, booked.uuid), headers=auth(emulator))
    assert deleted.status_code == 406


@pytest.fixture(scope="module")
def quick_deprovision(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _start(tmp_path_factory.mktemp("emu-deprov"), EMU_VDX_DEPROVISION_INTERVAL="1")


def test_the_deprovisioning_job_ends_a_room_past_its_end_unless_the_end_moved(
    quick_deprovision: str,
) -> None:
    base = quick_deprovision
    end = datetime.now(UTC) + timedelta(seconds=3)
    booked, moved = book(base, endTime=iso(end)), book(base, endTime=iso(end))
    for meeting in (booked, moved):
        joined = httpx.post(
            conf_url(base, meeting.alias, "request_token"),
            json={"display_name": "Borger"},
            headers={"pin": meeting.guest_pin},
        )
        assert joined.status_code == 200
    later = iso(datetime.now(UTC) + timedelta(hours=1))
    patched = httpx.patch(
        meeting_url(base, moved.uuid), json={"endTime": later}, headers=auth(base)
    )
    assert patched.status_code == 200 and patched.json()["endTime"].startswith(later[:16])

    deadline = time.monotonic() + 15
    while booked.alias in rooms(base) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert booked.alias not in rooms(base), "someone still in it does not keep a room past its end"
    assert scheduling_info(base, booked.uuid)["provisionStatus"] == "DEPROVISION_OK"
    assert [p["display_name"] for p in rooms(base)[moved.alias]] == ["Borger"]
    assert scheduling_info(base, moved.uuid)["provisionStatus"] == "PROVISIONED_OK"


def test_patch_before_provisioning_moves_the_meeting(emulator: str) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=3)
    meeting = create(emulator, start)
    moved = start + timedelta(days=1)
    res = httpx.patch(
        meeting_url(emulator, meeting["uuid"]),
        json={
            "subject": "Flyttet",
            "startTime": iso(moved),
            "endTime": iso(moved + timedelta(hours=1)),
        },
        headers=auth(emulator),
    )
    assert res.status_code == 200, res.text
    assert res.json()["subject"] == "Flyttet"
    assert datetime.fromisoformat(res.json()["startTime"]) == moved
    bad = httpx.patch(
        meeting_url(emulator, meeting["uuid"]), json={"endTime": iso(moved)}, headers=auth(emulator)
    )
    assert bad.status_code == 400 and bad.json()["detailed_error_code"] == 10


def test_generated_pins_differ(emulator: str) -> None:
    for _ in range(5):
        booked = book(emulator)
        assert booked.host_pin != booked.guest_pin
        assert 1000 <= int(booked.host_pin) <= 999999999


@pytest.mark.parametrize(
    ("change", "expected", "code"),
    [
        ({"subject": None}, "subject", 10),
        ({"subject": "x" * 101}, "subject", 10),
        ({"startTime": "2026-11-25T10:00:00"}, "startTime", 10),
        ({"endTime": "tomorrow"}, "endTime", 10),
        ({"endTime": "2026-11-25T09:00:00+01:00"}, "endTime must be after", 10),
        ({"hostPin": 1234, "guestPin": 1234}, "differ", 10),
        ({"hostPin": 999}, "hostPin", 10),
        ({"guestPin": 1000000000}, "guestPin", 10),
        ({"guestPin": "1234"}, "guestPin", 10),
        ({"schedulingTemplateId": 99}, "Scheduling template 99 not found", 26),
        ({"guestMicrophone": "loud"}, "guestMicrophone", 10),
    ],
)
def test_create_meeting_validation(
    emulator: str, change: dict[str, Any], expected: str, code: int
) -> None:
    body = {k: v for k, v in (VALID | change).items() if v is not None}
    before = set(rooms(emulator))
    res = httpx.post(f"{emulator}/videoapi/v2/meetings", json=body, headers=auth(emulator))
    assert res.status_code == 400
    error = res.json()
    assert error["detailed_error_code"] == code
    assert expected in error["detailed_error"]
    assert set(rooms(emulator)) == before


def test_sms_to_outbox(emulator: str) -> None:
    booked = book(emulator)
    headers = auth(emulator)
    url = f"{emulator}/smsapi/sms/v1/meeting/{booked.uuid}"
    assert httpx.post(url, json={"message": "Hej", "to": "+4511111111"}).status_code == 401
    missing = httpx.post(
        f"{emulator}/smsapi/sms/v1/meeting/00000000-0000-0000-0000-000000000000",
        json={"message": "Hej", "to": "+4511111111"},
        headers=headers,
    )
    assert missing.status_code == 404
    for bad in (
        {"message": "Hej", "to": "not a phone"},
        {"message": "", "to": "+4511111111"},
        {"message": "x" * 1001, "to": "+4511111111"},
        {"to": "+4511111111"},
    ):
        res = httpx.post(url, json=bad, headers=headers)
        assert res.status_code == 400, bad
        assert res.json()["detailed_error"]

    first = httpx.post(
        url, json={"message": "Første https://x/j/1", "to": "+4522222222"}, headers=headers
    )
    assert first.status_code == 201
    assert first.json()["status"] == "SENT"
    second = httpx.post(url, json={"message": "Anden", "to": "+4533333333"}, headers=headers)
    assert second.status_code == 201

    listed = httpx.get(url, headers=headers).json()
    assert [m["message"] for m in listed] == ["Første https://x/j/1", "Anden"]
    assert all(m["status"] == "SENT" for m in listed)

    outbox = httpx.get(f"{emulator}/outbox").json()
    mine = [m for m in outbox if m["meeting_uuid"] == booked.uuid]
    assert [m["to"] for m in mine] == ["+4522222222", "+4533333333"]
    assert set(mine[0]) == {"id", "meeting_uuid", "to", "message", "sent_at"}
    filtered = httpx.get(f"{emulator}/outbox", params={"to": "+4533333333"}).json()
    assert [m["message"] for m in filtered] == ["Anden"]


# --- Helpers answer this machine only -----------------------------------------------------

HELPERS = ("/outbox", "/emulator/rooms", "/eoj/", "/eoj/launch/x")


@pytest.fixture(scope="module")
def lan_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """Listening on every interface, as `make run LAN=1` starts it."""
    address = lan_address()
    if address == "127.0.0.1":
        pytest.skip("needs a non-loopback address")
    port = free_port()
    env = {"EMU_HOST": "0.0.0.0", "EMU_PORT": str(port)}  # noqa: S104
    workdir: Path = tmp_path_factory.mktemp("emu-lan")
    with running_service("emulator", env, f"http://127.0.0.1:{port}", workdir):
        yield address, port


def status_from(source: str, url: str) -> int:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, follow_redirects=False) as client:
        return client.get(url).status_code


def test_helpers_answer_only_this_machine(lan_emulator: tuple[str, int]) -> None:
    address, port = lan_emulator
    for path in HELPERS:
        # A neighbour: any address other than loopback or the one it connects to.
        assert status_from(address, f"http://127.0.0.1:{port}{path}") == 403, path
        assert status_from("127.0.0.1", f"http://127.0.0.1:{port}{path}") != 403, path
        # A browser on this machine opening the printed LAN address.
        assert status_from(address, f"http://{address}:{port}{path}") != 403, path
    # The node's Client API and VDX-API (token-guarded) stay reachable from the LAN.
    node = f"http://127.0.0.1:{port}/api/client/v2/conferences/x@y/request_token"
    assert status_from(address, node) != 403
