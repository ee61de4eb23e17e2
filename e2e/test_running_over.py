"""Running over: a call in progress is never cut by its booked end.

The emulated VDX removes every room whose endTime has passed (its deprovisioning job, here
every 2 s), so the call below lives on only because the BFF moves the meeting's end while
both are in it (in steps of 30 s, 20 s before the end; in production 15 min, 5 min before).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import Stack, running_stack
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import book_meeting, outbox, vdx_meeting
from e2e.test_citizen_call import CITIZEN_PHONE, PHONE, wait_for_colour
from e2e.test_hosted_room import nurse_joins, press_join

BOOKED_LENGTH = timedelta(seconds=45)
RUN_OVER = timedelta(seconds=50)  # the end moved twice after the booked end (b+60, b+90)


EMULATOR_ENV = {"EMU_VDX_DEPROVISION_INTERVAL": "2"}
BFF_ENV = {"BV_OVERRUN_STEP": "30", "BV_OVERRUN_LEAD": "20"}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(extra_emulator_env=EMULATOR_ENV, extra_bff_env=BFF_ENV) as running:
        yield running


def citizen_joins(browser: Browser, link: str) -> Page:
    page = browser.new_context(**PHONE).new_page()
    page.goto(link)
    press_join(page)
    expect(page.get_by_test_id("in-call")).to_have_attribute("data-role", "guest", timeout=20_000)
    return page


def still_in_call(*pages: Page) -> None:
    for page in pages:
        expect(page.get_by_test_id("call-ended")).to_have_count(0)
        expect(page.get_by_test_id("connection-error")).to_have_count(0)
        expect(page.get_by_test_id("pin-input")).to_have_count(0)
        expect(page.get_by_test_id("in-call")).to_be_visible()


def vdx_end(stack: Stack, vdx_uuid: str) -> datetime:
    end = vdx_meeting(stack, vdx_uuid)["meetingDetails"]["endTime"]
    return datetime.fromisoformat(end.replace("Z", "+00:00"))


def test_a_call_runs_well_past_its_booked_end(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    booked_end = datetime.now(UTC).replace(microsecond=0) + BOOKED_LENGTH
    guest = {"display_name": "Karen Jensen", "phone": CITIZEN_PHONE}
    meeting = book_meeting(stack, end=booked_end, guests=[guest])
    vdx_uuid = outbox(stack, CITIZEN_PHONE)[-1]["meeting_uuid"]
    citizen = citizen_browser.new_context(**PHONE).new_page()
    citizen.goto(meeting.guest_links[0])
    press_join(citizen)
    nurse = nurse_joins(nurse_browser, stack, meeting.id)
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)

    # Near the booked end the nurse hears that the meeting now lasts longer.
    clock = nurse.get_by_test_id("meeting-clock")
    expect(clock).to_have_attribute("data-kind", "extended", timeout=60_000)
    expect(clock).to_contain_text("Mødet er forlænget til kl.")
    expect(citizen.get_by_test_id("meeting-clock")).to_have_count(0)  # the nurse's business

    # Past the booked end: both stay. Midway the citizen's phone drops out of the call; her
    # link takes her back in (never a PIN).
    dropped = False
    while datetime.now(UTC) < booked_end + RUN_OVER:
        still_in_call(citizen, nurse)
        if not dropped and datetime.now(UTC) > booked_end + RUN_OVER / 2:
            citizen.context.close()
            citizen = citizen_joins(citizen_browser, meeting.guest_links[0])
            dropped = True
        time.sleep(5)
    assert dropped
    still_in_call(citizen, nurse)
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    assert vdx_end(stack, vdx_uuid) > booked_end + RUN_OVER, "VDX's end moved with the call"
    nurse.context.close()
    citizen.context.close()
