"""The nurse is in charge: she mutes and unmutes the citizen's microphone, stops her camera,
removes her (after confirming) and ends the meeting for everyone, by keyboard, on Pexip's
Client REST API participant and conference operations; the citizen is told each in words."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, Page, expect

from devstack.stack import Stack
from e2e.a11y import assert_axe_clean
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.test_citizen_call import PHONE, wait_for_colour
from e2e.test_hosted_room import press_join


def joined_nurse(browser: Browser, stack: Stack, meeting_id: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True).new_page()
    page.goto(launch_url(stack, launch_token(meeting_id)))
    press_join(page)
    expect(page.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    return page


def citizen_joining(browser: Browser, link: str) -> Page:
    """She presses "Deltag" and waits in the lobby until the nurse is there."""
    page = browser.new_context(**PHONE).new_page()
    page.goto(link)
    press_join(page)
    return page


def press(page: Page, test_id: str, within: object | None = None) -> None:
    """By keyboard: focus the control, then Enter."""
    scope = within if within is not None else page
    button = scope.get_by_test_id(test_id)  # type: ignore[attr-defined]
    button.focus()
    page.keyboard.press("Enter")


def focused_test_id(page: Page) -> str | None:
    return page.evaluate("() => document.activeElement?.getAttribute('data-testid') ?? null")


def test_the_nurse_mutes_stops_the_camera_of_removes_and_ends_the_meeting(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    meeting = book_meeting(stack)
    citizen = citizen_joining(citizen_browser, meeting.guest_links[0])
    nurse = joined_nurse(nurse_browser, stack, meeting.id)
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    karen = nurse.get_by_test_id("participant-item").filter(has_text="Karen Jensen")
    mute = karen.get_by_test_id("participant-mute")
    expect(mute).to_have_text("Slå lyd fra")
    expect(mute).to_have_accessible_name("Slå lyd fra for Karen Jensen")
    hanne = nurse.get_by_test_id("participant-item").filter(has_text="Sygeplejerske")
    expect(hanne.get_by_test_id("participant-remove")).to_have_count(0)  # not herself

    press(nurse, "participant-mute", karen)
    expect(citizen.get_by_test_id("muted-notice")).to_have_text(
        "Du er sat på lydløs af mødets vært"
    )
    expect(citizen.get_by_test_id("toggle-mic")).to_have_attribute("aria-pressed", "true")
    expect(mute).to_have_text("Slå lyd til")
    said = nurse.get_by_test_id("participant-announcement")  # a screen reader hears it
    expect(said).to_have_text("Karen Jensen er sat på lydløs.")

    press(nurse, "participant-mute", karen)
    expect(citizen.get_by_test_id("muted-notice")).to_have_text(
        "Mødets vært har slået din lyd til igen."
    )
    expect(citizen.get_by_test_id("toggle-mic")).to_have_attribute("aria-pressed", "false")
    expect(said).to_have_text("Karen Jensen kan høres igen.")

    press(nurse, "participant-stop-camera", karen)
    expect(citizen.get_by_test_id("camera-notice")).to_have_text(
        "Mødets vært har slukket dit kamera. Du kan selv tænde det igen."
    )
    expect(citizen.get_by_test_id("toggle-camera")).to_have_attribute("aria-pressed", "true")
    expect(karen).to_contain_text("kamera fra")
    expect(karen.get_by_test_id("participant-stop-camera")).to_have_count(0)
    expect(said).to_have_text("Kameraet er slukket for Karen Jensen.")

    # Removing asks first; Escape keeps her and gives the focus back.
    press(nurse, "participant-remove", karen)
    dialog = nurse.get_by_test_id("confirm-remove")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Fjern Karen Jensen fra mødet?")
    assert_axe_clean(nurse, "the nurse asked to confirm removing a guest")
    nurse.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert focused_test_id(nurse) == "participant-remove"
    expect(citizen.get_by_test_id("in-call")).to_be_visible()

    press(nurse, "participant-remove", karen)
    press(nurse, "confirm-remove-confirm")
    ended = citizen.get_by_test_id("call-ended")
    expect(ended).to_have_attribute("data-reason", "removed", timeout=15_000)
    expect(ended).to_contain_text("Mødets vært har taget dig ud af mødet.")
    expect(karen).to_have_count(0)
    expect(said).to_have_text("Karen Jensen er taget ud af mødet.")

    # She comes back with her link, and then the nurse ends the meeting for everyone.
    citizen.get_by_test_id("rejoin-button").click()
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )
    press(nurse, "end-for-all")
    expect(nurse.get_by_test_id("confirm-end")).to_contain_text("Afslut mødet for alle?")
    # Everyone is put out by the node first; then the nurse's page has the BFF end the meeting
    # at VDX, after which no link opens it again.
    with nurse.expect_response("**/api/session/end-meeting") as ended_at_vdx:
        press(nurse, "confirm-end-confirm")
    assert ended_at_vdx.value.status == 204
    expect(nurse.get_by_test_id("call-ended")).to_have_attribute("data-reason", "ended-for-all")
    ended = citizen.get_by_test_id("call-ended")
    expect(ended).to_have_attribute("data-reason", "host-ended", timeout=15_000)
    expect(ended).to_contain_text("Mødets vært har afsluttet mødet.")
    expect(ended.get_by_test_id("rejoin-button")).to_have_count(0)
    assert httpx.get(meeting.guest_links[0], follow_redirects=False).status_code == 410
    nurse.context.close()
    citizen.context.close()
