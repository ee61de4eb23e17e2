"""`make run LAN=1`: over the LAN the BFF serves HTTPS, so a phone's browser may use the camera.

The stack runs as LAN=1 runs it: on every interface, the BFF with a self-signed certificate for
the machine's LAN address (127.0.0.1 on a machine without one), the emulator trusting it.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_PARTY, Stack, running_stack
from devstack.tls import ensure_certificate, lan_address
from e2e.helpers import link_from_sms, outbox

CITIZEN_PHONE = "+4531415926"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
REMOTE_VIDEO_PLAYS = """() => {
  const video = document.querySelector('[data-testid="remote-video"]');
  return Boolean(video && video.videoWidth > 0);
}"""


@pytest.fixture(scope="module")
def address() -> str:
    return lan_address()


@pytest.fixture(scope="module")
def stack(address: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tls = ensure_certificate(tmp_path_factory.mktemp("tls"), address)
    with running_stack(host="0.0.0.0", public_host=address, tls=tls) as running:
        yield running


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    """A client that trusts the stack's certificate, and only that."""
    assert stack.tls is not None
    trust = ssl.create_default_context(cafile=str(stack.tls.cert))
    with httpx.Client(verify=trust, timeout=10) as http:
        yield http


def book_on_eoj_page(stack: Stack, client: httpx.Client) -> str:
    """Book through the demo EOJ page (the emulator calls the BFF over HTTPS); the staff link."""
    now = datetime.now(ZoneInfo("Europe/Copenhagen"))  # the page's datetime-local fields
    form = {
        "subject": "Opfølgning via telefonen",
        "start": now.strftime("%Y-%m-%dT%H:%M"),
        "end": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "staff_name": "Sygeplejerske Hanne",
        "guest_name": "Borger Jensen",
        "guest_phone": CITIZEN_PHONE,
    }
    page = client.post(f"{stack.emulator_url}/eoj/book", data=form)
    assert page.status_code == 200, page.text
    match = re.search(r'data-testid="eoj-open-staff" href="([^"]+)"', page.text)
    assert match, page.text
    return f"{stack.emulator_url}{match.group(1).replace('&amp;', '&')}"


def test_urls_use_the_lan_address_over_https(stack: Stack, address: str) -> None:
    assert stack.bff_url.startswith(f"https://{address}:")
    assert stack.emulator_url.startswith(f"http://{address}:")


def test_staff_launch_and_citizen_link_go_to_https_with_secure_cookies(
    stack: Stack, client: httpx.Client
) -> None:
    staff_link = book_on_eoj_page(stack, client)

    redirect = client.get(staff_link)
    assert redirect.status_code == 303
    assert redirect.headers["location"].startswith(f"{stack.bff_url}/{DEMO_PARTY}/launch?token=")

    launched = client.get(redirect.headers["location"])
    assert launched.status_code in (302, 303), launched.text
    cookie = launched.headers["set-cookie"]
    assert "bv_session=" in cookie
    assert "secure" in cookie.lower()
    assert "httponly" in cookie.lower()

    shell = client.get(f"{stack.bff_url}/{DEMO_PARTY}/")
    assert shell.status_code == 200
    assert "<html" in shell.text.lower()

    link = link_from_sms(outbox(stack, CITIZEN_PHONE)[-1]["message"])
    assert link.startswith(f"{stack.bff_url}/{DEMO_PARTY}/j/")
    citizen = client.get(link)
    assert citizen.status_code == 200  # the app shell itself
    assert "secure" in citizen.headers["set-cookie"].lower()


def test_plain_http_to_the_bff_is_refused(stack: Stack) -> None:
    parts = urlsplit(stack.bff_url)
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://{parts.netloc}/healthz", timeout=5)


def join(page: Page) -> None:
    expect(page.get_by_test_id("self-view")).to_be_visible(timeout=20_000)
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("in-call")).to_be_visible(timeout=20_000)


def test_phone_and_staff_see_each_other_over_https(
    stack: Stack, client: httpx.Client, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    staff_link = book_on_eoj_page(stack, client)
    link = link_from_sms(outbox(stack, CITIZEN_PHONE)[-1]["message"])

    # Like a phone that accepted the self-signed certificate once.
    phone_context = citizen_browser.new_context(ignore_https_errors=True, **PHONE)
    phone = phone_context.new_page()
    phone.goto(link)
    assert phone.url.startswith(f"{stack.bff_url}/{DEMO_PARTY}/")
    assert phone.evaluate("window.isSecureContext") is True
    expect(phone.get_by_test_id("self-view")).to_be_visible(timeout=20_000)
    phone.get_by_test_id("join-button").click()
    expect(phone.get_by_test_id("lobby")).to_be_visible(timeout=20_000)  # no host yet

    staff_context = nurse_browser.new_context(ignore_https_errors=True)
    staff = staff_context.new_page()
    staff.goto(staff_link)
    assert staff.url.startswith(f"{stack.bff_url}/{DEMO_PARTY}/")
    join(staff)
    expect(phone.get_by_test_id("in-call")).to_be_visible(timeout=20_000)

    phone.wait_for_function(REMOTE_VIDEO_PLAYS, timeout=30_000)
    staff.wait_for_function(REMOTE_VIDEO_PLAYS, timeout=30_000)
    phone_context.close()
    staff_context.close()
