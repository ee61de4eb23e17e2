"""Statistics with the event sink off, end to end: a real call (two Chromiums, the pinned
@pexip/infinity, the emulated node) is counted once from what the BFF's proxy saw, once from
VDX's History API (polled from the emulator) alone, and once when both report it.

The stacks lower the consultation minute to 2 seconds (BV_STATS_MIN_SECONDS, development
stack only), so a call of a few seconds stands for "over a minute"; the node's clock is not
sped up, so both sources see the call at the same times.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect

from devstack.stack import Stack, free_port, running_stack
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.test_citizen_call import join, wait_for_colour
from e2e.test_stats import consultations

HISTORY_KEY = "e2e-history-key"
MIN_SECONDS = 2
HELD = 4.0  # real seconds together: over the (lowered) minimum


@pytest.fixture(scope="module", params=["observation", "history", "observation+history"])
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    """A stack of its own per source set, the node's event sink off."""
    history = "history" in request.param
    emulator_env = {"EMU_EVENT_SINKS": ""}  # no event sink at all
    bff_env = {
        "BV_EVENT_SINK_NODES": "",
        "BV_STATS_MIN_SECONDS": str(MIN_SECONDS),
        "BV_STATS_SETTLE": "1",
        "BV_STATS_OBSERVE": "1" if "observation" in request.param else "0",
    }
    emulator_port = free_port()
    if history:
        emulator_env["EMU_VDX_HISTORY_API_KEY"] = HISTORY_KEY
        bff_env |= {
            "VDX_HISTORY_API_URL": f"http://127.0.0.1:{emulator_port}/apikey",
            "VDX_HISTORY_API_KEY": HISTORY_KEY,
            "BV_STATS_HISTORY_INTERVAL": "1",
        }
    with running_stack(
        emulator_port=emulator_port, extra_emulator_env=emulator_env, extra_bff_env=bff_env
    ) as running:
        yield running


def a_call(stack: Stack, citizen_browser: Browser, nurse_browser: Browser) -> None:
    """Nurse and citizen together with media for HELD seconds, then both leave."""
    meeting = book_meeting(stack)
    nurse_context = nurse_browser.new_context()
    nurse = nurse_context.new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    join(nurse)
    citizen_context = citizen_browser.new_context()
    citizen = citizen_context.new_page()
    citizen.goto(meeting.guest_links[0])
    join(citizen)
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    time.sleep(HELD)
    citizen.get_by_test_id("leave-button").click()
    expect(citizen.get_by_test_id("call-ended")).to_be_visible()
    nurse.get_by_test_id("leave-button").click()
    expect(nurse.get_by_test_id("call-ended")).to_be_visible()
    citizen.close()  # the tabs, not the browsers: their hang-ups still reach the node
    nurse.close()
    # both gone at the node, so the conference has ended (the History API lists ended ones)
    deadline = time.monotonic() + 30
    while any(r["participants"] for r in httpx.get(f"{stack.emulator_url}/emulator/rooms").json()):
        assert time.monotonic() < deadline, "the call never ended at the node"
        time.sleep(0.2)
    citizen_context.close()
    nurse_context.close()


def history_reports_a_call(stack: Stack) -> bool:
    """The emulated VDX History API has a record of a conference a host and a guest shared."""
    answer = httpx.get(
        f"{stack.emulator_url}/apikey/history/v1/conference",
        params={"start_time__gte": "2000-01-01T00:00:00"},
        headers={"X-API-KEY": HISTORY_KEY},
    )
    if answer.status_code != 200:
        return False
    return any(
        r["max_concurrent_hosts"] >= 1 and r["max_concurrent_guests"] >= 1
        for r in answer.json()["objects"]
    )


def test_a_call_is_counted_once_without_an_event_sink(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    before = consultations(stack)
    a_call(stack, citizen_browser, nurse_browser)
    deadline = time.monotonic() + 30
    while consultations(stack) == before:
        assert time.monotonic() < deadline, f"not counted:\n{stack.logs()[-6000:]}"
        time.sleep(0.5)
    time.sleep(3)  # folded, polled and counted again meanwhile: still one
    assert consultations(stack) == before + 1
    # no event sink: the node posts none, and the BFF would take none
    sink = httpx.post(f"{stack.bff_url}/eventsink/emulator", json=[], auth=("emulator", "x"))
    assert sink.status_code == 401
    history = "VDX_HISTORY_API_URL" in stack.bff.env
    assert history_reports_a_call(stack) is history  # with it, both sources report the call
