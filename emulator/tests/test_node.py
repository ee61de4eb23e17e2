"""The emulated conference node over HTTP: PIN challenge, tokens, events, reaper."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from emulator.node.models import NodeError
from emulator.node.rooms import Node
from emulator.tests.helpers import book, conf_url, end_meeting, join, parse_sse, rooms


def test_pin_challenge(emulator: str) -> None:
    booked = book(emulator, hostPin=4321, guestPin=8765)
    url = conf_url(emulator, booked.alias, "request_token")

    no_pin = httpx.post(url, json={"display_name": "Anna"})
    assert no_pin.status_code == 403
    assert no_pin.headers["content-type"].startswith("application/json")
    body = no_pin.json()
    assert body["status"] == "success"
    assert body["result"]["pin"] == "required"
    assert body["result"]["guest_pin"] == "required"
    assert "version" in body["result"]

    wrong = httpx.post(url, json={"display_name": "Anna"}, headers={"pin": "1111"})
    assert wrong.status_code == 403
    assert wrong.json() == {"status": "success", "result": "Invalid PIN"}

    host = httpx.post(
        url, json={"display_name": "Anna", "call_tag": "t-1"}, headers={"pin": "4321"}
    )
    assert host.status_code == 200
    result = host.json()["result"]
    assert result["role"] == "HOST"
    assert isinstance(result["expires"], str)
    assert result["current_service_type"] == "conference"
    assert result["display_name"] == "Anna"
    assert "stun" not in result
    guest = join(emulator, booked.alias, "8765", "Bo")
    assert guest.role == "GUEST"

    people = {p["display_name"]: p for p in rooms(emulator)[booked.alias]}
    assert people["Anna"]["role"] == "HOST"
    assert people["Anna"]["call_tag"] == "t-1"
    assert people["Bo"]["role"] == "GUEST"
    assert people["Bo"]["has_media"] is False


def test_a_host_mutes_stops_the_camera_of_and_removes_a_guest_and_ends_it_for_all(
    emulator: str,
) -> None:
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Hanne")
    guest = join(emulator, booked.alias, booked.guest_pin, "Karen")
    other = join(emulator, booked.alias, booked.guest_pin, "Ole")

    def act(who: str, whom: str, action: str) -> httpx.Response:
        url = conf_url(emulator, booked.alias, f"participants/{whom}/{action}")
        return httpx.post(url, headers={"token": who})

    def karen() -> dict[str, Any]:
        return {p["display_name"]: p for p in rooms(emulator)[booked.alias]}["Karen"]

    for action in ("mute", "video_muted", "disconnect"):  # a guest may not touch another
        assert act(other.token, guest.uuid, action).status_code == 403
    assert act(host.token, guest.uuid, "mute").status_code == 200
    assert karen()["is_muted"] is True
    assert act(host.token, guest.uuid, "unmute").status_code == 200
    assert karen()["is_muted"] is False
    assert act(host.token, guest.uuid, "video_muted").status_code == 200
    assert karen()["is_video_muted"] is True
    seen = httpx.get(
        conf_url(emulator, booked.alias, "participants"), headers={"token": guest.token}
    )
    me = next(p for p in seen.json()["result"] if p["uuid"] == guest.uuid)
    assert me["is_video_muted"] is True  # she learns it too
    assert act(guest.token, guest.uuid, "video_unmuted").status_code == 200  # her own again
    assert karen()["is_video_muted"] is False

    assert act(host.token, guest.uuid, "disconnect").status_code == 200
    assert [p["display_name"] for p in rooms(emulator)[booked.alias]] == ["Hanne", "Ole"]
    everyone = conf_url(emulator, booked.alias, "disconnect")
    assert httpx.post(everyone, headers={"token": other.token}).status_code == 403
    assert httpx.post(everyone, headers={"token": host.token}).status_code == 200
    assert rooms(emulator)[booked.alias] == []


def test_unknown_alias_and_endpoint_answer_json_404(emulator: str) -> None:
    res = httpx.post(
        conf_url(emulator, "0000000@nowhere", "request_token"), json={"display_name": "X"}
    )
    assert res.status_code == 404
    assert res.json()["status"] == "failed"
    booked = book(emulator)
    joined = join(emulator, booked.alias, booked.host_pin)
    res = httpx.post(
        conf_url(emulator, booked.alias, "no_such_thing"), headers={"token": joined.token}
    )
    assert res.status_code == 404
    assert res.headers["content-type"].startswith("application/json")


def test_guest_pin_none_only_without_guest_pin() -> None:
    node = Node(token_ttl=60)
    open_room = node.provision("1@x", "1234", None)
    assert node.check_pin(open_room, "none") == "GUEST"
    closed_room = node.provision("2@x", "1234", "5678")
    with pytest.raises(NodeError) as err:
        node.check_pin(closed_room, "none")
    assert err.value.result == "Invalid PIN"
    with pytest.raises(NodeError) as err:
        node.check_pin(open_room, None)
    assert err.value.result["guest_pin"] == "none"


def test_token_refresh_and_release(emulator: str) -> None:
    booked = book(emulator)
    joined = join(emulator, booked.alias, booked.host_pin)
    status_url = conf_url(emulator, booked.alias, "conference_status")

    bad = httpx.get(status_url, headers={"token": "not-a-token"})
    assert bad.status_code == 403
    assert bad.json()["result"] == "Invalid token"

    res = httpx.post(
        conf_url(emulator, booked.alias, "refresh_token"), headers={"token": joined.token}
    )
    assert res.status_code == 200
    new_token = res.json()["result"]["token"]
    assert new_token != joined.token
    assert isinstance(res.json()["result"]["expires"], str)
    assert httpx.get(status_url, headers={"token": new_token}).json()["result"]["locked"] is False

    res = httpx.post(
        conf_url(emulator, booked.alias, "release_token"), headers={"token": new_token}, json={}
    )
    assert res.json() == {"status": "success", "result": True}
    assert httpx.get(status_url, headers={"token": new_token}).status_code == 403
    assert rooms(emulator)[booked.alias] == []


def test_release_token_beacon_form(emulator: str) -> None:
    booked = book(emulator)
    joined = join(emulator, booked.alias, booked.guest_pin)
    # navigator.sendBeacon: token in the query string, alias not URL-encoded, text body.
    res = httpx.post(
        f"{emulator}/api/client/v2/conferences/{booked.alias}/release_token?token={joined.token}",
        content=b'{"reason":"Browser closed"}',
        headers={"content-type": "text/plain;charset=UTF-8"},
    )
    assert res.status_code == 200
    assert rooms(emulator)[booked.alias] == []


@contextmanager
def event_stream(base: str, alias: str, token: str) -> Iterator[Iterator[str]]:
    url = f"{base}/api/client/v2/conferences/{alias}/events?token={token}"
    with httpx.stream("GET", url, timeout=10) as res:
        assert res.status_code == 200
        assert res.headers["content-type"].startswith("text/event-stream")
        yield res.iter_lines()


def read_until(lines: Iterator[str], name: str, limit: int = 200) -> list[tuple[str, Any]]:
    """Read events up to and including the first one called `name`."""
    seen: list[str] = []
    for line in lines:
        seen.append(line)
        events = parse_sse(seen)
        if events and events[-1][0] == name:
            return events
        assert len(seen) < limit, f"no {name} in {seen}"
    raise AssertionError(f"stream ended before {name}: {seen}")


def test_events_sync_then_live_updates_then_disconnect(emulator: str) -> None:
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Vært")
    with event_stream(emulator, booked.alias, host.token) as lines:
        initial = read_until(lines, "conference_update")
        assert [name for name, _ in initial] == [
            "participant_sync_begin",
            "participant_create",
            "participant_sync_end",
            "conference_update",
        ]
        me = initial[1][1]
        assert me["uuid"] == host.uuid
        assert me["role"] == "chair"
        assert me["display_name"] == "Vært"

        guest = join(emulator, booked.alias, booked.guest_pin, "Gæst")
        created = read_until(lines, "participant_create")[-1][1]
        assert created["uuid"] == guest.uuid
        assert created["role"] == "guest"

        res = httpx.post(
            conf_url(emulator, booked.alias, "message"),
            json={"type": "text/plain", "payload": "Hej"},
            headers={"token": guest.token},
        )
        assert res.json()["result"] is True
        message = read_until(lines, "message_received")[-1][1]
        assert message["origin"] == "Gæst"
        assert message["uuid"] == guest.uuid
        assert message["payload"] == "Hej"
        assert message["type"] == "text/plain"

        # Guests may not lock; hosts may, and everyone hears of it.
        lock_url = conf_url(emulator, booked.alias, "lock")
        denied = httpx.post(lock_url, headers={"token": guest.token})
        assert denied.status_code == 403
        assert httpx.post(lock_url, headers={"token": host.token}).json()["result"] is True
        assert read_until(lines, "conference_update")[-1][1]["locked"] is True

        mute_url = conf_url(emulator, booked.alias, f"participants/{guest.uuid}/mute")
        assert httpx.post(mute_url, headers={"token": host.token}).status_code == 200
        assert read_until(lines, "participant_update")[-1][1]["is_muted"] == "YES"

        res = end_meeting(emulator, booked.uuid)
        assert res.status_code == 200
        events = read_until(lines, "disconnect")
        assert events[-1][1]["reason"]
        # The stream then ends (a stream left open would raise ReadTimeout here).
        assert not [line for line in lines if line.startswith("event:")]
    assert booked.alias not in rooms(emulator)


def test_host_disconnects_guest(emulator: str) -> None:
    booked = book(emulator)
    host = join(emulator, booked.alias, booked.host_pin, "Vært")
    guest = join(emulator, booked.alias, booked.guest_pin, "Gæst")
    with event_stream(emulator, booked.alias, guest.token) as lines:
        read_until(lines, "conference_update")
        url = conf_url(emulator, booked.alias, f"participants/{guest.uuid}/disconnect")
        assert httpx.post(url, headers={"token": host.token}).status_code == 200
        assert (
            read_until(lines, "disconnect")[-1][1]["reason"]
            == "Disconnected by another participant"
        )
    assert [p["uuid"] for p in rooms(emulator)[booked.alias]] == [host.uuid]


def test_reaper_drops_unrefreshed_participant(short_ttl_emulator: str) -> None:
    base = short_ttl_emulator
    booked = book(base)
    stale = join(base, booked.alias, booked.host_pin, "Stale")
    alive = join(base, booked.alias, booked.guest_pin, "Alive")
    token = alive.token
    with event_stream(base, booked.alias, token) as lines:
        read_until(lines, "conference_update")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            res = httpx.post(
                conf_url(base, booked.alias, "refresh_token"), headers={"token": token}
            )
            assert res.status_code == 200, res.text
            token = res.json()["result"]["token"]
            if [p["uuid"] for p in rooms(base)[booked.alias]] == [alive.uuid]:
                break
            time.sleep(0.3)
        assert [p["uuid"] for p in rooms(base)[booked.alias]] == [alive.uuid]
        deleted = read_until(lines, "participant_delete")[-1][1]
        assert deleted == {"uuid": stale.uuid}
    res = httpx.get(conf_url(base, booked.alias, "participants"), headers={"token": stale.token})
    assert res.status_code == 403
