"""The first-party plugins end to end in Chromium, through the webapp's plugin host: the nurse
invites a relative by SMS from the call (the SMS lands in the outbox and its link brings the
relative into the call), and dials the party's interpreter in and hangs up again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_ADMIN_KEY, DEMO_PARTY, Stack
from e2e.helpers import book_meeting, launch_token, launch_url, link_from_sms, outbox
from e2e.test_citizen_call import PHONE

ADMIN = {"X-Admin-Key": DEMO_ADMIN_KEY}
RELATIVE_PHONE = "+4541424344"
INTERPRETER = "tolk@tolkeservice.vdx.localhost"


@pytest.fixture
def plugins_on(stack: Stack) -> Iterator[None]:
    """Both first-party plugins on for hosts; the set is put back empty afterwards."""
    url = f"{stack.bff_url}/api/v1/parties/{DEMO_PARTY}/plugins"

    def put(plugins: list[dict[str, Any]]) -> None:
        version = httpx.get(url, headers=ADMIN).json()["version"]
        answer = httpx.put(
            url, json={"plugins": plugins}, headers={**ADMIN, "If-Match": f'"{version}"'}
        )
        assert answer.status_code == 200, answer.text

    put(
        [
            {"id": "sms-invite"},
            {"id": "interpreter", "settings": {"destination": INTERPRETER, "displayName": "Tolk"}},
        ]
    )
    yield
    put([])


def nurse_in_call(browser: Browser, stack: Stack, meeting_id: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(launch_url(stack, launch_token(meeting_id)))
    expect(page.get_by_test_id("self-view")).to_be_visible()
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    return page


def toolbar_button(page: Page, plugin_id: str):  # type: ignore[no-untyped-def]
    button = page.locator(f'[data-testid="plugin-toolbar-button"][data-plugin-id="{plugin_id}"]')
    expect(button).to_be_visible(timeout=20_000)
    return button


def room_participants(stack: Stack, alias: str) -> list[dict[str, Any]]:
    rooms = httpx.get(f"{stack.emulator_url}/emulator/rooms").json()
    return next((r["participants"] for r in rooms if r["alias"] == alias), [])


def test_sms_invite_from_the_call(
    stack: Stack, nurse_browser: Browser, citizen_browser: Browser, plugins_on: None
) -> None:
    meeting = book_meeting(stack)
    nurse = nurse_in_call(nurse_browser, stack, meeting.id)
    toolbar_button(nurse, "sms-invite").click()
    form = nurse.get_by_test_id("plugin-form")
    expect(form).to_be_visible()
    nurse.get_by_test_id("plugin-field-name").fill("Datter Jensen")
    nurse.get_by_test_id("plugin-field-phone").fill(RELATIVE_PHONE[3:])  # 8 digits: +45 added
    nurse.get_by_test_id("plugin-form-submit").click()
    expect(nurse.get_by_test_id("plugin-toast")).to_contain_text(
        "SMS med link sendt til Datter Jensen", timeout=15_000
    )

    deadline = time.monotonic() + 10
    while not (sms := outbox(stack, RELATIVE_PHONE)):
        assert time.monotonic() < deadline, "no SMS in the outbox"
        time.sleep(0.2)
    assert "Københavns Kommune har inviteret dig" in sms[-1]["message"]
    relative = citizen_browser.new_context(**PHONE).new_page()
    relative.goto(link_from_sms(sms[-1]["message"]))
    expect(relative.get_by_test_id("self-view")).to_be_visible()
    relative.get_by_test_id("join-button").click()
    expect(relative.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )
    expect(
        nurse.get_by_test_id("participant-list")
        .get_by_test_id("participant-item")
        .filter(has_text="Datter Jensen")
    ).to_be_visible(timeout=20_000)
    relative.context.close()
    nurse.context.close()


def test_interpreter_dialled_in_and_hung_up(
    stack: Stack, nurse_browser: Browser, plugins_on: None
) -> None:
    meeting = book_meeting(stack)
    nurse = nurse_in_call(nurse_browser, stack, meeting.id)
    alias = nurse.evaluate(
        "JSON.parse(document.getElementById('bv-config').textContent).grant.conferenceAlias"
    )
    button = toolbar_button(nurse, "interpreter")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(
        nurse.get_by_test_id("plugin-toast").filter(has_text="Tolken er med i mødet")
    ).to_be_visible(timeout=20_000)
    expect(button).to_have_attribute("aria-pressed", "true")
    interpreter = (
        nurse.get_by_test_id("participant-list")
        .get_by_test_id("participant-item")
        .filter(has_text="Tolk")
    )
    expect(interpreter).to_be_visible()
    dialled = [p for p in room_participants(stack, alias) if p["protocol"]]
    assert [(p["display_name"], p["protocol"]) for p in dialled] == [("Tolk", "sip")]

    button.click()  # hang up
    expect(interpreter).to_have_count(0, timeout=20_000)
    expect(button).to_have_attribute("aria-pressed", "false")
    assert not [p for p in room_participants(stack, alias) if p["protocol"]]
    nurse.context.close()
