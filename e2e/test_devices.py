"""Devices (issue 10) in real Chromium: a lent tablet's page enrols, waits, gets a message that
waited for it, answers it, rings and joins the nurse's meeting so both see each other, on two
BFF instances on one Redis (Debian's redis-server): the tablet on one, the nurse on the other.
Refusals and the channel's protocol in detail: bff/tests/test_devices.py."""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.device_sim import SimDevice, device_branding, new_code
from devstack.multi import MultiStack, running_multi_stack
from devstack.stack import DEMO_API_KEY, ROOT
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import book_meeting, cancel_meeting, launch_token, launch_url
from e2e.test_citizen_call import join, wait_for_colour

API = {"X-API-Key": DEMO_API_KEY}
ADMIN = {"X-Admin-Key": "demo-kobenhavn-admin-key"}
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True}
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The Battery Status API as a tablet on 42 % reports it (headless Chromium has no battery).
BATTERY_JS = """Object.defineProperty(navigator, 'getBattery', {
  value: () => Promise.resolve({ level: 0.42, charging: false }), configurable: true });"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MultiStack]:
    data_key = secrets.token_urlsafe(32)
    branding = device_branding(
        tmp_path_factory.mktemp("devices"),
        data_key,
        ring_seconds=30,
        auto_answer_party="region-midt",
    )
    env = {"BV_DATA_KEY": data_key, "BV_BRANDING_DIR": str(branding), "BV_DEVICE_HEARTBEAT": "3"}
    with running_multi_stack(instances=2, extra_bff_env=env) as running:
        yield running


def check_accessibility(page: Page) -> None:
    """axe-core (WCAG 2.1 A and AA rules) finds nothing on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text() + "\n;undefined")  # through the debugger: no CSP change
    found = page.evaluate(
        """async () => {
          const rules = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
          const found = await axe.run(document, {runOnly: rules});
          return found.violations.map(
            (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(' ')})`);
        }"""
    )
    assert found == [], found


def devices(stack: MultiStack, party_key: str = DEMO_API_KEY) -> list[dict[str, Any]]:
    answer = httpx.get(f"{stack.bff_url}/api/v1/devices", headers={"X-API-Key": party_key})
    assert answer.status_code == 200
    return list(answer.json())


def device_named(stack: MultiStack, label: str) -> dict[str, Any]:
    return next(d for d in devices(stack) if d["label"] == label)


def wait_until(condition: Any, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.2)


DANISH_MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def tablet_page(browser: Browser) -> Page:
    context = browser.new_context(**TABLET)
    context.add_init_script(BATTERY_JS)
    return context.new_page()


