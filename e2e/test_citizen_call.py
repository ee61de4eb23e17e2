"""The first call: booked in the EOJ system, the citizen taps the SMS link, both see each other."""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Response, Route, expect

from devstack.stack import DEMO_PARTY, ROOT, Stack
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import book_meeting, launch_token, launch_url, link_from_sms, outbox, vdx_meeting

CITIZEN_PHONE = "+4520304050"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

MEAN_COLOUR_JS = """(video) => {
  if (!video.videoWidth) return null;
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 48;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(video, 0, 0, 64, 48);
  const data = ctx.getImageData(0, 24, 64, 24).data;  // lower half: away from the moving square
  let r = 0, g = 0, b = 0;
  for (let i = 0; i < data.length; i += 4) { r += data[i]; g += data[i + 1]; b += data[i + 2]; }
  const n = data.length / 4;
  return [r / n, g / n, b / n];
}"""


class ResponseRecorder:
    """Everything the server sent a browser context: URLs, headers and bodies."""

    def __init__(self, context: BrowserContext) -> None:
        self.seen: list[str] = []
        context.on("response", self._record)

    def _record(self, response: Response) -> None:
        self.seen.append(response.url)
        self.seen.append(json.dumps(response.headers))
        content_type = response.headers.get("content-type", "")
        if "event-stream" in content_type or "/assets/" in response.url:
            return  # streams never finish; hashed assets are the same build for everyone
        try:
            self.seen.append(response.body().decode(errors="replace"))
        except Exception:
            self.seen.append("")

    def contains(self, secret: str) -> bool:
        return any(secret in text for text in self.seen)


def wait_for_colour(page: Page, expected: tuple[int, int, int]) -> None:
    """The remote video shows the colour of the other side's camera."""
    channel = max(range(3), key=lambda index: expected[index])
    page.wait_for_function(
        f"""() => {{
          const video = document.querySelector('[data-testid="remote-video"]');
          const rgb = video && ({MEAN_COLOUR_JS})(video);
          if (!rgb) return false;
          const others = [0, 1, 2].filter((i) => i !== {channel});
          return others.every((i) => rgb[{channel}] > rgb[i] + 60);
        }}""",
        timeout=30_000,
    )


def browser_state(context: BrowserContext, page: Page) -> str:
    storage = page.evaluate(
        "() => JSON.stringify({local: {...localStorage}, session: {...sessionStorage}})"
    )
    return json.dumps(context.cookies()) + storage + page.url


def press_join(page: Page) -> None:
    expect(page.get_by_test_id("self-view")).to_be_visible()
    page.get_by_test_id("join-button").click()


def join(page: Page) -> None:
    press_join(page)
    expect(page.get_by_test_id("in-call")).to_be_visible(timeout=20_000)


def test_citizen_and_nurse_see_each_other(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    meeting = book_meeting(stack, guests=[{"display_name": "Karen Jensen", "phone": CITIZEN_PHONE}])
    assert meeting.answer["guests"][0]["sms_sent"] is True
    sms = outbox(stack, CITIZEN_PHONE)[-1]
    link = link_from_sms(sms["message"])
    assert link == meeting.guest_links[0]
    assert "Karen" not in sms["message"]
    pins = vdx_meeting(stack, sms["meeting_uuid"])
    secrets_ = [str(pins["hostPin"]), str(pins["guestPin"])]

    citizen_context = citizen_browser.new_context(**PHONE)
    recorder = ResponseRecorder(citizen_context)
    citizen = citizen_context.new_page()
    console: list[tuple[str, str]] = []
    citizen.on("console", lambda message: console.append((message.type, message.text)))
    citizen.goto(link)
    assert "/j/" not in citizen.url, "the token must leave the address bar"
    expect(citizen.get_by_test_id("self-view")).to_be_visible()
    citizen.reload()  # reload keeps working: the grant is in the session, not the URL
    press_join(citizen)
    # Before the nurse: the node holds the citizen (see test_hosted_room.py).
    expect(citizen.get_by_test_id("lobby")).to_be_visible(timeout=20_000)

    nurse_context = nurse_browser.new_context(viewport={"width": 1280, "height": 800})
    nurse = nurse_context.new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    join(nurse)
    expect(nurse.get_by_test_id("in-call")).to_have_attribute("data-role", "host")
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )

    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)

    expect(nurse.get_by_test_id("participant-item")).to_have_count(2, timeout=15_000)
    expect(nurse.get_by_test_id("participant-list")).to_contain_text("Karen Jensen")

    for pin in secrets_:
        assert not recorder.contains(pin), "a PIN reached the citizen's browser"
        assert pin not in browser_state(citizen_context, citizen)

    citizen.get_by_test_id("leave-button").click()
    expect(citizen.get_by_test_id("call-ended")).to_be_visible()
    expect(nurse.get_by_test_id("participant-item")).to_have_count(1, timeout=15_000)
    # The Pexip packages' loggers are quiet (webapp/src/lib/quiet-logger.ts): no SDP, ICE
    # candidates or names in the phone's console, and no console work while the call is set up.
    chatty = [(kind, text[:80]) for kind, text in console if kind in ("log", "info", "debug")]
    assert chatty == [], chatty
    assert not [text for _, text in console if "v=0" in text or "Karen" in text]
    citizen_context.close()
    nurse_context.close()


