"""The citizen's network drops in the middle of the call (issue 7): her signalling runs
through a relay the test cuts (e2e/relay.py) while her video keeps flowing. Within seconds
she sees "Genopretter forbindelsen…" over the running video, the nurse sees that she is
reconnecting, and when the network is back the call goes on by itself, with no tap. After a
long outage (BV_RECONNECT_LONG_OUTAGE, short here) "Prøv igen" is offered as well."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import Stack, running_stack
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.relay import Relay
from e2e.test_citizen_call import PHONE

LONG_OUTAGE = 8  # seconds before "Prøv igen" is offered too (30 in production)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(extra_bff_env={"BV_RECONNECT_LONG_OUTAGE": str(LONG_OUTAGE)}) as running:
        yield running


@pytest.fixture
def relay(stack: Stack) -> Iterator[Relay]:
    port = int(stack.bff_url.rsplit(":", 1)[1])
    relay = Relay(port)
    yield relay
    relay.close()


def _in_call(
    stack: Stack, relay: Relay, citizen_browser: Browser, nurse_browser: Browser
) -> tuple[Page, Page]:
    meeting = book_meeting(
        stack, guests=[{"display_name": "Karen Jensen"}], host_name="Sygeplejerske Hanne"
    )
    nurse = nurse_browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    nurse.get_by_test_id("join-button").click()
    expect(nurse.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    citizen = citizen_browser.new_context(**PHONE).new_page()
    citizen.goto(relay.url(meeting.guest_links[0]))
    citizen.get_by_test_id("join-button").click()
    expect(citizen.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    expect(citizen.get_by_test_id("remote-name")).to_have_text(
        "Sygeplejerske Hanne", timeout=15_000
    )
    # Both clients beacon: the nurse knows the citizen's client.
    time.sleep(4)
    return citizen, nurse


def _video_runs(page: Page) -> bool:
    before = page.evaluate("() => document.querySelector('[data-testid=remote-video]').currentTime")
    time.sleep(1.2)
    after = page.evaluate("() => document.querySelector('[data-testid=remote-video]').currentTime")
    return bool(after > before)


def _chat_reaches_nurse(citizen: Page, nurse: Page, text: str) -> None:
    citizen.get_by_test_id("chat-button").click()
    citizen.get_by_test_id("chat-input").fill(text)
    citizen.get_by_test_id("chat-send").click()
    expect(nurse.get_by_test_id("chat-message").filter(has_text=text)).to_be_visible(timeout=10_000)
    citizen.get_by_test_id("chat-close").click()


def test_short_cut_shows_reconnecting_and_returns_by_itself(
    stack: Stack, relay: Relay, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    citizen, nurse = _in_call(stack, relay, citizen_browser, nurse_browser)
    banner = citizen.get_by_test_id("reconnecting")
    relay.cut()
    cut_at = time.monotonic()
    expect(banner).to_be_visible(timeout=4_000)  # noticed within seconds
    expect(banner).to_contain_text("Genopretter forbindelsen")
    expect(banner).to_have_attribute("data-long", "false")
    # The spinner is a small circle (layout size, unturned), clear of the words.
    size = banner.locator(".spinner").evaluate("(el) => [el.offsetWidth, el.offsetHeight]")
    assert size == [24, 24], size
    assert not banner.locator(".spinner").evaluate(
        """(el) => {
          const a = el.getBoundingClientRect();
          const b = el.parentElement.querySelector('strong').getBoundingClientRect();
          return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        }"""
    ), "the spinner is drawn over the words"
    assert _video_runs(citizen), "the video goes on under the notice"
    time.sleep(max(0.0, 5 - (time.monotonic() - cut_at)))
    relay.restore()
    expect(banner).to_be_hidden(timeout=15_000)  # back by itself, no tap
    expect(citizen.get_by_test_id("in-call")).to_be_visible()
    expect(citizen.get_by_test_id("connection-error")).to_have_count(0)
    _chat_reaches_nurse(citizen, nurse, "Er du der stadig?")
    citizen.context.close()
    nurse.context.close()


def test_long_cut_nurse_sees_it_retry_offered_and_call_returns_by_itself(
    stack: Stack, relay: Relay, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    citizen, nurse = _in_call(stack, relay, citizen_browser, nurse_browser)
    banner = citizen.get_by_test_id("reconnecting")
    relay.cut()
    cut_at = time.monotonic()
    expect(banner).to_be_visible(timeout=4_000)
    # The other side sees it: her beacons stopped.
    expect(nurse.get_by_test_id("remote-reconnecting")).to_contain_text(
        "Karen Jensen", timeout=15_000
    )
    expect(nurse.get_by_test_id("participant-reconnecting")).to_be_visible()
    # A long outage: "Prøv igen" too, while it keeps trying by itself.
    expect(banner).to_have_attribute("data-long", "true", timeout=(LONG_OUTAGE + 4) * 1000)
    expect(citizen.get_by_test_id("reconnect-now")).to_be_visible()
    assert _video_runs(citizen)
    time.sleep(max(0.0, 60 - (time.monotonic() - cut_at)))
    relay.restore()
    # No tap on "Prøv igen". Probes are 10 s apart by now, and after a minute away the call is
    # made afresh: room for that on a busy machine.
    expect(banner).to_be_hidden(timeout=40_000)
    expect(nurse.get_by_test_id("remote-reconnecting")).to_have_count(0, timeout=15_000)
    expect(citizen.get_by_test_id("connection-error")).to_have_count(0)
    _chat_reaches_nurse(citizen, nurse, "Nu er jeg tilbage")
    citizen.context.close()
    nurse.context.close()


def test_a_reload_during_the_call_rejoins_by_itself(
    stack: Stack, relay: Relay, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    """Both reload in the middle of the call: each is back in it with no new "Deltag" (the
    tab remembers it was in the call); after leaving, a reload shows the preflight again."""
    citizen, nurse = _in_call(stack, relay, citizen_browser, nurse_browser)
    for page in (citizen, nurse):
        page.reload()
        expect(page.get_by_test_id("in-call")).to_be_visible(timeout=60_000)
    expect(citizen.get_by_test_id("remote-name")).to_have_text(
        "Sygeplejerske Hanne", timeout=30_000
    )
    assert _video_runs(citizen), "the nurse's video reaches the citizen again"
    _chat_reaches_nurse(citizen, nurse, "Jeg er her igen")
    citizen.get_by_test_id("leave-button").click()
    expect(citizen.get_by_test_id("in-call")).to_have_count(0, timeout=10_000)
    citizen.reload()
    expect(citizen.get_by_test_id("join-button")).to_be_visible(timeout=20_000)
    expect(citizen.get_by_test_id("in-call")).to_have_count(0)
    citizen.context.close()
    nurse.context.close()
