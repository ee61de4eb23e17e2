"""A link opened before its opening counts down and enters the meeting by itself when it opens
(the room exists from VDX's vmrAvailableBefore, 15 minutes before the start here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Browser, expect

from devstack.stack import Stack
from e2e.a11y import assert_axe_clean
from e2e.helpers import book_meeting
from e2e.test_citizen_call import PHONE

ROOM_BEFORE = timedelta(minutes=15)  # the emulator's vmrAvailableBefore, the later opening


def test_the_too_early_page_counts_down_and_enters_by_itself(
    stack: Stack, citizen_browser: Browser
) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + ROOM_BEFORE + timedelta(seconds=25)
    meeting = book_meeting(stack, start=start, end=start + timedelta(hours=1))
    page = citizen_browser.new_context(**PHONE, bypass_csp=True).new_page()
    response = page.goto(meeting.guest_links[0])
    assert response is not None and response.status == 425
    countdown = page.get_by_test_id("error-countdown")
    expect(countdown).to_contain_text("Mødet åbner om 0:")
    expect(page.get_by_test_id("error-hint")).to_contain_text("Lad siden være åben")
    assert_axe_clean(page, "too early, counting down")
    page.get_by_test_id("language-switch").click()
    expect(page.get_by_test_id("error-countdown")).to_contain_text("The meeting opens in 0:")

    # When the link opens, the page loads it again: the citizen is on her way into the call.
    expect(page.get_by_test_id("join-button")).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("self-view")).to_be_visible()
    page.context.close()
