"""Every app's screens in English and under axe (issue 24, items 7 and 8), in real Chromium:
the staff portal, each admin page, the tablet kiosk, the citizen's and the nurse's call (the
lobby, both in the call, the chat with an unread badge, the host gone) and the BFF's own
pages. In each state every visible string and accessible name must come from an English
catalogue (e2e/language.py: a Danish string written into a screen fails), and axe-core must
find nothing at 320x568, 360x640, 640x360 and desktop. One stack with a real OpenID provider
for the module; the viewports are the same page resized."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from devstack.device_sim import new_code
from devstack.oidc import (
    OidcProvider,
    running_stack_with_login,
)
from devstack.stack import DEMO_API_KEY, DEMO_PARTY, ROOT, Stack
from e2e.a11y import axe_violations
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.language import assert_english, untranslated

VIEWPORTS = {
    "320x568": (320, 568),
    "360x640": (360, 640),
    "640x360": (640, 360),
    "desktop": (1280, 800),
}
PARTY = "Københavns Kommune"
NURSE = "Hanne Sygeplejerske"
CITIZEN = "Karen Jensen"
RELATIVE = "Anna Jensen"
SUBJECT = "Follow-up 4711"
# Data the screens show that no catalogue holds: people, the party, what the test typed.
DATA = [
    PARTY,
    NURSE,
    CITIZEN,
    SUBJECT,
    "Ida Administrator",
    "33 66 33 66",
    "33 17 30 00",
    "borgervideo-support@kk.example",
    "weekdays 8 am–4 pm",
    "weekdays 7.30 am–3.30 pm",
    "Borgervideo",
    "Tablet 17",
    "Tablet 18",
]


@pytest.fixture(scope="module")
def idp_stack() -> Iterator[tuple[Stack, OidcProvider]]:
    with running_stack_with_login("bv-every-screen-") as running:
        yield running


@pytest.fixture(scope="module")
def stack(idp_stack: tuple[Stack, OidcProvider]) -> Stack:
    return idp_stack[0]  # named `stack`: conftest prints its logs when a test fails


def english(browser: Browser, width: int = 1280, height: int = 800) -> BrowserContext:
    # bypass_csp: only so that the test can inject axe-core; the app's own code runs as ever.
    return browser.new_context(
        locale="en-GB",
        timezone_id="Europe/Copenhagen",
        bypass_csp=True,
        viewport={"width": width, "height": height},
    )


def check(page: Page, state: str, data: list[str] | None = None) -> None:
    """English only, and axe clean at every viewport (the page resized, then put back)."""
    assert_english(page, state, DATA + (data or []))
    size = page.viewport_size
    found = {}
    for name, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)  # one layout, and the app's resize handlers
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    if size:
        page.set_viewport_size(size)
    assert found == {}, f"{state}: {found}"


def sign_in(page: Page, account: str) -> None:
    page.get_by_test_id("idp-login").fill(account)
    page.get_by_test_id("idp-submit").click()


def test_the_check_finds_a_string_written_in_danish(stack: Stack, nurse_browser: Browser) -> None:
    """The checker itself: a Danish text node or label that no catalogue has is found."""
    page = english(nurse_browser).new_page()
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/staff")
    expect(page.get_by_test_id("staff-login")).to_have_text("Log in")
    assert untranslated(page, DATA) == []
    page.evaluate("""() => {
      const note = document.createElement('p');
      note.textContent = 'Luk vinduet';
      const button = document.createElement('button');
      button.setAttribute('aria-label', 'Skift kamera');
      document.querySelector('main').append(note, button);
    }""")
    assert untranslated(page, DATA) == ["Luk vinduet", "Skift kamera"]


def test_staff_portal_and_admin_pages(stack: Stack, nurse_browser: Browser) -> None:
    base = f"{stack.bff_url}/{DEMO_PARTY}"
    page = english(nurse_browser).new_page()
    page.goto(f"{base}/staff")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Video meetings – {PARTY}")
    check(page, "staff portal, logged out")

    page.get_by_test_id("staff-login").click()
    sign_in(page, "hanne")
    expect(page.get_by_test_id("staff-user")).to_contain_text(NURSE)
    page.get_by_test_id("staff-subject").fill(SUBJECT)
    page.get_by_test_id("staff-citizen-name").fill(CITIZEN)
    page.get_by_test_id("staff-sms-language").select_option("en")
    page.get_by_test_id("staff-citizen-phone").fill("22 33 44 66")
    page.get_by_test_id("staff-book-submit").click()
    expect(page.get_by_test_id("staff-done")).to_contain_text("is booked")
    expect(page.get_by_test_id("staff-meeting")).to_have_count(1)
    sms = httpx.get(f"{stack.emulator_url}/outbox", params={"to": "+4522334466"}).json()
    assert "has invited you to a video meeting" in sms[-1]["message"]  # her SMS in English
    check(page, "staff portal, her day", ["nord", "Hanne"])
    page.get_by_test_id("staff-cancel").click()
    expect(page.get_by_test_id("staff-cancel-confirm")).to_be_focused()
    check(page, "staff portal, asked to confirm cancelling", ["nord", "Hanne"])
    page.get_by_test_id("staff-cancel-keep").click()
    page.context.close()

    admin = english(nurse_browser).new_page()
    admin.goto(f"{base}/admin/stats")
    expect(admin.get_by_test_id("admin-no-login")).to_be_visible()
    check(admin, "admin page, not logged in")
    admin.get_by_test_id("admin-login-link").click()
    sign_in(admin, "ida")
    expect(admin.get_by_test_id("admin-login")).to_contain_text("Ida Administrator")
    admin.get_by_test_id("stats-submit").click()
    expect(admin.get_by_test_id("stats-result")).to_be_visible()
    scroll = admin.get_by_test_id("stats-scroll")
    expect(scroll).to_have_attribute("tabindex", "0")  # the table's scroll region takes focus
    scroll.focus()
    expect(scroll).to_be_focused()
    check(admin, "statistics")

    admin.get_by_test_id("admin-nav").get_by_role("link", name="Plugins").click()
    expect(admin.get_by_test_id("plugin-admin-list")).to_be_visible()
    check(admin, "plugins", _plugin_texts())

    admin.get_by_test_id("admin-nav").get_by_role("link", name="Branding").click()
    expect(admin.get_by_test_id("branding-history")).to_be_visible()
    check(admin, "branding")

    admin.get_by_test_id("admin-nav").get_by_role("link", name="Devices").click()
    admin.get_by_test_id("device-label-input").fill("Tablet 17")
    admin.get_by_test_id("make-code").click()
    code = admin.get_by_test_id("enrolment-code")
    expect(code).to_be_visible()
    check(admin, "devices, a code made", ["Tablet 17", code.inner_text(), _device_url(stack)])

    admin.get_by_test_id("admin-nav").get_by_role("link", name="Phone book").click()
    admin.get_by_test_id("phonebook-system-name").fill("Doctor app")
    admin.get_by_test_id("phonebook-register").click()
    key = admin.get_by_test_id("phonebook-new-key")
    expect(key).to_be_visible()
    check(admin, "phone book, a key shown", ["Doctor app", key.input_value()])
    admin.context.close()


def _plugin_texts() -> list[str]:
    """A plugin's title, description and settings are its supplier's words (plugin.json, in
    the supplier's language), not ours."""
    texts: list[str] = []
    for manifest in (ROOT / "plugins").glob("*/plugin.json"):
        plugin = json.loads(manifest.read_text())
        texts += [plugin["id"], plugin["title"], plugin.get("description", "")]
        for field in plugin.get("settingsSchema", {}).get("properties", {}).values():
            texts += [field.get("title", ""), field.get("description", "")]
            texts += [str(v) for v in [*field.get("enum", []), field.get("default", "")]]
    return [text for text in texts if text]


def _device_url(stack: Stack) -> str:
    return f"{stack.bff_url}/{DEMO_PARTY}/device"


def test_tablet(stack: Stack, citizen_browser: Browser) -> None:
    page = english(citizen_browser, 1024, 768).new_page()
    page.goto(_device_url(stack))
    expect(page.get_by_test_id("device-enrol")).to_be_visible()
    check(page, "tablet, enrolling")
    code = new_code(stack.bff_url, label="Tablet 18")["code"]
    page.get_by_test_id("enrol-code-input").fill(code)
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("device-state")).to_have_text("Waiting for calls", timeout=15_000)
    date = page.locator(".kiosk__date").inner_text()
    assert re.fullmatch(r"[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+", date), date
    devices = httpx.get(f"{stack.bff_url}/api/v1/devices", headers={"X-API-Key": DEMO_API_KEY})
    device = next(d for d in devices.json() if d["label"] == "Tablet 18")
    question = {"text": "Did you take your medicine?", "reply_options": ["Yes", "No"]}
    sent = httpx.post(
        f"{stack.bff_url}/api/v1/devices/{device['id']}/messages",
        json={"body": question},
        headers={"X-API-Key": DEMO_API_KEY},
    )
    assert sent.status_code == 202, sent.text
    expect(page.get_by_test_id("device-message")).to_be_visible()
    check(
        page,
        "tablet, waiting with a message",
        ["Tablet 18", *question["reply_options"], question["text"]],
    )


