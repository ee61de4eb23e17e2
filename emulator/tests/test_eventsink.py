"""The node's event sinks: what a call reports, delivery in order with retries and bulk, and
the whole path from a real emulator process to a receiver."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from devstack.stack import free_port
from emulator.node.eventsink import EventSinks, SinkClock, SinkTarget, parse_sinks
from emulator.node.rooms import Node
from emulator.settings import EmulatorSettings, SettingsError
from emulator.tests.conftest import _start
from emulator.tests.helpers import book, conf_url, join


class Receiver:
    """An event sink: records every POST; answers `failures` of them with 503 first."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.posts: list[tuple[str, Any]] = []  # (Authorization, body)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if receiver.failures > 0:
                    receiver.failures -= 1
                    self.send_response(503)
                else:
                    receiver.posts.append((self.headers.get("Authorization", ""), body))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/eventsink/node1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for _, body in self.posts:
            found.extend(body if isinstance(body, list) else [body])
        return found

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def queued(sinks: EventSinks) -> list[dict[str, Any]]:
    return list(sinks._sinks[0].queue)


async def test_a_call_reports_what_pexip_reports() -> None:
    sinks = EventSinks((SinkTarget("http://127.0.0.1:9/", "", ""),), clock=SinkClock(60))
    node = Node(token_ttl=60, events=sinks)
    room = node.provision("1234567@vdx.localhost", "1111", "2222")
    _, guest = node.join(
        room, "GUEST", "Karen Jensen", "borgervideo:kobenhavn", remote_address="192.0.2.7"
    )
    _, host = node.join(room, "HOST", "Hanne", "borgervideo:kobenhavn")
    await asyncio.sleep(0.05)  # 3 s of event time at 60 times speed
    await node.drop(room, guest, None)
    await node.drop(room, host, "Conference terminated by another participant")
    events = queued(sinks)
    names = [e["event"] for e in events]
    assert names[0] == "conference_started"
    assert names[1] == "participant_connected"
    assert "conference_updated" in names  # the host's arrival starts the conference
    assert names[-3:] == [
        "participant_disconnected",
        "participant_disconnected",
        "conference_ended",
    ]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert all(e["version"] == 2 and e["node"] == "127.0.0.1" for e in events)
    connected = events[1]["data"]
    assert connected["display_name"] == "Karen Jensen"  # the receiver must drop it
    assert connected["remote_address"] == "192.0.2.7"
    assert connected["call_tag"] == "borgervideo:kobenhavn"
    assert connected["conference"] == "1234567@vdx.localhost"
    assert connected["protocol"] == "api" and connected["has_media"] is False
    assert connected["role"] == "guest" and connected["service_type"] == "conference"
    left = events[-3]["data"]
    assert left["uuid"] == guest.uuid and left["disconnect_reason"] == "Call disconnected"
    assert left["end_time"] - left["connect_time"] == pytest.approx(left["duration"])
    assert left["duration"] >= 2.5  # sped up: 0.05 s of real time is 3 s of event time
    assert events[-1]["data"]["name"] == "1234567@vdx.localhost"
    assert events[-1]["data"]["end_time"] >= events[0]["data"]["start_time"]
    assert events[-2]["data"]["role"] == "chair"


async def test_a_waiting_guest_is_reported_in_the_waiting_room() -> None:
    sinks = EventSinks((SinkTarget("http://127.0.0.1:9/", "", ""),))
    node = Node(token_ttl=60, events=sinks)
    room = node.provision("1234567@vdx.localhost", "1111", "2222")
    room.locked = True
    _, guest = node.join(room, "GUEST", "Karen", "")
    assert queued(sinks)[-1]["data"]["service_type"] == "waiting_room"
    node.admit(room, guest)
    update = queued(sinks)[-1]
    assert update["event"] == "participant_updated"
    assert update["data"]["service_type"] == "conference"


async def test_delivery_in_order_retried_with_basic_credentials() -> None:
    receiver = Receiver(failures=2)
    try:
        target = parse_sinks(receiver.url.replace("http://", "http://node1:s%3Acret@"))[0]
        assert (target.username, target.password) == ("node1", "s:cret")
        sinks = EventSinks((target,), retry_first=0.05)
        await sinks.start()
        for n in range(5):
            sinks.emit("conference_updated", {"name": f"room-{n}"})
        await wait_for(lambda: len(receiver.events()) == 6)
        await sinks.close()
    finally:
        receiver.close()
    events = receiver.events()
    assert events[0]["event"] == "eventsink_started"
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5, 6]  # the failed one first, once
    assert [e["data"].get("name") for e in events[1:]] == [f"room-{n}" for n in range(5)]
    auth = base64.b64encode(b"node1:s:cret").decode()
    assert {a for a, _ in receiver.posts} == {f"Basic {auth}"}


async def test_bulk_support_posts_arrays(receiver: Receiver) -> None:
    sinks = EventSinks((SinkTarget(receiver.url, "n", "p"),), bulk=3)
    for n in range(7):
        sinks.emit("conference_updated", {"name": f"room-{n}"})
    await sinks.start()
    await wait_for(lambda: len(receiver.events()) == 8)
    await sinks.close()
    bodies = [body for _, body in receiver.posts]
    assert all(isinstance(b, list) and 1 <= len(b) <= 3 for b in bodies)
    assert [e["seq"] for e in receiver.events()] == list(range(1, 9))


async def wait_for(condition: Any) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_settings() -> None:
    settings = EmulatorSettings.from_env(
        {"EMU_EVENT_SINKS": "http://a:b@127.0.0.1:1/x, https://c:d@h/y", "EMU_CLOCK_SPEED": "30"}
    )
    assert [t.url for t in settings.event_sinks] == ["http://127.0.0.1:1/x", "https://h/y"]
    assert settings.clock_speed == 30
    for bad in (
        {"EMU_EVENT_SINKS": "ftp://x"},
        {"EMU_CLOCK_SPEED": "fast"},
        {"EMU_CLOCK_SPEED": "0.5"},
    ):
        with pytest.raises(SettingsError):
            EmulatorSettings.from_env(bad)


def test_the_emulator_process_reports_to_its_sink(tmp_path: Path, receiver: Receiver) -> None:
    sink = receiver.url.replace("http://", "http://node1:pw@")
    for base in _start(tmp_path, EMU_EVENT_SINKS=sink):
        room = book(base)
        guest = join(base, room.alias, room.guest_pin, "Karen", "borgervideo:kobenhavn")
        host = join(base, room.alias, room.host_pin, "Hanne", "borgervideo:kobenhavn")
        for joined in (guest, host):
            answer = httpx.post(
                conf_url(base, room.alias, "release_token"), headers={"token": joined.token}
            )
            assert answer.status_code == 200
        deadline = time.monotonic() + 10
        while "conference_ended" not in [e["event"] for e in receiver.events()]:
            assert time.monotonic() < deadline, receiver.events()
            time.sleep(0.05)
    names = [e["event"] for e in receiver.events()]
    assert names[0] == "eventsink_started"
    assert names.count("participant_connected") == 2
    assert names.count("participant_disconnected") == 2
    connected = next(e for e in receiver.events() if e["event"] == "participant_connected")
    assert connected["data"]["remote_address"] == "127.0.0.1"
    assert connected["data"]["call_tag"] == "borgervideo:kobenhavn"