def test_tablet_enrols_by_qr_link_reports_battery_and_gets_a_waiting_message(
    stack: MultiStack, citizen_browser: Browser
) -> None:
    label = f"Tablet {secrets.token_hex(3)}"
    code = new_code(stack.bff_url, label=label)
    device_url = f"{stack.instance_url(0)}/kobenhavn/device"
    page = tablet_page(citizen_browser)
    page.goto(f"{device_url}#code={code['code']}")  # what scanning the QR code opens
    waiting = page.get_by_test_id("device-waiting")
    expect(waiting).to_have_attribute("data-status", "online", timeout=15_000)
    expect(page.get_by_test_id("device-state")).to_have_text("Venter på opkald")
    # "Søndag 6. december": the month in Danish lower case, as rendered (CSS included).
    date = page.locator(".kiosk__date").inner_text()
    assert re.fullmatch(rf"[A-ZÆØ][a-zæøå]+dag \d{{1,2}}\. ({'|'.join(DANISH_MONTHS)})", date), date
    assert "#code" not in page.url, "the used code leaves the address bar"
    check_accessibility(page)
    device = device_named(stack, label)
    assert device["online"] is True and device["app_version"] == "1.0.0"
    assert device["battery"] == {"level": 42, "charging": False}

    # A message with answers, sent through the other instance, answered on the tablet.
    url = f"{stack.instance_url(1)}/api/v1/devices/{device['id']}/messages"
    question = {"text": "Har du taget din medicin?", "reply_options": ["Ja", "Nej"]}
    sent = httpx.post(url, json={"body": question}, headers=API)
    assert sent.status_code == 202 and sent.json()["device_online"] is True
    message = page.get_by_test_id("device-message")
    expect(message).to_contain_text("Har du taget din medicin?")
    check_accessibility(page)
    message.get_by_role("button", name="Ja").click()
    expect(message).to_have_count(0)

    def replied() -> bool:
        found = httpx.get(f"{stack.bff_url}/api/v1/device-messages", headers=API).json()
        reply = {"in_reply_to": sent.json()["id"], "answer": "Ja"}
        return any(m["device_id"] == device["id"] and m["body"] == reply for m in found["messages"])

    wait_until(replied)

    # Away: the page is closed. Offline at once, with the battery and when it was last seen.
    context = page.context
    page.close()
    wait_until(lambda: device_named(stack, label)["online"] is False)
    assert device_named(stack, label)["last_seen"] is not None
    queued = httpx.post(url, json={"body": {"text": "Husk mødet i morgen kl. 10"}}, headers=API)
    assert queued.status_code == 202 and queued.json()["device_online"] is False

    # Back: the message that waited shows, once; after a reload it is not shown again.
    page = context.new_page()
    page.goto(device_url)
    expect(page.get_by_test_id("device-message")).to_have_count(1, timeout=15_000)
    expect(page.get_by_test_id("device-message")).to_contain_text("Husk mødet i morgen kl. 10")
    wait_until(lambda: httpx.get(url, headers=API).json() == [])  # acknowledged
    page.reload()
    expect(page.get_by_test_id("device-waiting")).to_have_attribute("data-status", "online")
    page.wait_for_timeout(1000)
    expect(page.get_by_test_id("device-message")).to_have_count(0)

    # Its instance goes down: a clear offline state, then back by itself.
    stack.kill_bff(0)
    expect(page.get_by_test_id("device-waiting")).to_have_attribute(
        "data-status", "offline", timeout=10_000
    )
    expect(page.get_by_test_id("device-state")).to_contain_text("Ingen forbindelse")
    check_accessibility(page)
    stack.start_bff(0)
    expect(page.get_by_test_id("device-waiting")).to_have_attribute(
        "data-status", "online", timeout=30_000
    )

    # Revoked by the party (on the other instance): refused at once, and it says so.
    revoked = httpx.delete(
        f"{stack.instance_url(1)}/api/v1/parties/kobenhavn/devices/{device['id']}", headers=ADMIN
    )
    assert revoked.status_code == 204
    expect(page.get_by_test_id("device-refused")).to_be_visible(timeout=5_000)
    check_accessibility(page)
    context.close()


