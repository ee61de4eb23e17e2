"""Node endpoints that plugins reach through the webapp: a direct message to one participant,
changing a participant's role, and raising a hand (Pexip `message`, `role`, `buzz`)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from emulator.tests.helpers import book, conf_url, join, rooms
from emulator.tests.test_node import event_stream, read_until

ROOT = Path(__file__).resolve().parents[2]


def test_direct_message_reaches_only_its_participant(emulator: str) -> None:
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Vært")
    guest = join(emulator, booked.alias, booked.guest_pin, "Borger")
    url = conf_url(emulator, booked.alias, f"participants/{guest.uuid}/message")
    with event_stream(emulator, booked.alias, guest.token) as lines:
        read_until(lines, "conference_update")
        answer = httpx.post(
            url,
            json={"type": "text/plain", "payload": "Kun til dig"},
            headers={"token": host.token},
        )
        assert answer.status_code == 200 and answer.json() == {"status": "success", "result": True}
        message = read_until(lines, "message_received")[-1][1]
    assert message == {
        "origin": "Vært",
        "uuid": host.uuid,
        "type": "text/plain",
        "payload": "Kun til dig",
        "direct": True,
    }
    bad = httpx.post(url, json={"payload": 7}, headers={"token": host.token})
    assert bad.status_code == 400
    missing = conf_url(emulator, booked.alias, "participants/nobody/message")
    assert (
        httpx.post(missing, json={"payload": "x"}, headers={"token": host.token}).status_code == 404
    )


def test_host_changes_a_role_and_hands_go_up_and_down(emulator: str) -> None:
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Vært")
    guest = join(emulator, booked.alias, booked.guest_pin, "Borger")
    role = conf_url(emulator, booked.alias, f"participants/{guest.uuid}/role")
    assert (
        httpx.post(role, json={"role": "chair"}, headers={"token": guest.token}).status_code == 403
    )
    assert (
        httpx.post(role, json={"role": "admin"}, headers={"token": host.token}).status_code == 400
    )
    with event_stream(emulator, booked.alias, host.token) as lines:
        read_until(lines, "conference_update")
        assert (
            httpx.post(role, json={"role": "chair"}, headers={"token": host.token}).status_code
            == 200
        )
        updated = read_until(lines, "participant_update")[-1][1]
        assert updated["uuid"] == guest.uuid and updated["role"] == "chair"
        buzz = conf_url(emulator, booked.alias, f"participants/{guest.uuid}/buzz")
        assert httpx.post(buzz, headers={"token": guest.token}).status_code == 200
        raised = read_until(lines, "participant_update")[-1][1]
        assert raised["uuid"] == guest.uuid and raised["buzz_time"] > 0
        clear = conf_url(emulator, booked.alias, f"participants/{guest.uuid}/clearbuzz")
        assert httpx.post(clear, headers={"token": host.token}).status_code == 200
        assert read_until(lines, "participant_update")[-1][1]["buzz_time"] == 0
    assert {p["uuid"]: p["role"] for p in rooms(emulator)[booked.alias]}[guest.uuid] == "HOST"


def test_message_text_is_read_by_anyone_and_set_by_hosts(emulator: str) -> None:
    """What Pexip's message-overlay plugin asks through `conference.sendRequest`."""
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Vært")
    guest = join(emulator, booked.alias, booked.guest_pin, "Borger")
    get_url = conf_url(emulator, booked.alias, "get_message_text")
    set_url = conf_url(emulator, booked.alias, "set_message_text")
    assert httpx.get(get_url, headers={"token": guest.token}).json() == {
        "status": "success",
        "result": {"text": ""},
    }
    assert (
        httpx.post(set_url, json={"text": "Pause"}, headers={"token": guest.token}).status_code
        == 403
    )
    answer = httpx.post(set_url, json={"text": "Tolk på vej"}, headers={"token": host.token})
    assert answer.json() == {"status": "success", "result": True}
    assert httpx.get(get_url, headers={"token": guest.token}).json()["result"] == {
        "text": "Tolk på vej"
    }
    assert httpx.post(set_url, json={"text": 7}, headers={"token": host.token}).status_code == 400


def test_participants_carry_every_field_of_the_infinity_api_type(emulator: str) -> None:
    """Plugins filter on any field of @pexip/infinity-api's `Participant` (e.g.
    `is_idp_authenticated`): the emulated node sends each one."""
    types = ROOT / "node_modules/@pexip/infinity-api/dist/conference/types.d.ts"
    block = types.read_text().split("export interface Participant {", 1)[1].split("\n}", 1)[0]
    fields = set(re.findall(r"^    ([a-z_]+)\??:", block, re.MULTILINE))
    assert {"uuid", "is_idp_authenticated", "receive_from_video_mix"} <= fields
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Vært")
    listed = httpx.get(
        conf_url(emulator, booked.alias, "participants"), headers={"token": host.token}
    ).json()["result"]
    # api_url: only for participants that joined through the management API.
    missing = {name for name in fields if name != "api_url"} - set(listed[0])
    assert not missing, f"participant fields the emulator does not send: {sorted(missing)}"
