"""The citizen-nurse call peer to peer: in a room that allows direct media the node only
brokers the signalling, the two Chromiums send media to each other; when one leaves the
other waits again, and a third participant moves everyone to relayed (transcoded) media.
The relayed call itself: test_citizen_call.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from devstack.stack import Stack, running_stack
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import BookedMeeting, book_meeting, launch_token, launch_url, wait_for_rooms
from e2e.test_citizen_call import PHONE, join, wait_for_colour

# Test instrumentation: keep a handle on the page's peer connections to read getStats().
RECORD_PEER_CONNECTIONS = """(() => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    window.__pcs.push(pc);
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
})();"""

# The selected ICE candidate pair of the live peer connection: both ends' address and port.
SELECTED_PAIR_JS = """async () => {
  for (const pc of [...window.__pcs].reverse()) {
    if (pc.connectionState !== 'connected') continue;
    const stats = await pc.getStats();
    for (const s of stats.values()) {
      if (s.type !== 'transport' || !s.selectedCandidatePairId) continue;
      const pair = stats.get(s.selectedCandidatePairId);
      const local = stats.get(pair.localCandidateId);
      const remote = stats.get(pair.remoteCandidateId);
      return {local: `${local.address}`, local_port: local.port,
              remote: `${remote.address}`, remote_port: remote.port};
    }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def direct_stack() -> Iterator[Stack]:
    # The node's default for rooms whose VDX meeting does not say (EMU_DIRECT_MEDIA).
    with running_stack(extra_emulator_env={"EMU_DIRECT_MEDIA": "true"}) as running:
        yield running


def _aliases(stack: Stack) -> set[str]:
    return {room["alias"] for room in httpx.get(f"{stack.emulator_url}/emulator/rooms").json()}


def _book(stack: Stack, **guests: Any) -> tuple[BookedMeeting, str]:
    """A meeting and the alias of the room it provisioned on the node."""
    before = _aliases(stack)
    meeting = book_meeting(stack, **guests)
    # VDX's provisioning job makes the room a moment after the booking
    (alias,) = wait_for_rooms(stack.emulator_url, len(before) + 1) - before
    return meeting, alias


def _participants(stack: Stack, alias: str) -> list[dict[str, Any]]:
    rooms = httpx.get(f"{stack.emulator_url}/emulator/rooms").json()
    return next(room["participants"] for room in rooms if room["alias"] == alias)


def _wait_for_media(stack: Stack, alias: str, page: Page, expected: list[tuple[str, bool]]) -> None:
    """The node's view of everyone's call in the room: sorted (media, has_media) pairs."""
    for _ in range(150):
        seen = sorted((str(p["media"]), p["has_media"]) for p in _participants(stack, alias))
        if seen == sorted(expected):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"media {seen} never became {sorted(expected)}")


def _selected_pair(page: Page) -> dict[str, Any]:
    for _ in range(100):
        pair = page.evaluate(SELECTED_PAIR_JS)
        if pair:
            return dict(pair)
        page.wait_for_timeout(200)
    raise AssertionError("no connected peer connection with a selected candidate pair")


def _context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(**options)
    context.add_init_script(RECORD_PEER_CONNECTIONS)
    return context


def test_citizen_and_nurse_peer_to_peer(
    direct_stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    meeting, alias = _book(
        direct_stack,
        guests=[{"display_name": "Karen Jensen"}, {"display_name": "Jens Jensen"}],
    )
    nurse_context = _context(nurse_browser, viewport={"width": 1280, "height": 800})
    nurse = nurse_context.new_page()
    nurse.goto(launch_url(direct_stack, launch_token(meeting.id)))
    join(nurse)
    citizen_context = _context(citizen_browser, **PHONE)
    citizen = citizen_context.new_page()
    citizen.goto(meeting.guest_links[0])
    join(citizen)

    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    # No media through the node: it holds no aiortc call, only the two direct legs.
    _wait_for_media(direct_stack, alias, nurse, [("direct", True), ("direct", True)])
    # Each browser's selected candidate pair ends at the other browser's own socket (by
    # port: Chromium hides a peer-reflexive remote candidate's address).
    # Sampled until both ends agree: each reads its own selection, and ICE may still switch
    # pairs for a moment (a host with IPv4 and IPv6 addresses has several to try).
    for _ in range(50):
        nurse_pair, citizen_pair = _selected_pair(nurse), _selected_pair(citizen)
        if (nurse_pair["remote_port"], citizen_pair["remote_port"]) == (
            citizen_pair["local_port"],
            nurse_pair["local_port"],
        ):
            break
        nurse.wait_for_timeout(200)
    assert nurse_pair["remote_port"] == citizen_pair["local_port"], (nurse_pair, citizen_pair)
    assert citizen_pair["remote_port"] == nurse_pair["local_port"], (nurse_pair, citizen_pair)

    expect(nurse.get_by_test_id("participant-item")).to_have_count(2, timeout=15_000)

    # The citizen leaves: the nurse stays in the call and waits (peer_disconnect, restart).
    citizen.get_by_test_id("leave-button").click()
    expect(citizen.get_by_test_id("call-ended")).to_be_visible()
    citizen.close()  # the tab, not the browser: her hang-up still reaches the node
    _wait_for_media(direct_stack, alias, nurse, [("direct", False)])
    citizen_context.close()
    expect(nurse.get_by_test_id("in-call")).to_be_visible()

    # She comes back through her link: peer to peer again.
    citizen_context = _context(citizen_browser, **PHONE)
    citizen = citizen_context.new_page()
    citizen.goto(meeting.guest_links[0])
    join(citizen)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    wait_for_colour(citizen, NURSE_COLOUR)
    _wait_for_media(direct_stack, alias, nurse, [("direct", True), ("direct", True)])

    # A relative joins: the node refers both to a new call and relays everyone's media.
    relative_context = _context(citizen_browser, **PHONE)
    relative = relative_context.new_page()
    relative.goto(meeting.guest_links[1])
    join(relative)
    _wait_for_media(
        direct_stack, alias, nurse, [("relayed", True), ("relayed", True), ("relayed", True)]
    )
    expect(nurse.get_by_test_id("in-call")).to_be_visible()
    expect(citizen.get_by_test_id("in-call")).to_be_visible()
    # The nurse sees one of the (red) citizens through the node, the citizens see someone.
    wait_for_colour(nurse, CITIZEN_COLOUR)
    for page in (citizen, relative):
        page.wait_for_function(
            """() => {
              const v = document.querySelector('[data-testid="remote-video"]');
              return v && v.videoWidth > 0 && !v.paused;
            }""",
            timeout=30_000,
        )
    expect(nurse.get_by_test_id("participant-item")).to_have_count(3, timeout=15_000)

    for context in (relative_context, citizen_context, nurse_context):
        context.close()


def test_relayed_call_goes_through_the_node(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    """The same call where the room does not allow direct media: both legs end at the node."""
    meeting, alias = _book(stack)
    nurse_context = _context(nurse_browser, viewport={"width": 1280, "height": 800})
    nurse = nurse_context.new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    join(nurse)
    citizen_context = _context(citizen_browser, **PHONE)
    citizen = citizen_context.new_page()
    citizen.goto(meeting.guest_links[0])
    join(citizen)
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    _wait_for_media(stack, alias, nurse, [("relayed", True), ("relayed", True)])
    nurse_pair, citizen_pair = _selected_pair(nurse), _selected_pair(citizen)
    assert nurse_pair["remote_port"] != citizen_pair["local_port"]
    assert citizen_pair["remote_port"] != nurse_pair["local_port"]
    for context in (citizen_context, nurse_context):
        context.close()