def test_nurse_calls_the_tablet_from_the_staff_view_and_they_see_each_other(
    stack: MultiStack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    label = f"Karens tablet {secrets.token_hex(3)}"
    code = new_code(stack.bff_url, label=label)
    tablet = tablet_page(citizen_browser)
    tablet.goto(f"{stack.instance_url(0)}/kobenhavn/device")  # the tablet on instance 0
    expect(tablet.get_by_test_id("device-enrol")).to_be_visible()
    check_accessibility(tablet)
    tablet.get_by_test_id("enrol-code-input").fill("wrong-code")
    tablet.get_by_test_id("enrol-submit").click()
    expect(tablet.get_by_test_id("enrol-error")).to_contain_text("Koden er forkert")
    tablet.get_by_test_id("enrol-code-input").fill(code["code"].lower())
    tablet.get_by_test_id("enrol-submit").click()
    expect(tablet.get_by_test_id("device-waiting")).to_have_attribute(
        "data-status", "online", timeout=15_000
    )

    meeting = book_meeting(stack)
    nurse_context = nurse_browser.new_context(viewport={"width": 1280, "height": 900})
    nurse = nurse_context.new_page()
    launch = launch_url(stack, launch_token(meeting.id))
    nurse.goto(launch.replace(stack.bff_url, stack.instance_url(1)))
    join(nurse)  # the nurse on instance 1
    panel = nurse.get_by_test_id("device-call-panel")
    expect(panel).to_be_visible(timeout=15_000)
    panel.get_by_test_id("device-search").fill(label.split()[-1])
    item = panel.get_by_test_id("device-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("online")
    expect(item).to_contain_text("batteri 42 %")

    # First call: declined on the tablet.
    item.get_by_test_id("call-device-button").click()
    expect(tablet.get_by_test_id("ringing-screen")).to_be_visible(timeout=10_000)
    expect(tablet.get_by_test_id("ringing-screen")).to_contain_text("Sygeplejerske Hanne ringer")
    check_accessibility(tablet)
    status = panel.get_by_test_id("device-call-status")
    expect(status).to_have_attribute("data-status", "ringing")
    tablet.get_by_test_id("decline-button").click()
    expect(status).to_have_attribute("data-status", "declined", timeout=10_000)
    expect(tablet.get_by_test_id("device-waiting")).to_be_visible()

    # Second call: taken with the big button; the tablet joins as a guest without a PIN.
    item.get_by_test_id("call-device-button").click()
    tablet.get_by_test_id("answer-button").click()
    expect(status).to_have_attribute("data-status", "answered", timeout=10_000)
    expect(tablet.get_by_test_id("in-call")).to_have_attribute("data-role", "guest", timeout=30_000)
    wait_for_colour(tablet, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    expect(nurse.get_by_test_id("participant-item").filter(has_text=label)).to_have_count(1)

    # The meeting ends: the tablet goes back to waiting for the next call.
    cancel_meeting(stack, meeting.id)
    expect(tablet.get_by_test_id("device-waiting")).to_be_visible(timeout=30_000)
    nurse_context.close()
    tablet.context.close()


def test_auto_answer_party_tablet_joins_by_itself(
    stack: MultiStack, citizen_browser: Browser
) -> None:
    """region-midt answers device calls by itself (party option device_auto_answer)."""
    region_key = "demo-region-midt-key"
    code = new_code(stack.bff_url, party="region-midt", label="Stue 3")
    tablet = tablet_page(citizen_browser)
    tablet.goto(f"{stack.instance_url(1)}/region-midt/device#code={code['code']}")
    expect(tablet.get_by_test_id("device-waiting")).to_have_attribute(
        "data-status", "online", timeout=15_000
    )
    device = next(d for d in devices(stack, region_key) if d["label"] == "Stue 3")
    now = time.time()
    body = {
        "subject": "Tilsyn",
        "guests": [{"display_name": "Borger"}],
        "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now)),
        "end": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + 3600)),
    }
    booked = httpx.post(
        f"{stack.bff_url}/api/v1/meetings", json=body, headers={"X-API-Key": region_key}, timeout=10
    ).json()
    calls = f"{stack.instance_url(0)}/api/v1/meetings/{booked['id']}/device-calls"
    call = httpx.post(calls, json={"device_id": device["id"]}, headers={"X-API-Key": region_key})
    assert call.status_code == 201, call.text
    # No one touches the tablet: it joins (and waits in the lobby until a host comes).
    expect(tablet.get_by_test_id("lobby").or_(tablet.get_by_test_id("in-call"))).to_be_visible(
        timeout=30_000
    )
    answered = httpx.get(
        f"{stack.bff_url}/api/v1/meetings/{booked['id']}/device-calls/{call.json()['id']}",
        headers={"X-API-Key": region_key},
    )
    assert answered.json()["status"] == "answered"
    tablet.context.close()


def test_admin_page_makes_a_code_with_qr_and_manages_the_tablets(
    stack: MultiStack, nurse_browser: Browser
) -> None:
    page = nurse_browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{stack.bff_url}/kobenhavn/admin/devices")
    page.get_by_test_id("devices-key-input").fill("wrong")
    page.get_by_test_id("devices-key-submit").click()
    expect(page.get_by_test_id("devices-message")).to_contain_text("passer ikke")
    page.get_by_test_id("devices-key-input").fill(ADMIN["X-Admin-Key"])
    page.get_by_test_id("devices-key-submit").click()
    label = f"Stue {secrets.token_hex(2)}"
    page.get_by_test_id("device-label-input").fill(label)
    page.get_by_test_id("make-code").click()
    code = page.get_by_test_id("enrolment-code")
    expect(code).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    qr = page.get_by_test_id("enrolment-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("(img) => img.complete && img.naturalWidth > 100")
    check_accessibility(page)

    tablet = SimDevice(stack.bff_url)
    assert tablet.enrol(code.inner_text()).status_code == 201
    page.get_by_test_id("devices-refresh").click()
    row = page.get_by_test_id("admin-device-item").filter(has_text=label)
    expect(row).to_contain_text("offline")
    check_accessibility(page)
    row.get_by_test_id("admin-device-label").fill(f"{label} ved vinduet")
    row.get_by_test_id("admin-device-rename").click()
    row = page.get_by_test_id("admin-device-item").filter(has_text=f"{label} ved vinduet")
    expect(row).to_have_count(1)
    row.get_by_test_id("admin-device-toggle").click()
    expect(row).to_contain_text("slået fra")
    assert not device_named(stack, f"{label} ved vinduet")["enabled"]
    row.get_by_test_id("admin-device-revoke").click()
    row.get_by_test_id("admin-device-revoke-confirm").click()
    expect(page.get_by_test_id("admin-device-item").filter(has_text=label)).to_have_count(0)
    assert all(d["id"] != tablet.device_id for d in devices(stack))
    page.context.close()


# Every camera and microphone stream the page opens, to see that the call let go of them.
STREAMS_JS = """window.__bvStreams = [];
const openMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (constraints) => {
  const stream = await openMedia(constraints);
  window.__bvStreams.push(stream);
  return stream;
};"""
ALL_MEDIA_STOPPED = """() => window.__bvStreams.length > 0 && window.__bvStreams.every(
  (stream) => stream.getTracks().every((track) => track.readyState === 'ended'))"""


def test_the_tablet_enters_a_locked_meeting_and_is_idle_once_the_nurse_left(
    stack: MultiStack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    label = f"Stue {secrets.token_hex(3)}"
    code = new_code(stack.bff_url, label=label)
    tablet = tablet_page(citizen_browser)
    tablet.context.add_init_script(STREAMS_JS)
    tablet.goto(f"{stack.instance_url(0)}/kobenhavn/device#code={code['code']}")
    expect(tablet.get_by_test_id("device-waiting")).to_have_attribute(
        "data-status", "online", timeout=15_000
    )
    meeting = book_meeting(stack)
    nurse = nurse_browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    join(nurse)
    lock = nurse.get_by_test_id("toggle-lock")
    lock.click()
    expect(lock).to_have_attribute("aria-pressed", "true")
    panel = nurse.get_by_test_id("device-call-panel")
    panel.get_by_test_id("device-search").fill(label)
    panel.get_by_test_id("device-item").get_by_test_id("call-device-button").click()
    tablet.get_by_test_id("answer-button").click()

    # Rung by the host herself: let in although the meeting is locked.
    expect(tablet.get_by_test_id("in-call")).to_have_attribute("data-role", "guest", timeout=30_000)
    row = nurse.get_by_test_id("participant-item").filter(has_text=label)
    expect(row).to_have_attribute("data-waiting", "false")
    wait_for_colour(tablet, NURSE_COLOUR)
    expect(lock).to_have_attribute("aria-pressed", "true")  # still locked for anyone else

    # A colleague joins too; then the nurse who rang leaves: the tablet's call was hers, so it
    # is back to waiting at once, camera and microphone off (not after the node's minute).
    colleague = nurse_browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    colleague.goto(launch_url(stack, launch_token(meeting.id, name="Sygeplejerske Bo")))
    join(colleague)
    bo = nurse.get_by_test_id("participant-item").filter(has_text="Sygeplejerske Bo")
    expect(bo).to_have_count(1, timeout=15_000)
    expect(tablet.get_by_test_id("in-call")).to_be_visible()  # a second host changes nothing
    nurse.get_by_test_id("leave-button").click()
    expect(tablet.get_by_test_id("device-waiting")).to_be_visible(timeout=10_000)
    tablet.wait_for_function(ALL_MEDIA_STOPPED, timeout=5_000)
    expect(colleague.get_by_test_id("in-call")).to_be_visible()
    colleague.context.close()
    nurse.context.close()
    tablet.context.close()
