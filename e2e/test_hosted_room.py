"""Hosted rooms as a real Pexip node runs them: the citizen waits in the lobby until the
nurse joins, a locked meeting holds new guests until the nurse lets them in, guests are
dropped a while after the nurse left, and a guest muted on joining sees that she is muted."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_PARTY, Stack, running_stack, vdx_headers
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import book_meeting, create_vdx_room, launch_token, launch_url
from e2e.test_citizen_call import PHONE, wait_for_colour

GUESTS_ONLY_TIMEOUT = 4  # seconds; a real node waits 60


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """Its own stack: the node drops guests soon after the last host left."""
    with running_stack(
        extra_emulator_env={"EMU_GUESTS_ONLY_TIMEOUT": str(GUESTS_ONLY_TIMEOUT)}
    ) as running:
        yield running


def press_join(page: Page) -> None:
    expect(page.get_by_test_id("self-view")).to_be_visible()
    page.get_by_test_id("join-button").click()


def nurse_joins(browser: Browser, stack: Stack, meeting_id: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(launch_url(stack, launch_token(meeting_id)))
    press_join(page)
    expect(page.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    return page


def test_citizen_waits_for_the_nurse_and_is_dropped_after_she_left(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    meeting = book_meeting(stack)
    citizen = citizen_browser.new_context(**PHONE).new_page()
    citizen.goto(meeting.guest_links[0])
    press_join(citizen)
    lobby = citizen.get_by_test_id("lobby")
    expect(lobby).to_be_visible(timeout=20_000)
    expect(lobby).to_contain_text("Du venter på")
    expect(lobby).to_have_attribute("data-reason", "host")
    expect(citizen.get_by_test_id("in-call")).to_have_count(0)
    # Nobody named the host yet: a fallback that reads right in either language.
    expect(lobby).to_contain_text("Du kommer ind i mødet, så snart værten er klar.")
    citizen.get_by_test_id("language-switch").click()
    expect(lobby).to_contain_text("You will join the meeting as soon as the host is ready.")
    citizen.get_by_test_id("language-switch").click()
    expect(lobby).to_contain_text("så snart værten er klar")

    nurse = nurse_joins(nurse_browser, stack, meeting.id)
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)

    nurse.get_by_test_id("leave-button").click()
    expect(nurse.get_by_test_id("call-ended")).to_be_visible()
    # The citizen stays a little while (the nurse may come back), then the node ends it.
    ended = citizen.get_by_test_id("call-ended")
    expect(ended).to_be_visible(timeout=(GUESTS_ONLY_TIMEOUT + 10) * 1000)
    expect(ended).to_contain_text("Mødets vært har forladt mødet")
    nurse.context.close()
    citizen.context.close()


def test_locked_meeting_holds_the_citizen_until_the_nurse_lets_her_in(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    meeting = book_meeting(stack)
    nurse = nurse_joins(nurse_browser, stack, meeting.id)
    lock = nurse.get_by_test_id("toggle-lock")
    expect(lock).to_have_attribute("aria-pressed", "false")
    lock.click()
    expect(lock).to_have_attribute("aria-pressed", "true")

    citizen = citizen_browser.new_context(**PHONE).new_page()
    refused: list[str] = []
    citizen.on("response", lambda r: refused.append(r.url) if r.status == 403 else None)
    citizen.goto(meeting.guest_links[0])
    press_join(citizen)
    lobby = citizen.get_by_test_id("lobby")
    expect(lobby).to_have_attribute("data-reason", "admission", timeout=20_000)
    citizen.wait_for_timeout(7_000)  # a while held: room for "still here" beacons
    assert refused == [], "nothing the node refuses while she waits"
    expect(lobby).to_contain_text("Du venter på")

    waiting = nurse.get_by_test_id("participant-item").filter(has_text="Karen Jensen")
    expect(waiting).to_have_attribute("data-waiting", "true", timeout=15_000)
    waiting.get_by_test_id("admit-button").click()

    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )
    expect(waiting.get_by_test_id("admit-button")).to_have_count(0)
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    nurse.context.close()
    citizen.context.close()


def test_guest_muted_on_joining_sees_that_she_is_muted(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    # A VDX room whose guests start muted (muteAllGuests), joined by address and PIN.
    room = create_vdx_room(stack, 47382910, 58291037, muteAllGuests=True, guestMicrophone="muted")
    info = httpx.get(
        f"{stack.emulator_url}/videoapi/v2/scheduling-info/{room['uuid']}",
        headers=vdx_headers(stack.emulator_url),
    )
    info.raise_for_status()
    alias = quote(str(info.json()["uriWithDomain"]))

    def by_address(browser: Browser, name: str, pin: str) -> Page:
        page = browser.new_context(**PHONE).new_page()
        page.goto(f"{stack.bff_url}/{DEMO_PARTY}/m/{alias}")
        page.get_by_test_id("display-name-input").fill(name)
        page.get_by_test_id("join-button").click()
        page.get_by_test_id("pin-input").fill(pin)
        page.get_by_test_id("pin-submit").click()
        return page

    host = by_address(nurse_browser, "Sygeplejerske Hanne", "47382910")
    expect(host.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    guest = by_address(citizen_browser, "Karen Jensen", "58291037")
    expect(guest.get_by_test_id("in-call")).to_have_attribute("data-role", "guest", timeout=20_000)

    mic = guest.get_by_test_id("toggle-mic")
    expect(mic).to_have_attribute("aria-pressed", "true")
    expect(guest.get_by_test_id("muted-notice")).to_have_text("Du er sat på lydløs af mødets vært")
    # The host's own microphone is on.
    expect(host.get_by_test_id("toggle-mic")).to_have_attribute("aria-pressed", "false")
    host.context.close()
    guest.context.close()
