"""VDX VideoAPI, SmsAPI, their tokens and the outbox over HTTP, as real VDX answers them."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from devstack.stack import VdxCertificateRoute, free_port, running_service
from devstack.tls import issue_client_certificate, lan_address
from emulator.tests.conftest import VDX_CLIENT_ID, VDX_CLIENT_SECRET, VDX_STS_TOKEN, _start
from emulator.tests.helpers import (
    KEYCLOAK_TOKEN,
    auth,
    book,
    conf_url,
    end_meeting,
    iso,
    join,
    mtls_client,
    rooms,
    scheduling_info,
    sms_session,
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


def saml(assertion: str = VDX_STS_TOKEN) -> dict[str, str]:
    return {"saml-token": base64.b64encode(assertion.encode()).decode()}


# --- Tokens -------------------------------------------------------------------------------


def test_videoapi_refuses_anything_but_a_keycloak_jwt(
    emulator: str, certificate_route: VdxCertificateRoute
) -> None:
    """medcom-video-api SecurityConfiguration.java: every /v2/ path is the JWT resource
    server's, so even a live holder-of-key token from the certificate route is refused."""
    foreign = jwt.encode({"alg": "RS256"}, {"exp": int(time.time()) + 60}, RSAKey.generate_key())
    with closing(sms_session(certificate_route)) as sms:
        holder_of_key = sms.headers["Authorization"]
        assert holder_of_key.startswith("Holder-of-key ")
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Bearer dev-vdx-token"},  # the old fixed token
        {"Authorization": f"Bearer {foreign}"},
        {"Authorization": "Basic x"},
        {"Authorization": holder_of_key},
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
    assert claims["dk:medcom:email"]
    assert claims["dk:medcom:video:role"] == ["meeting-user"]
    assert claims["iss"] == f"{emulator}/auth/realms/vdx"
    assert 0 < claims["exp"] - time.time() <= 300

    wrong = httpx.post(
        url, data={"grant_type": "client_credentials"}, auth=(VDX_CLIENT_ID, "not-the-secret")
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "unauthorized_client"
    password = httpx.post(url, data={"grant_type": "password"}, auth=(VDX_CLIENT_ID, "x"))
    assert password.status_code == 400


def test_jwt_without_email_or_with_another_role_is_refused(tmp_path: Path) -> None:
    """UserSecurityInterceptor.java: a meeting-user without email gets 401; OauthInterceptor
    maps only the meeting-* roles."""
    for env in ({"EMU_VDX_CLIENT_EMAIL": ""}, {"EMU_VDX_CLIENT_ROLE": "meeting-viewer"}):
        folder = tmp_path / next(iter(env)).lower()
        folder.mkdir()
        runs = _start(folder, **env)
        base = next(runs)
        try:
            res = httpx.post(f"{base}/videoapi/v2/meetings", json=VALID, headers=auth(base))
            assert res.status_code == 401, env
        finally:
            runs.close()


def test_sms_api_by_the_certificate_route_over_mutual_tls(
    emulator: str, certificate_route: VdxCertificateRoute
) -> None:
    """MedCom's paths ({SMS_ENDPOINT}/token, {SMS_ENDPOINT}/v1/meeting/{uuid}), holder-of-key
    bound to the client certificate (gooioidwsrest oioidwsrestwsp.go validateHoK)."""
    booked = book(emulator)
    message = {"message": "Hej", "to": "+4511111111"}
    # The plain listener has no client certificate: the proxy answers 400, token or call.
    assert httpx.post(f"{emulator}/smsapi/token", data=saml()).status_code == 400
    plain = httpx.post(
        f"{emulator}/smsapi/v1/meeting/{booked.uuid}", json=message, headers=auth(emulator)
    )
    assert plain.status_code == 400
    assert plain.json()["detailed_error"] == "SSL Client Certificate must be supplied (HoK)"
    with mtls_client(certificate_route) as client:
        forged = client.post("/token", data=saml("<saml:Assertion>forged</saml:Assertion>"))
        assert forged.status_code == 401
        bearer = client.post(f"/v1/meeting/{booked.uuid}", json=message, headers=auth(emulator))
        assert bearer.status_code == 401  # a Keycloak JWT is not the SmsAPI's route
    with closing(sms_session(certificate_route)) as sms:
        assert sms.post(f"/v1/meeting/{booked.uuid}", json=message).status_code == 201
        assert sms.post(f"/sms/v1/meeting/{booked.uuid}", json=message).status_code == 404
        token = sms.headers["Authorization"]
    other = issue_client_certificate(certificate_route.files.ca.parent, "another-system")
    with mtls_client(certificate_route, (str(other[0]), str(other[1]))) as stranger:
        stolen = stranger.post(
            f"/v1/meeting/{booked.uuid}", json=message, headers={"Authorization": token}
        )
        assert stolen.status_code == 401
        assert stolen.json()["detailed_error"] == "Client certificate not HoK"


def test_tokens_expire(short_ttl_emulator: str) -> None:
    base = short_ttl_emulator
    bearer = auth(base)
    assert httpx.post(f"{base}/videoapi/v2/meetings", json=VALID, headers=bearer).is_success
    time.sleep(2.5)  # EMU_VDX_TOKEN_LIFETIME=2
    assert httpx.post(f"{base}/videoapi/v2/meetings", json=VALID, headers=bearer).status_code == 401


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


def test_a_meeting_for_now_waits_for_the_provisioning_job(tmp_path: Path) -> None:
    """Real VDX provisions in a separate job: a meeting booked for now has no room until it
    runs (EMU_VDX_PROVISION_DELAY), and says so in provisionStatus meanwhile."""
    runs = _start(tmp_path, EMU_VDX_PROVISION_DELAY="2")
    base = next(runs)
    try:
        now = create(base, datetime.now(UTC), hostPin=4321, guestPin=8765)
        info = scheduling_info(base, now["uuid"])
        assert info["provisionStatus"] == "AWAITS_PROVISION"
        assert node_answers(base, info["uriWithDomain"], "8765") == 404
        deadline = time.monotonic() + 20
        while info["provisionStatus"] == "AWAITS_PROVISION" and time.monotonic() < deadline:
            time.sleep(0.2)
            info = scheduling_info(base, now["uuid"])
        assert info["provisionStatus"] == "PROVISIONED_OK"
        assert node_answers(base, info["uriWithDomain"], "8765") == 200
    finally:
        runs.close()


def test_scanning_for_aliases_quarantines_the_address(tmp_path: Path) -> None:
    """Over HTTP, without an allow-list entry: unknown aliases from one address (all of
    Borgervideo's joins come from the BFF's) get it refused for every room, real ones too."""
    runs = _start(tmp_path, EMU_BDPM_ALLOW_LIST="", EMU_BDPM_MAX_SCAN_ATTEMPTS="3")
    base = next(runs)
    try:
        booked = book(base)
        assert node_answers(base, booked.alias, booked.guest_pin) == 200
        for number in range(3):
            assert node_answers(base, f"999000{number}@vdx.localhost", "1234") == 404
        assert node_answers(base, booked.alias, booked.guest_pin) == 404
    finally:
        runs.close()


def test_unknown_scheduling_template_falls_back_to_the_default(emulator: str) -> None:
    """SchedulingInfoServiceImpl.createSchedulingInfo: a template not found for the
    organisation is no error; the organisation's default template books the meeting."""
    booked = create(emulator, datetime.now(UTC) + timedelta(hours=2), schedulingTemplateId=99)
    info = scheduling_info(emulator, booked["uuid"])
    assert info["vmrAvailableBefore"] == AVAILABLE_BEFORE.seconds // 60


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
    assert error["detailed_error_code"] == "13"
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
    assert again.status_code == 406 and again.json()["detailed_error_code"] == "12"
    deleted = httpx.delete(meeting_url(emulator, booked.uuid), headers=auth(emulator))
    assert deleted.status_code == 406


@pytest.fixture(scope="module")
def quick_deprovision(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _start(tmp_path_factory.mktemp("emu-deprov"), EMU_VDX_DEPROVISION_INTERVAL="1")


def test_the_deprovisioning_job_ends_a_room_past_its_end_unless_the_end_moved(
    quick_deprovision: str,
) -> None:
    base = quick_deprovision
    # The end is moved straight after booking: on a busy machine the joins below may take
    # longer than the few seconds the meeting had.
    moved = book(base, endTime=iso(datetime.now(UTC) + timedelta(seconds=3)))
    later = iso(datetime.now(UTC) + timedelta(hours=1))
    patched = httpx.patch(
        meeting_url(base, moved.uuid), json={"endTime": later}, headers=auth(base)
    )
    assert patched.status_code == 200 and patched.json()["endTime"].startswith(later[:16])
    booked = book(base, endTime=iso(datetime.now(UTC) + timedelta(seconds=5)))
    for meeting in (booked, moved):
        joined = httpx.post(
            conf_url(base, meeting.alias, "request_token"),
            json={"display_name": "Borger"},
            headers={"pin": meeting.guest_pin},
        )
        assert joined.status_code == 200

    deadline = time.monotonic() + 20
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
    assert bad.status_code == 400 and bad.json()["detailed_error_code"] == "10"


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
        ({"schedulingTemplateId": "one"}, "schedulingTemplateId", 10),
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
    assert error["detailed_error_code"] == str(code)  # a string on real VDX
    assert expected in error["detailed_error"]
    assert set(rooms(emulator)) == before


def test_sms_to_outbox(emulator: str, certificate_route: VdxCertificateRoute) -> None:
    booked = book(emulator)
    sms = sms_session(certificate_route)
    url = f"/v1/meeting/{booked.uuid}"
    with mtls_client(certificate_route) as anonymous:
        assert anonymous.post(url, json={"message": "Hej", "to": "+4511111111"}).status_code == 401
    missing = sms.post(
        "/v1/meeting/00000000-0000-0000-0000-000000000000",
        json={"message": "Hej", "to": "+4511111111"},
    )
    assert missing.status_code == 404
    for bad in (
        {"message": "Hej", "to": "not a phone"},
        {"message": "", "to": "+4511111111"},
        {"message": "x" * 1001, "to": "+4511111111"},
        {"to": "+4511111111"},
    ):
        res = sms.post(url, json=bad)
        assert res.status_code == 400, bad
        assert res.json()["detailed_error"]

    first = sms.post(url, json={"message": "Første https://x/j/1", "to": "+4522222222"})
    assert first.status_code == 201
    assert first.json()["status"] == "SENT"
    second = sms.post(url, json={"message": "Anden", "to": "+4533333333"})
    assert second.status_code == 201

    listed = sms.get(url).json()
    assert [m["message"] for m in listed] == ["Første https://x/j/1", "Anden"]
    assert all(m["status"] == "SENT" for m in listed)
    sms.close()

    outbox = httpx.get(f"{emulator}/outbox").json()
    mine = [m for m in outbox if m["meeting_uuid"] == booked.uuid]
    assert [m["to"] for m in mine] == ["+4522222222", "+4533333333"]
    assert set(mine[0]) == {"id", "meeting_uuid", "to", "message", "sent_at", "request_id"}
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


def test_history_api_lists_ended_conferences(emulator: str) -> None:
    """VDX's History API: Pexip's conference history records (go-infinity-sdk
    history/models.go ConferenceRecord) behind the organisation's X-API-KEY."""
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Vært")
    guest = join(emulator, booked.alias, booked.guest_pin, "Gæst")
    for joined in (guest, host):
        release = conf_url(emulator, booked.alias, "release_token")
        httpx.post(release, headers={"token": joined.token})
    url = f"{emulator}/apikey/history/v1/conference"
    assert httpx.get(url).status_code == 401
    answer = httpx.get(url, params={"limit": 500}, headers={"X-API-KEY": "dev-history-key"})
    assert answer.status_code == 200
    mine = [r for r in answer.json()["objects"] if r["name"] == booked.alias]
    assert len(mine) == 1
    record = mine[0]
    assert (record["max_concurrent_hosts"], record["max_concurrent_guests"]) == (1, 1)
    assert record["total_participants"] == 2
    assert record["start_time"] <= record["end_time"]
    assert set(answer.json()["meta"]) >= {"limit", "offset", "total_count", "next"}
    later = httpx.get(
        url,
        params={"start_time__gte": "2999-01-01T00:00:00"},
        headers={"X-API-KEY": "dev-history-key"},
    )
    assert later.json()["objects"] == []
