"""The nurse in a call on a phone (360×640, portrait): the toolbar's captions are whole, and
lock, participants, calling a device and chat are on the screen without scrolling a tall page
(on a phone the staff panel shows one of participants, devices and chat at a time)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from devstack.device_sim import SimDevice, new_code
from devstack.stack import Stack
from e2e.a11y import assert_axe_clean
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.test_hosted_room import press_join

PHONE = {"width": 360, "height": 640}


def box(page: Page, test_id: str) -> dict[str, Any]:
    found = page.get_by_test_id(test_id).first.bounding_box()
    assert found is not None, f"{test_id} is not shown"
    return dict(found)


def on_screen(page: Page, test_id: str) -> None:
    where = box(page, test_id)
    assert where["y"] >= 0 and where["y"] + where["height"] <= PHONE["height"], (test_id, where)
    assert where["x"] >= 0 and where["x"] + where["width"] <= PHONE["width"], (test_id, where)


def test_the_nurses_phone_shows_every_control_without_a_tall_page(
    stack: Stack, nurse_browser: Browser
) -> None:
    tablet = SimDevice(stack.bff_url)  # a tablet of the party's: the devices pane has one
    assert tablet.enrol(new_code(stack.bff_url, label="Stue 3")["code"]).status_code == 201
    meeting = book_meeting(stack, guests=[{"display_name": "Karen Jensen"}])
    context = nurse_browser.new_context(
        viewport=PHONE, bypass_csp=True, is_mobile=True, has_touch=True, locale="da-DK"
    )
    page = context.new_page()
    page.goto(launch_url(stack, launch_token(meeting.id)))
    press_join(page)
    expect(page.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    expect(page.get_by_test_id("toggle-lock")).to_be_visible(timeout=10_000)
    # Captions whole: no caption wider than its box, none cut by its button.
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.controls .btn__caption')].filter((c) => {
             const own = c.getBoundingClientRect(), btn = c.closest('.btn').getBoundingClientRect();
             return c.scrollWidth > c.clientWidth + 1 || own.left < btn.left - 1
               || own.right > btn.right + 1 || own.bottom > btn.bottom + 1;
           }).map((c) => c.textContent)"""
    )
    assert clipped == [], clipped
    controls = ("toggle-mic", "toggle-camera", "leave-button", "toggle-lock")
    panes = ("staff-show-participants", "staff-show-devices", "staff-show-chat")
    for test_id in controls + panes:
        on_screen(page, test_id)
    assert page.evaluate("window.scrollY") == 0
    # Each pane opens in view, its heading or field on the screen.
    page.get_by_test_id("staff-show-devices").click()
    on_screen(page, "device-search")
    page.get_by_test_id("staff-show-chat").click()
    on_screen(page, "chat-input")
    page.get_by_test_id("staff-show-participants").click()
    expect(page.locator("#participants-heading")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollHeight") <= PHONE["height"] + 1
    assert_axe_clean(page, "nurse on a phone")
    context.close()