def nurse_then_citizen_join(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> tuple[Page, Page]:
    """A booked meeting, the nurse in it first (a host lets the citizen in), then the citizen
    on her phone: their pages."""
    meeting = book_meeting(stack)
    nurse = nurse_browser.new_context().new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    join(nurse)
    page = citizen_browser.new_context(**PHONE).new_page()
    page.goto(meeting.guest_links[0])
    join(page)
    return nurse, page


def test_citizen_mutes_and_unmutes(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    nurse, page = nurse_then_citizen_join(stack, citizen_browser, nurse_browser)
    nurse_context, context = nurse.context, page.context
    for test_id in ("toggle-mic", "toggle-camera"):
        toggle = page.get_by_test_id(test_id)
        expect(toggle).to_have_attribute("aria-pressed", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "false")
    context.close()
    nurse_context.close()


def test_leaving_and_closing_the_phone_at_once_frees_her_place(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    """She taps leave and closes the browser in the same moment: the hang-up still reaches the
    node (by beacon), so the nurse sees her gone now, not when her token would expire."""
    nurse, page = nurse_then_citizen_join(stack, citizen_browser, nurse_browser)
    nurse_context, context = nurse.context, page.context
    expect(nurse.get_by_test_id("participant-item")).to_have_count(2, timeout=15_000)
    # Her network is slow: the hang-up's requests (ending her call if it has one, then
    # releasing the token) are still on their way when she closes. Not held: the beacon, whose
    # URL carries the token (`release_token?token=`, @pexip/infinity's requestClient.js).
    held: list[Route] = []
    hang_up = re.compile(r"/calls/[^/?]+/disconnect$|/release_token$")
    context.route(hang_up, lambda route: held.append(route))
    page.get_by_test_id("leave-button").click()
    expect(page.get_by_test_id("call-ended")).to_be_visible()
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the hang-up never asked the node to end her call"
    # She closes the tab; the browser lives on and delivers what the page sent on its way out.
    # (Closing the whole context would drop it in flight, as no phone's browser does.)
    page.close()
    expect(nurse.get_by_test_id("participant-item")).to_have_count(1, timeout=10_000)
    context.close()
    nurse_context.close()


def session_cookie(context: BrowserContext) -> dict[str, Any]:
    cookies = [cookie for cookie in context.cookies() if cookie["name"] == "bv_session"]
    assert len(cookies) == 1
    return dict(cookies[0])


def test_session_cookie_is_httponly_and_samesite(stack: Stack, citizen_browser: Browser) -> None:
    meeting = book_meeting(stack)
    context = citizen_browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(meeting.guest_links[0])
    cookie = session_cookie(context)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert page.evaluate("() => document.cookie").find("bv_session") == -1
    context.close()


def test_preflight_links_accessibility_statement(stack: Stack, citizen_browser: Browser) -> None:
    party = json.loads((ROOT / "branding" / DEMO_PARTY / "party.json").read_text())
    context = citizen_browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(book_meeting(stack).guest_links[0])
    link = page.get_by_role("link", name="Tilgængelighedserklæring")
    expect(link).to_have_attribute("href", party["options"]["accessibility_statement_url"])
    context.close()
