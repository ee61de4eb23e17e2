"""Hosted rooms on the emulated node: lobby until a host joins, the waiting room of a
locked conference, guests dropped after the last host left, guests muted on joining,
and PIN brute-force resistance. Tested on the node itself (no processes)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from emulator.node.models import HOSTS_DEPARTED, WAITING_TIMEOUT, NodeError
from emulator.node.rooms import AllowListEntry, BreakInDefense, Node, Participant, Room


def listen(participant: Participant) -> asyncio.Queue[Any]:
    queue: asyncio.Queue[Any] = asyncio.Queue()
    participant.streams.add(queue)
    return queue


def drain(queue: asyncio.Queue[Any]) -> list[tuple[str, dict[str, Any]]]:
    events = []
    while not queue.empty():
        item = queue.get_nowait()
        if hasattr(item, "name"):
            events.append((item.name, item.data))
    return events


def room_with_pins(node: Node, **options: Any) -> Room:
    return node.provision("1234567@vdx.localhost", "1111", "2222", **options)


def test_guest_waits_for_the_host_then_the_conference_starts() -> None:
    node = Node(token_ttl=60)
    room = room_with_pins(node)
    _, guest = node.join(room, "GUEST", "Karen", "")
    events = listen(guest)
    assert room.state()["started"] is False
    assert guest.as_event(False)["service_type"] == "conference"
    assert not room.relays(guest)

    node.join(room, "HOST", "Hanne", "")
    assert room.state()["started"] is True
    assert room.relays(guest)
    seen = drain(events)
    assert ("conference_update", room.state()) in seen
    assert [data["display_name"] for name, data in seen if name == "participant_create"] == [
        "Hanne"
    ]


def test_locked_room_holds_new_guest_until_a_host_admits_it() -> None:
    node = Node(token_ttl=60)
    room = room_with_pins(node)
    _, host = node.join(room, "HOST", "Hanne", "")
    _, first = node.join(room, "GUEST", "Karen", "")
    host_events, first_events = listen(host), listen(first)
    room.locked = True

    _, second = node.join(room, "GUEST", "Bo", "")
    assert second.waiting
    second_events = listen(second)
    assert second.as_event(False)["service_type"] == "waiting_room"
    # Only hosts see the waiting guest; the waiting guest sees only itself and no media.
    created = drain(host_events)
    assert created == [("participant_create", second.as_event(False))]
    assert drain(first_events) == []
    assert [p["display_name"] for p in room.participant_list(second)] == ["Bo"]
    assert [p["display_name"] for p in room.participant_list(first)] == ["Hanne", "Karen"]
    assert not room.relays(second)

    # A host joining a locked room is not held.
    _, second_host = node.join(room, "HOST", "Mads", "")
    assert not second_host.waiting

    node.admit(room, second)
    assert not second.waiting
    assert room.relays(second)
    assert [name for name, _ in drain(host_events)] == ["participant_create", "participant_update"]
    assert [(n, d["display_name"]) for n, d in drain(first_events)] == [
        ("participant_create", "Mads"),
        ("participant_create", "Bo"),
    ]
    names = {d["display_name"]: n for n, d in drain(second_events)}
    assert names == {
        "Hanne": "participant_create",
        "Karen": "participant_create",
        "Mads": "participant_create",
        "Bo": "participant_update",
    }


async def test_guests_are_dropped_after_the_last_host_left() -> None:
    node = Node(token_ttl=60, guests_only_timeout=0.3)
    room = room_with_pins(node)
    _, host = node.join(room, "HOST", "Hanne", "")
    _, guest = node.join(room, "GUEST", "Karen", "")
    events = listen(guest)
    await node.drop(room, host, None)
    assert room.started  # the guests may go on for a while
    assert await node.enforce_hosting() == 0
    await asyncio.sleep(0.35)
    assert await node.enforce_hosting() == 1
    assert room.participants == {}
    assert ("disconnect", {"reason": HOSTS_DEPARTED}) in drain(events)
    assert not room.started and not room.locked


async def test_a_returning_host_keeps_the_guests() -> None:
    node = Node(token_ttl=60, guests_only_timeout=0.2)
    room = room_with_pins(node)
    _, host = node.join(room, "HOST", "Hanne", "")
    _, guest = node.join(room, "GUEST", "Karen", "")
    await node.drop(room, host, None)
    node.join(room, "HOST", "Hanne", "")
    await asyncio.sleep(0.25)
    assert await node.enforce_hosting() == 0
    assert guest.uuid in room.participants


async def test_guest_waiting_too_long_is_dropped() -> None:
    node = Node(token_ttl=60, waiting_for_chair_timeout=0.2)
    room = room_with_pins(node)
    _, guest = node.join(room, "GUEST", "Karen", "")
    events = listen(guest)
    assert await node.enforce_hosting() == 0
    await asyncio.sleep(0.25)
    assert await node.enforce_hosting() == 1
    assert ("disconnect", {"reason": WAITING_TIMEOUT}) in drain(events)


def test_guests_muted_on_joining() -> None:
    node = Node(token_ttl=60)
    room = room_with_pins(node, mute_guests_on_join=True, guests_can_unmute=False)
    _, host = node.join(room, "HOST", "Hanne", "")
    _, guest = node.join(room, "GUEST", "Karen", "")
    assert host.as_event(False)["is_muted"] == "NO"
    assert guest.as_event(False)["is_muted"] == "YES"
    assert guest.muted_by_host
    assert room.muted(guest)
    assert room.state()["guests_can_unmute"] is False


def test_wrong_pins_block_the_room_for_a_while() -> None:
    node = Node(
        token_ttl=60, break_in=BreakInDefense(max_failures=3, trusted=frozenset({"10.9.9.9"}))
    )
    room = room_with_pins(node)
    other = node.provision("7654321@vdx.localhost", "1111", "2222")
    for _ in range(3):
        with pytest.raises(NodeError) as wrong:
            node.check_pin(room, "9999", "10.0.0.1")
        assert wrong.value.result == "Invalid PIN"
    # Now every new join to that room is refused as if it did not exist, right PIN or not,
    # from any address but a trusted one; other rooms are not affected.
    for pin, source in (("2222", "10.0.0.1"), ("1111", "10.0.0.2"), (None, "10.0.0.3")):
        with pytest.raises(NodeError) as blocked:
            node.check_pin(room, pin, source)
        assert (blocked.value.status, blocked.value.result) == (
            404,
            "Neither conference nor gateway found",
        )
    assert node.check_pin(room, "2222", "10.9.9.9") == "GUEST"
    assert node.check_pin(other, "1111", "10.0.0.1") == "HOST"


def test_one_address_guessing_is_quarantined_everywhere_unless_allow_listed() -> None:
    """Pexip counts by source address too: wrong PINs across rooms, or unknown aliases, from
    one address quarantine it for every room; the allow list's ignore_incorrect_pins and
    ignore_incorrect_aliases (go-infinity-sdk break_in_allow_list_address_model.go) exempt an
    address from the count they name. Every Borgervideo join reaches the node from the BFF."""
    allow = (
        AllowListEntry.parse("10.1.0.0/16=pins"),
        AllowListEntry.parse("10.2.0.5=aliases"),
    )
    node = Node(
        token_ttl=60,
        break_in=BreakInDefense(
            max_failures=50, max_address_failures=3, max_scan_attempts=3, allow_list=allow
        ),
    )
    rooms = [node.provision(f"{n}000000@vdx.localhost", "1111", "2222") for n in range(1, 5)]
    for room in rooms[:3]:  # one wrong PIN in each of three rooms: no room reaches its limit
        with pytest.raises(NodeError):
            node.check_pin(room, "9999", "10.0.0.1")
    with pytest.raises(NodeError) as quarantined:  # the right PIN, a fresh room: refused
        node.check_pin(rooms[3], "2222", "10.0.0.1")
    assert quarantined.value.status == 404
    with pytest.raises(NodeError):
        node.room_to_join(rooms[3].alias, "10.0.0.1")
    assert node.check_pin(rooms[3], "2222", "10.0.0.2") == "GUEST"  # others are not

    for _ in range(5):  # allow-listed for PINs: never quarantined by wrong ones
        with pytest.raises(NodeError) as wrong:
            node.check_pin(rooms[0], "9999", "10.1.4.4")
        assert wrong.value.result == "Invalid PIN"
    assert node.check_pin(rooms[0], "2222", "10.1.4.4") == "GUEST"

    for source in ("10.0.0.3", "10.2.0.5", "10.1.4.4"):
        for _ in range(3):  # scanning for aliases that do not exist
            with pytest.raises(NodeError):
                node.room_to_join("9999999@vdx.localhost", source)
    with pytest.raises(NodeError):
        node.room_to_join(rooms[1].alias, "10.0.0.3")  # quarantined
    assert node.room_to_join(rooms[1].alias, "10.2.0.5") is rooms[1]  # ignores aliases
    with pytest.raises(NodeError):
        node.room_to_join(rooms[1].alias, "10.1.4.4")  # its entry ignores PINs only


def test_wrong_pins_outside_the_window_do_not_add_up() -> None:
    defense = BreakInDefense(max_failures=2, window=0.05)
    node = Node(token_ttl=60, break_in=defense)
    room = room_with_pins(node)
    with pytest.raises(NodeError):
        node.check_pin(room, "9999", "10.0.0.1")
    time.sleep(0.06)
    with pytest.raises(NodeError):
        node.check_pin(room, "9999", "10.0.0.1")
    assert node.check_pin(room, "2222", "10.0.0.1") == "GUEST"
