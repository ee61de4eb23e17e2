"""Dial-out (Pexip `dial`): a host calls someone in; it is a participant until disconnected."""

from __future__ import annotations

import time

import httpx

from emulator.tests.helpers import book, conf_url, join, rooms
from emulator.tests.test_node import event_stream, read_until

BODY = {
    "role": "GUEST",
    "destination": "tolk@tolk.example",
    "protocol": "sip",
    "remote_display_name": "Tolk",
    "call_type": "audio",
}


def test_host_dials_out_and_hangs_up(emulator: str) -> None:
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Vært")
    guest = join(emulator, booked.alias, booked.guest_pin, "Borger")
    dial_url = conf_url(emulator, booked.alias, "dial")
    with event_stream(emulator, booked.alias, guest.token) as lines:
        read_until(lines, "conference_update")
        answer = httpx.post(dial_url, json=BODY, headers={"token": host.token})
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("application/json")
        body = answer.json()
        assert body["status"] == "success" and len(body["result"]) == 1
        uuid = body["result"][0]
        created = read_until(lines, "participant_create")[-1][1]
        assert created["uuid"] == uuid and created["display_name"] == "Tolk"
        assert created["protocol"] == "sip" and created["call_direction"] == "out"
        assert created["uri"] == "tolk@tolk.example" and created["role"] == "guest"
        assert created["is_audio_only_call"] == "YES" and created["service_type"] == "conference"
        listed = {p["uuid"]: p for p in rooms(emulator)[booked.alias]}
        assert listed[uuid]["protocol"] == "sip" and listed[uuid]["has_media"] is False

        hang_up = conf_url(emulator, booked.alias, f"participants/{uuid}/disconnect")
        assert httpx.post(hang_up, headers={"token": host.token}).status_code == 200
        deleted = read_until(lines, "participant_delete")[-1][1]
        assert deleted == {"uuid": uuid}
    assert uuid not in {p["uuid"] for p in rooms(emulator)[booked.alias]}


def test_dial_is_for_hosts_with_a_valid_body(emulator: str) -> None:
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Vært")
    guest = join(emulator, booked.alias, booked.guest_pin, "Borger")
    dial_url = conf_url(emulator, booked.alias, "dial")
    refused = httpx.post(dial_url, json=BODY, headers={"token": guest.token})
    assert refused.status_code == 403
    assert httpx.post(dial_url, json=BODY).status_code == 403  # no token
    for bad in ({"protocol": "pigeon"}, {"role": "ADMIN"}, {"destination": ""}):
        answer = httpx.post(dial_url, json=BODY | bad, headers={"token": host.token})
        assert answer.status_code == 400, bad
        assert answer.json()["status"] == "failed"
    # Without a display name the address is shown; `auto` picks SIP.
    plain = {"role": "GUEST", "destination": "sip:tolk@example", "protocol": "auto"}
    uuid = httpx.post(dial_url, json=plain, headers={"token": host.token}).json()["result"][0]
    listed = {p["uuid"]: p for p in rooms(emulator)[booked.alias]}
    assert listed[uuid]["display_name"] == "sip:tolk@example"
    assert listed[uuid]["protocol"] == "sip"
    assert sorted(p["uuid"] for p in rooms(emulator)[booked.alias]) == sorted(
        [host.uuid, guest.uuid, uuid]
    )


def test_dialled_participant_outlives_the_token_reaper(short_ttl_emulator: str) -> None:
    """It has no token to refresh; the reaper drops the host but not because of it."""
    base = short_ttl_emulator
    booked = book(base)
    host = join(base, booked.alias, booked.host_pin, "Vært")
    answer = httpx.post(
        conf_url(base, booked.alias, "dial"), json=BODY, headers={"token": host.token}
    )
    uuid = answer.json()["result"][0]
    deadline = time.monotonic() + 10
    while host.uuid in {p["uuid"] for p in rooms(base).get(booked.alias, [])}:
        assert time.monotonic() < deadline, "host never reaped"
        time.sleep(0.2)
    assert uuid in {p["uuid"] for p in rooms(base)[booked.alias]}


def test_dialling_another_room_bridges_the_two(emulator: str) -> None:
    """As Pexip routes a dial to one of its own VMRs: the dialled room is a participant (sip,
    out, named by `remote_display_name`) here and this room one (sip, in) there; its PIN goes
    as DTMF. Hanging up one leg ends both."""
    mine, theirs = book(emulator), book(emulator)
    host = join(emulator, mine.alias, mine.host_pin, "Vært")
    join(emulator, theirs.alias, theirs.host_pin, "Læge")
    join(emulator, theirs.alias, theirs.guest_pin, "Borger")
    dial_url = conf_url(emulator, mine.alias, "dial")
    body = {
        "role": "GUEST",
        "destination": f"sip:{theirs.alias}",
        "protocol": "sip",
        "remote_display_name": "Møde hos lægen",
        "source_display_name": "Møde hos hospitalet",
        "dtmf_sequence": f"{theirs.guest_pin}#",
    }
    answer = httpx.post(dial_url, json=body, headers={"token": host.token})
    assert answer.status_code == 200, answer.text
    uuid = answer.json()["result"][0]
    here = {p["uuid"]: p for p in rooms(emulator)[mine.alias]}
    assert here[uuid]["display_name"] == "Møde hos lægen" and here[uuid]["protocol"] == "sip"
    there = {p["display_name"]: p for p in rooms(emulator)[theirs.alias]}
    assert there["Møde hos hospitalet"]["protocol"] == "sip"
    assert there["Møde hos hospitalet"]["role"] == "GUEST"
    listed = httpx.get(
        conf_url(emulator, mine.alias, "participants"), headers={"token": host.token}
    ).json()["result"]
    leg = next(p for p in listed if p["uuid"] == uuid)
    assert leg["call_direction"] == "out" and leg["uri"] == theirs.alias

    hang_up = conf_url(emulator, mine.alias, f"participants/{uuid}/disconnect")
    assert httpx.post(hang_up, headers={"token": host.token}).status_code == 200
    assert "Møde hos hospitalet" not in {p["display_name"] for p in rooms(emulator)[theirs.alias]}

    # without the PIN the call stays at the PIN prompt and hangs up: nobody is bridged
    wrong = httpx.post(dial_url, json=body | {"dtmf_sequence": ""}, headers={"token": host.token})
    assert wrong.status_code == 200
    assert wrong.json()["result"][0] not in {p["uuid"] for p in rooms(emulator)[mine.alias]}
    assert len(rooms(emulator)[theirs.alias]) == 2
