"""VDX provisions a meeting's room in a job of its own, after the booking: a meeting booked
for now has no room for a while. Citizen and nurse who come at once are told the meeting is
being prepared, and are let in by themselves when the room is there (no tap to retry)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from devstack.stack import Stack, running_stack
from e2e.a11y import assert_axe_clean, assert_translated
from e2e.helpers import book_meeting, launch_token, launch_url, link_from_sms, outbox, vdx_meeting
from e2e.test_citizen_call import PHONE, press_join

CITIZEN_PHONE = "+4520304099"
# Long enough that both arrive while the room is still being made, even on a loaded machine.
LAG = "15"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(extra_emulator_env={"EMU_VDX_PROVISION_DELAY": LAG}) as running:
        yield running


def test_booked_for_now_both_join_by_themselves_once_vdx_has_made_the_room(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    meeting = book_meeting(stack, guests=[{"display_name": "Karen Jensen", "phone": CITIZEN_PHONE}])
    sms = outbox(stack, CITIZEN_PHONE)[-1]
    assert vdx_meeting(stack, sms["meeting_uuid"])["provisionStatus"] == "AWAITS_PROVISION"

    citizen = citizen_browser.new_context(**PHONE, bypass_csp=True).new_page()
    citizen.goto(link_from_sms(sms["message"]))
    press_join(citizen)
    expect(citizen.get_by_test_id("preparing")).to_contain_text(
        "Mødet er ved at blive gjort klar…", timeout=10_000
    )
    assert_axe_clean(citizen, "the meeting is being prepared (phone)")

    # The nurse reads English: the staff view says the same.
    nurse = nurse_browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="en-GB", bypass_csp=True
    ).new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    press_join(nurse)
    expect(nurse.get_by_test_id("preparing")).to_contain_text(
        "The meeting is being prepared…", timeout=10_000
    )
    assert_axe_clean(nurse, "the meeting is being prepared (staff, English)")
    assert_translated(nurse)
    assert vdx_meeting(stack, sms["meeting_uuid"])["provisionStatus"] == "AWAITS_PROVISION"

    # Nobody taps again: both are let in once the provisioning job has run.
    expect(nurse.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=40_000)
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=30_000
    )
    assert vdx_meeting(stack, sms["meeting_uuid"])["provisionStatus"] == "PROVISIONED_OK"
