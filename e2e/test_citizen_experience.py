"""Issue 7 in real Chromium: whom she waits for and talks to, chat both ways with an unread
badge, the host leaving, leaving herself, keyboard-only joining, focus, languages, every
screen at phone sizes (screenshots), device choice and a permission retry on the preflight,
branded error pages, the cancellation SMS and the demo case system's errors; axe-core on
every page and state."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect

from devstack.stack import ROOT, Stack, chromium_args, chromium_path
from e2e.a11y import assert_axe_clean, assert_translated
from e2e.helpers import book_meeting, cancel_meeting, launch_token, launch_url, outbox

SCREENSHOTS = ROOT / "test-results" / "screens"
SIZES = {
    "320x568": (320, 568),
    "360x640": (360, 640),
    "640x360": (640, 360),
    "desktop": (1280, 800),
}
HOST = "Sygeplejerske Hanne"


def _phone(
    browser: Browser, width: int = 360, height: int = 640, **extra: object
) -> BrowserContext:
    return browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=width < 900,
        has_touch=width < 900,
        bypass_csp=True,  # axe is injected
        **extra,  # type: ignore[arg-type]
    )


def _nurse(browser: Browser, stack: Stack, meeting_id: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True).new_page()
    page.goto(launch_url(stack, launch_token(meeting_id, name=HOST)))
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    return page


def _in_view(page: Page, test_id: str) -> None:
    box = page.get_by_test_id(test_id).first.bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, test_id
    assert box["x"] >= 0 and box["y"] >= 0, (test_id, box)
    assert box["x"] + box["width"] <= size["width"] + 1, (test_id, box, size)
    assert box["y"] + box["height"] <= size["height"] + 1, (test_id, box, size)


def _apart(page: Page, a: str, b: str) -> None:
    """Two elements do not overlap (the controls never lie over the video)."""
    first, second = (
        page.get_by_test_id(a).first.bounding_box(),
        page.get_by_test_id(b).first.bounding_box(),
    )
    assert first and second
    overlap_x = min(first["x"] + first["width"], second["x"] + second["width"]) - max(
        first["x"], second["x"]
    )
    overlap_y = min(first["y"] + first["height"], second["y"] + second["height"]) - max(
        first["y"], second["y"]
    )
    assert overlap_x <= 1 or overlap_y <= 1, (a, first, b, second)


def _shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _join_by_keyboard(page: Page) -> None:
    """Tab to "Deltag" and press Enter: no mouse."""
    expect(page.get_by_test_id("join-button")).to_be_enabled(timeout=15_000)
    for _ in range(25):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.dataset?.testid === 'join-button'"):
            break
    else:
        raise AssertionError("Tab never reached the join button")
    page.keyboard.press("Enter")


def test_the_citizen_knows_whom_she_meets_chats_and_hears_when_the_nurse_leaves(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    meeting = book_meeting(stack, guests=[{"display_name": "Karen Jensen"}], host_name=HOST)
    citizen = _phone(citizen_browser).new_page()
    citizen.goto(meeting.guest_links[0])
    expect(citizen.get_by_test_id("self-view")).to_be_visible()
    expect(citizen.get_by_test_id("party-contact")).to_contain_text("33 66 33 66")
    assert_axe_clean(citizen, "preflight")
    _join_by_keyboard(citizen)

    lobby = citizen.get_by_test_id("lobby")
    expect(lobby).to_be_visible(timeout=20_000)
    expect(citizen.get_by_role("heading", name=f"Du venter på {HOST}")).to_be_visible()
    expect(citizen.get_by_test_id("lobby-meeting")).to_contain_text("Opfølgning på hjemmepleje")
    expect(citizen.get_by_test_id("lobby-meeting")).to_contain_text(re.compile(r"kl\. \d\d\.\d\d"))
    assert_axe_clean(citizen, "lobby")

    nurse = _nurse(nurse_browser, stack, meeting.id)
    expect(citizen.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    # Focus lands on the call, so a screen reader says where she is.
    expect(citizen.get_by_test_id("in-call")).to_be_focused()
    expect(citizen.get_by_test_id("remote-name")).to_have_text(HOST, timeout=15_000)
    expect(nurse.get_by_test_id("remote-name")).to_have_text("Karen Jensen", timeout=15_000)
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "aria-label", f"Videomøde med {HOST}"
    )
    assert_axe_clean(citizen, "in call (citizen)")
    assert_axe_clean(nurse, "in call (nurse)")

    # Chat both ways, on the phone, with an unread badge.
    nurse.get_by_test_id("chat-input").fill("Hej Karen, kan du høre mig?")
    nurse.get_by_test_id("chat-send").click()
    expect(citizen.get_by_test_id("chat-unread")).to_have_text("1", timeout=10_000)
    expect(citizen.get_by_test_id("chat-button")).to_have_accessible_name("Chat, 1 ulæst besked")
    citizen.get_by_test_id("chat-button").click()
    expect(citizen.get_by_test_id("chat-message")).to_contain_text("Hej Karen, kan du høre mig?")
    expect(citizen.get_by_test_id("chat-unread")).to_have_count(0)
    assert_axe_clean(citizen, "chat open")
    citizen.get_by_test_id("chat-input").fill("Ja, tydeligt")
    citizen.get_by_test_id("chat-send").click()
    expect(nurse.get_by_test_id("chat-message").filter(has_text="Ja, tydeligt")).to_be_visible(
        timeout=10_000
    )
    citizen.get_by_test_id("chat-close").click()

    # Camera off: her name and an avatar, never a black box.
    nurse.get_by_test_id("toggle-camera").click()
    expect(citizen.get_by_test_id("remote-avatar")).to_contain_text(HOST, timeout=10_000)
    assert_axe_clean(citizen, "nurse camera off")
    nurse.get_by_test_id("toggle-camera").click()
    expect(citizen.get_by_test_id("remote-avatar")).to_have_count(0, timeout=10_000)

    # The nurse leaves: the citizen is told, and may wait or leave.
    nurse.get_by_test_id("leave-button").click()
    notice = citizen.get_by_test_id("host-left")
    expect(notice).to_contain_text(f"{HOST} har forladt mødet", timeout=15_000)
    waiting = citizen.locator(".call__waiting")
    expect(waiting).to_have_text("")  # the notice says it: no text under it to overlap
    assert_axe_clean(citizen, "host left")
    citizen.get_by_test_id("host-left-leave").click()
    ended = citizen.get_by_test_id("call-ended")
    expect(ended).to_have_attribute("data-reason", "left")
    expect(citizen.get_by_role("heading", name="Du har forladt mødet")).to_be_visible()
    assert_axe_clean(citizen, "left")
    assert_translated(citizen)
    citizen.context.close()
    nurse.context.close()


def _danish_only_messages() -> list[str]:
    """Danish messages whose English differs, long enough not to match by chance."""

    def flat(tree: dict, prefix: str = "") -> dict[str, str]:  # type: ignore[type-arg]
        out: dict[str, str] = {}
        for key, value in tree.items():
            path = f"{prefix}.{key}" if prefix else key
            out.update(flat(value, path) if isinstance(value, dict) else {path: value})
        return out

    locales = ROOT / "webapp" / "src" / "locales"
    da = flat(json.loads((locales / "da.json").read_text()))
    en = flat(json.loads((locales / "en.json").read_text()))
    return [
        text
        for key, text in da.items()
        if en.get(key) != text and "{{" not in text and len(text) >= 8
    ]


def test_english_from_the_browser_switchable_everywhere(
    stack: Stack, citizen_browser: Browser
) -> None:
    meeting = book_meeting(stack, host_name=HOST)
    context = _phone(citizen_browser, locale="en-GB")
    page = context.new_page()
    page.goto(meeting.guest_links[0])
    expect(page.get_by_test_id("join-button")).to_have_text("Join")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    body = page.locator("body").inner_text()
    danish = [text for text in _danish_only_messages() if text in body]
    assert danish == [], danish
    assert_axe_clean(page, "preflight in English")
    page.get_by_test_id("language-switch").click()
    expect(page.get_by_test_id("join-button")).to_have_text("Deltag")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    page.reload()
    expect(page.get_by_test_id("join-button")).to_have_text("Deltag")  # the choice is kept
    page.get_by_test_id("language-switch").click()
    expect(page.get_by_test_id("join-button")).to_have_text("Join")
    page.get_by_test_id("join-button").click()
    expect(page.get_by_role("heading", name=f"You are waiting for {HOST}")).to_be_visible(
        timeout=20_000
    )
    assert_translated(page)
    context.close()


def test_every_screen_fits_phones_portrait_and_landscape(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    meeting = book_meeting(stack, guests=[{"display_name": "Karen Jensen"}], host_name=HOST)
    for name, (width, height) in SIZES.items():
        context = _phone(citizen_browser, width, height)
        page = context.new_page()
        page.goto(meeting.guest_links[0])
        expect(page.get_by_test_id("join-button")).to_be_enabled(timeout=15_000)
        _in_view(page, "join-button")  # "Deltag" without scrolling
        _in_view(page, "self-view")
        _shoot(page, f"preflight-{name}")
        assert_axe_clean(page, f"preflight {name}")
        context.close()
    nurse = _nurse(nurse_browser, stack, meeting.id)
    context = _phone(citizen_browser, 360, 640)
    page = context.new_page()
    page.goto(meeting.guest_links[0])
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("remote-name")).to_have_text(HOST, timeout=20_000)
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        time.sleep(0.3)
        _in_view(page, "remote-video")
        _in_view(page, "leave-button")
        _in_view(page, "toggle-mic")
        _apart(page, "remote-video", "leave-button")
        _apart(page, "remote-video", "toggle-mic")
        _apart(page, "self-view", "leave-button")
        _shoot(page, f"call-{name}")
    assert_axe_clean(page, "call after resizing")
    context.close()
    nurse.context.close()


def test_preflight_device_choice_sound_test_and_permission_retry(
    stack: Stack, playwright: Playwright, citizen_browser: Browser
) -> None:
    meeting = book_meeting(stack)
    page = _phone(citizen_browser).new_page()
    page.goto(meeting.guest_links[0])
    expect(page.get_by_test_id("join-button")).to_be_enabled(timeout=15_000)
    page.get_by_test_id("device-settings").locator("summary").click()
    microphones = page.get_by_test_id("microphone-select").locator("option")
    assert microphones.count() >= 2
    choice = microphones.nth(1).get_attribute("value")
    page.get_by_test_id("microphone-select").select_option(choice)
    page.wait_for_function(
        """(id) => {
          const video = document.querySelector('[data-testid=self-view]');
          const track = video?.srcObject?.getAudioTracks()[0];
          return track?.getSettings().deviceId === id;
        }""",
        arg=choice,
        timeout=10_000,
    )
    expect(page.get_by_test_id("speaker-select")).to_be_visible()
    page.get_by_test_id("speaker-test").click()
    expect(page.get_by_test_id("speaker-test")).to_be_enabled(timeout=5_000)
    assert_axe_clean(page, "device settings")
    page.context.close()

    # Denied, then allowed in the browser's settings and "Prøv igen": a real Chromium prompt.
    args = [a for a in chromium_args() if a != "--use-fake-ui-for-media-stream"]
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=args, headless=True)
    try:
        context = browser.new_context(viewport={"width": 360, "height": 640}, bypass_csp=True)
        page = context.new_page()
        page.goto(meeting.guest_links[0])
        notice = page.get_by_test_id("media-notice")
        expect(notice).to_have_attribute("data-reason", "denied", timeout=15_000)
        expect(page.get_by_test_id("media-help")).not_to_have_attribute("open", "")
        _in_view(page, "join-button")  # the notice is short: "Deltag" stays in view
        _shoot(page, "preflight-denied-360x640")
        assert_axe_clean(page, "permission denied")
        context.grant_permissions(["camera", "microphone"], origin=stack.bff_url)
        page.get_by_test_id("media-retry").click()
        expect(notice).to_have_count(0, timeout=15_000)
        expect(page.get_by_test_id("mic-level")).to_be_visible()
        context.close()
    finally:
        browser.close()


def test_error_pages_are_branded_useful_and_bilingual(
    stack: Stack, citizen_browser: Browser
) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=3)
    early = book_meeting(stack, start=start, end=start + timedelta(hours=1))
    page = _phone(citizen_browser, 320, 568).new_page()
    response = page.goto(early.guest_links[0])
    assert response is not None and response.status == 425
    expect(page.get_by_role("img", name="Københavns Kommune")).to_be_visible()
    expect(page.get_by_test_id("error-meeting")).to_contain_text("Mødet starter")
    expect(page.get_by_test_id("error-contact")).to_contain_text("33 66 33 66")
    _shoot(page, "error-too-early-320x568")
    assert_axe_clean(page, "too early page")
    page.get_by_test_id("language-switch").click()
    expect(page.get_by_test_id("error-title")).to_contain_text("The meeting opens at")
    expect(page.get_by_test_id("error-contact")).to_contain_text("weekdays")
    assert_axe_clean(page, "too early page in English")
    page.get_by_test_id("language-switch").click()  # back to Danish for the rest
    for url, status in ((f"{stack.bff_url}/kobenhavn/j/{'A' * 32}", 404),):
        response = page.goto(url)
        assert response is not None and response.status == status
        expect(page.get_by_test_id("error-contact")).to_be_visible()
        assert_axe_clean(page, f"error {status}")

    # Cancelled: the citizen gets an SMS, and the link says so with the meeting's time.
    phone = "+452" + str(time.time_ns())[-7:]
    cancelled = book_meeting(stack, guests=[{"display_name": "Karen Jensen", "phone": phone}])
    cancel_meeting(stack, cancelled.id)
    messages = outbox(stack, phone)
    assert len(messages) == 2 and "er aflyst" in messages[-1]["message"]
    response = page.goto(cancelled.guest_links[0])
    assert response is not None and response.status == 410
    expect(page.get_by_test_id("error-reason")).to_contain_text(
        re.compile(r"Mødet .* kl\. \d\d\.\d\d er aflyst")
    )
    assert_axe_clean(page, "cancelled page")
    page.context.close()


def test_demo_case_system_shows_readable_danish_and_keeps_what_was_typed(
    stack: Stack, nurse_browser: Browser
) -> None:
    page = nurse_browser.new_context().new_page()
    page.goto(f"{stack.emulator_url}/eoj/")
    page.locator("#guest_name").fill("Karen Jensen")
    page.locator("#guest_phone").fill("1234")
    page.get_by_test_id("eoj-book").click()
    expect(page.get_by_test_id("eoj-error-guest_phone")).to_contain_text("mobilnummer")
    expect(page.get_by_test_id("eoj-error")).not_to_contain_text("regex")
    expect(page.locator("#guest_name")).to_have_value("Karen Jensen")
    expect(page.locator("#guest_phone")).to_have_value("1234")
    local = "2" + str(time.time_ns())[-7:]
    page.locator("#guest_phone").fill(f"{local[:2]} {local[2:4]} {local[4:6]} {local[6:]}")
    page.get_by_test_id("eoj-book").click()
    expect(page.get_by_test_id("eoj-meeting")).to_be_visible()
    assert len(httpx.get(f"{stack.emulator_url}/outbox", params={"to": f"+45{local}"}).json()) == 1
    page.context.close()


@pytest.mark.parametrize("unused", [None])
def test_screenshots_folder(unused: None) -> None:
    """The screenshots land where a person can look at them."""
    assert Path(SCREENSHOTS).parent.name == "test-results"
