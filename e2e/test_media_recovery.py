"""The citizen's media path dies while signalling lives (issue 24, item 10): a phone moving
from Wi-Fi to mobile data. The node drops every media datagram of her call for 15 s (the
emulator's test control `cut-media`, EMU_TEST_CONTROLS); her browser's ICE consent fails, the
pinned @pexip/infinity restarts ICE through `calls/{uuid}/update`, and the node answers on a
fresh peer connection. Meanwhile she reads that picture and sound are interrupted and the
nurse that the citizen's connection is; within 10 s of the path coming back both see each
other again, and the notices are gone, with no tap."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import Stack, running_stack
from e2e.a11y import assert_axe_clean, assert_translated
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.test_citizen_call import MEAN_COLOUR_JS, PHONE

CUT_SECONDS = 15
BACK_WITHIN_S = 10  # after the path is back


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(extra_emulator_env={"EMU_TEST_CONTROLS": "1"}) as running:
        yield running


def _shows_colour(expected: tuple[int, int, int]) -> str:
    """A check (JS) that the remote video shows the other side's colour (test_citizen_call)."""
    channel = max(range(3), key=lambda index: expected[index])
    return f"""() => {{
      const video = document.querySelector('[data-testid="remote-video"]');
      const rgb = video && ({MEAN_COLOUR_JS})(video);
      if (!rgb) return false;
      const others = [0, 1, 2].filter((i) => i !== {channel});
      return others.every((i) => rgb[{channel}] > rgb[i] + 60);
    }}"""


# Frames the remote video presents in the next `ms`. Counted as they come (a frame callback),
# not from totalVideoFrames: that count starts again when the stream is replaced, as when the
# node answers one more ICE restart with fresh tracks just after the path came back.
FRAMES_WITHIN_JS = """(ms) => new Promise((resolve) => {
  const video = document.querySelector('[data-testid=remote-video]');
  let count = 0;
  const tick = () => { count += 1; video.requestVideoFrameCallback(tick); };
  video.requestVideoFrameCallback(tick);
  setTimeout(() => resolve(count), ms);
})"""


def _frames_within(page: Page, seconds: float) -> int:
    return int(page.evaluate(FRAMES_WITHIN_JS, seconds * 1000))


def _participant(stack: Stack, name: str) -> tuple[str, str]:
    for room in httpx.get(f"{stack.emulator_url}/emulator/rooms").json():
        for participant in room["participants"]:
            if participant["display_name"] == name:
                return room["alias"], participant["uuid"]
    raise AssertionError(f"{name} is in no room")


def _cut_media(stack: Stack, name: str, seconds: float) -> None:
    alias, uuid = _participant(stack, name)
    answer = httpx.post(
        f"{stack.emulator_url}/emulator/rooms/{alias}/participants/{uuid}/cut-media",
        json={"seconds": seconds},
    )
    assert answer.status_code == 200, answer.text


def test_media_cut_for_15_s_comes_back_by_itself(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    meeting = book_meeting(
        stack, guests=[{"display_name": "Karen Jensen"}], host_name="Sygeplejerske Hanne"
    )
    # The nurse reads English, the citizen Danish; both pages get axe injected.
    nurse = nurse_browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB", bypass_csp=True
    ).new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    nurse.get_by_test_id("join-button").click()
    expect(nurse.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    citizen = citizen_browser.new_context(**PHONE, bypass_csp=True).new_page()
    citizen.goto(meeting.guest_links[0])
    citizen.get_by_test_id("join-button").click()
    expect(citizen.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    citizen.wait_for_function(_shows_colour(NURSE_COLOUR), timeout=30_000)
    nurse.wait_for_function(_shows_colour(CITIZEN_COLOUR), timeout=30_000)

    cut_at = time.monotonic()  # no later than the node's cut starts
    _cut_media(stack, "Karen Jensen", CUT_SECONDS)
    # Both sides see what is happening, within seconds.
    banner = citizen.get_by_test_id("media-interrupted")
    expect(banner).to_contain_text(
        "Forbindelsen til billede og lyd er afbrudt – vi prøver igen", timeout=10_000
    )
    expect(banner).to_have_attribute("role", "status")
    expect(nurse.get_by_test_id("remote-media-interrupted")).to_contain_text(
        "Picture and sound from Karen Jensen are interrupted", timeout=10_000
    )
    expect(nurse.get_by_test_id("participant-media-interrupted")).to_have_text(
        "picture and sound interrupted"
    )
    # Media really stopped: no frame reaches her, and the nurse has no picture of her.
    assert _frames_within(citizen, 2) == 0, "video still reaches the citizen during the cut"
    assert not nurse.evaluate(_shows_colour(CITIZEN_COLOUR))
    for page, who in ((citizen, "citizen"), (nurse, "nurse")):
        assert_axe_clean(page, f"media interrupted ({who})")
        assert_translated(page)
    assert time.monotonic() - cut_at < CUT_SECONDS, "the checks above outlasted the cut"

    time.sleep(max(0.0, CUT_SECONDS - (time.monotonic() - cut_at)))
    deadline = time.monotonic() + BACK_WITHIN_S

    def left_ms() -> float:  # at least 1 ms: a timeout of 0 is none at all to Playwright
        return max(0.001, deadline - time.monotonic()) * 1000

    # Back by itself, no tap: both see each other, and the notices are gone.
    citizen.wait_for_function(_shows_colour(NURSE_COLOUR), timeout=left_ms())
    nurse.wait_for_function(_shows_colour(CITIZEN_COLOUR), timeout=left_ms())
    expect(banner).to_be_hidden(timeout=left_ms())
    expect(nurse.get_by_test_id("remote-media-interrupted")).to_have_count(0, timeout=left_ms())
    expect(nurse.get_by_test_id("participant-media-interrupted")).to_have_count(0)
    assert _frames_within(citizen, 1) > 0, "the citizen's video runs again"
    expect(citizen.get_by_test_id("connection-error")).to_have_count(0)
    expect(citizen.get_by_test_id("in-call")).to_be_visible()
    citizen.context.close()
    nurse.context.close()