def test_the_call_for_citizen_and_nurse(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    guests = [{"display_name": CITIZEN}, {"display_name": RELATIVE}]
    meeting = book_meeting(stack, subject=SUBJECT, host_name=NURSE, guests=guests)
    citizen = english(citizen_browser, 360, 640).new_page()
    citizen.goto(meeting.guest_links[0])
    expect(citizen.get_by_test_id("join-button")).to_be_enabled(timeout=15_000)
    check(citizen, "preflight")
    citizen.get_by_test_id("join-button").click()
    expect(citizen.get_by_test_id("lobby")).to_be_visible(timeout=20_000)
    check(citizen, "lobby")

    nurse = english(nurse_browser).new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id, name=NURSE)))
    nurse.get_by_test_id("join-button").click()
    expect(nurse.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    expect(citizen.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    expect(nurse.get_by_test_id("remote-name")).to_have_text(CITIZEN, timeout=15_000)
    check(citizen, "in the call as a guest")
    check(nurse, "in the call as host")

    nurse.get_by_test_id("chat-input").fill("Can you hear me?")
    nurse.get_by_test_id("chat-send").click()
    expect(citizen.get_by_test_id("chat-unread")).to_have_text("1", timeout=10_000)
    check(citizen, "a chat message unread", ["Can you hear me?"])
    chat_button = citizen.get_by_test_id("chat-button")
    chat_button.click()
    expect(citizen.get_by_test_id("chat-panel")).to_be_visible()
    check(citizen, "chat open", ["Can you hear me?"])
    citizen.keyboard.press("Escape")  # Esc closes the chat, and focus goes back to its button
    expect(citizen.get_by_test_id("chat-panel")).to_have_count(0)
    expect(chat_button).to_be_focused()
    check(nurse, "host with the chat", ["Can you hear me?"])

    # Locked: a second guest waits in the lobby, and the nurse is asked to let her in ("Let in"
    # begins the button's name: label-in-name).
    nurse.get_by_test_id("toggle-lock").click()
    expect(nurse.get_by_test_id("toggle-lock")).to_have_attribute("aria-pressed", "true")
    relative = english(citizen_browser, 320, 568).new_page()
    relative.goto(meeting.guest_links[1])
    relative.get_by_test_id("join-button").click()
    expect(relative.get_by_test_id("lobby")).to_be_visible(timeout=20_000)
    admit = nurse.get_by_test_id("admit-button")
    expect(admit).to_have_accessible_name(f"Let in: {RELATIVE}", timeout=15_000)
    check(nurse, "a guest waiting to be let in", ["Can you hear me?", RELATIVE])
    check(relative, "a guest held in a locked meeting")
    relative.context.close()

    nurse.get_by_test_id("leave-button").click()
    expect(citizen.get_by_test_id("host-left")).to_be_visible(timeout=15_000)
    check(citizen, "the host has left")
    citizen.context.close()
    nurse.context.close()


def test_the_bffs_own_pages(stack: Stack, citizen_browser: Browser) -> None:
    page = english(citizen_browser, 360, 640).new_page()
    page.goto(f"{stack.bff_url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page, "no party")
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/j/not-a-link-at-all-0123456789abcdef")
    check(page, "an unknown link")
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/branding/nothing-here.png")
    check(page, "a missing file")
