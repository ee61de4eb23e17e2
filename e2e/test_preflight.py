"""The preflight's microphone meter: the citizen sees the microphone work before joining."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, Route, expect

from devstack.stack import Stack
from e2e.helpers import book_meeting

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# Records every AudioContext the page makes and every CSP violation it causes.
WATCH_AUDIO_AND_CSP = """
window.__audioContexts = [];
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
const Original = window.AudioContext;
window.AudioContext = class extends Original {
  constructor(...args) { super(...args); window.__audioContexts.push(this); }
};
"""

# A phone without a (working) microphone: every request that wants sound fails.
NO_MICROPHONE = """
const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = (constraints) =>
  constraints && constraints.audio
    ? Promise.reject(new DOMException('no microphone', 'NotFoundError'))
    : original(constraints);
"""


def open_preflight(browser: Browser, stack: Stack, init_script: str) -> Page:
    context = browser.new_context(**PHONE)
    context.add_init_script(init_script)
    page = context.new_page()
    page.goto(book_meeting(stack).guest_links[0])
    expect(page.get_by_test_id("self-view")).to_be_visible()
    return page


def test_mic_level_moves_with_the_fake_microphone(stack: Stack, citizen_browser: Browser) -> None:
    page = open_preflight(citizen_browser, stack, WATCH_AUDIO_AND_CSP)
    meter = page.get_by_role("meter", name="Mikrofon")
    expect(meter).to_have_attribute("data-testid", "mic-level")
    expect(meter).to_have_attribute("aria-valuemin", "0")
    expect(meter).to_have_attribute("aria-valuemax", "100")
    expect(page.get_by_text("Tal, så kan du se, at mikrofonen virker")).to_be_visible()
    expect(page.get_by_test_id("join-button")).to_be_enabled()

    # Chromium's fake microphone beeps: the level leaves 0.
    page.wait_for_function(
        """() => Number(document.querySelector('[data-testid="mic-level"]')
                 ?.getAttribute('aria-valuenow')) > 0""",
        timeout=15_000,
    )
    assert page.evaluate("() => window.__audioContexts.length") >= 1
    assert page.evaluate("() => window.__cspViolations") == []

    page.get_by_test_id("join-button").click()
    # Joined: alone, the citizen waits in the lobby for the host (test_hosted_room.py).
    expect(page.get_by_test_id("lobby")).to_be_visible(timeout=20_000)
    expect(page.get_by_test_id("mic-level")).to_have_count(0)
    page.wait_for_function(
        "() => window.__audioContexts.every((context) => context.state === 'closed')"
    )
    page.context.close()


def test_no_mic_level_without_a_microphone(stack: Stack, citizen_browser: Browser) -> None:
    page = open_preflight(citizen_browser, stack, WATCH_AUDIO_AND_CSP + NO_MICROPHONE)
    expect(page.get_by_test_id("media-notice")).to_contain_text("mikrofon")
    expect(page.get_by_test_id("join-button")).to_be_enabled()
    expect(page.get_by_test_id("mic-level")).to_have_count(0)
    assert page.evaluate("() => window.__audioContexts.length") == 0
    page.context.close()


# Keeps where the page made each date format (the stack of each new Intl.DateTimeFormat).
WATCH_DATE_FORMATS = """
window.__dateFormats = [];
const made = () =>
  window.__dateFormats.push(new Error().stack.split('\\n').slice(2, 5).join(' < '));
Intl.DateTimeFormat = new Proxy(Intl.DateTimeFormat, {
  construct(target, args) { made(); return Reflect.construct(target, args); },
  apply(target, self, args) { made(); return Reflect.apply(target, self, args); },
});
"""


def test_the_preflight_names_the_meetings_hours_in_danish_time(
    stack: Stack, citizen_browser: Browser
) -> None:
    """The BFF writes the meeting's day and hours into the page (bff.core.i18n.meeting_when):
    the line says them in Danish time, in its place above the host, in either language, and
    the phone makes no date format of its own for them (its first one loads the browser's
    calendar data, 10-20 ms before the citizen would see herself)."""
    start = (datetime.now(UTC) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    end = start + timedelta(minutes=30)
    context = citizen_browser.new_context(**PHONE)
    context.add_init_script(WATCH_DATE_FORMATS)
    page = context.new_page()
    booked = book_meeting(stack, start=start, end=end, host_name="Sygeplejerske Anna")
    page.goto(booked.guest_links[0])
    danish = ZoneInfo("Europe/Copenhagen")
    local_start, local_end = start.astimezone(danish), end.astimezone(danish)
    when = page.locator(".meeting__time")
    expect(when).to_contain_text(f"kl. {local_start:%H.%M}–{local_end:%H.%M}")
    # the line is the one between the subject and the host
    order = page.eval_on_selector_all(
        ".meeting > *", "(nodes) => nodes.map((node) => node.className)"
    )
    assert order == ["meeting__subject", "meeting__time", "meeting__host"], order
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"self-view\"]')?.videoWidth > 0"
    )
    assert page.evaluate("() => window.__dateFormats") == []

    page.get_by_test_id("language-switch").click()
    expect(when).to_contain_text(f"{local_start:%H:%M}–{local_end:%H:%M}")
    expect(when).to_contain_text(f"{local_start:%A} {local_start.day} {local_start:%B}")
    context.close()


# Whether the self-view had its camera the moment it was put in the page (a MutationObserver's
# callback runs after React's commit and its layout effects, before the next paint).
WATCH_SELF_VIEW = """
window.__selfViewAtInsert = undefined;
new MutationObserver((_, observer) => {
  const video = document.querySelector('[data-testid="self-view"]');
  if (!video) return;
  window.__selfViewAtInsert = video.srcObject !== null;
  observer.disconnect();
}).observe(document, { subtree: true, childList: true });
"""


def test_a_camera_that_answered_before_the_app_is_on_its_first_render(
    stack: Stack, citizen_browser: Browser
) -> None:
    """index.html asks for the camera before the app's code is in; when the camera answered
    first (here: the app's code held back 1 s), the self-view is drawn with it, not empty
    and filled after the first paint."""
    context = citizen_browser.new_context(**PHONE)
    context.add_init_script(WATCH_SELF_VIEW)
    page = context.new_page()

    def held_back(route: Route) -> None:
        time.sleep(1.0)  # the app's code comes late; the page's camera request goes on
        route.continue_()

    page.route("**/assets/index-*.js", held_back)
    page.goto(book_meeting(stack).guest_links[0])
    page.wait_for_function("() => window.__selfViewAtInsert !== undefined")
    assert page.evaluate("() => window.__selfViewAtInsert") is True
    expect(page.get_by_test_id("self-view")).to_be_visible()
    context.close()
