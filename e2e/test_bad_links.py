"""Links and launch tokens that must not work get a clear page, never a stack trace."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from joserfc.jwk import ECKey
from playwright.sync_api import Browser, expect

from devstack.stack import DEMO_PARTY, Stack
from e2e.helpers import book_meeting, cancel_meeting, launch_token, launch_url

TRACEBACK_MARKERS = ("Traceback", 'File "', "Exception", "litestar")


def get(url: str) -> httpx.Response:
    return httpx.get(url, follow_redirects=False, headers={"Accept": "text/html"})


def assert_friendly_page(response: httpx.Response, status: int, *words: str) -> None:
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    assert "bv_session" not in response.headers.get("set-cookie", "")
    text = response.text
    assert '<html lang="da"' in text
    for marker in TRACEBACK_MARKERS:
        assert marker not in text
    for word in words:
        assert word.lower() in text.lower(), (word, text[:800])


def test_good_link_answers_the_app_which_shows_the_address_without_token(
    stack: Stack, citizen_browser: Browser
) -> None:
    link = book_meeting(stack).guest_links[0]
    response = get(link)
    assert response.status_code == 200
    assert "bv_session" in response.headers["set-cookie"]
    assert f'"showAt":"/{DEMO_PARTY}/"' in response.text
    # In a browser the page puts the party's address in the bar before the app starts: the
    # history and a reload never open the link again.
    context = citizen_browser.new_context()
    page = context.new_page()
    page.goto(link)
    expect(page.get_by_test_id("self-view")).to_be_visible()
    shown = f"{stack.bff_url}/{DEMO_PARTY}/"
    assert page.url == shown
    # the tab's history of this site: the party's address, no link
    entries = page.evaluate("() => navigation.entries().map((entry) => entry.url)")
    assert entries == [shown], entries
    page.reload()
    expect(page.get_by_test_id("join-button")).to_be_enabled()
    assert page.url == shown
    context.close()


def test_unknown_and_tampered_links(stack: Stack) -> None:
    link = book_meeting(stack).guest_links[0]
    tampered = link[:-1] + ("A" if link[-1] != "A" else "B")
    assert_friendly_page(get(tampered), 404, "linket")
    assert_friendly_page(get(f"{stack.bff_url}/{DEMO_PARTY}/j/nonsense"), 404, "linket")


def test_link_of_another_party_does_not_open(stack: Stack) -> None:
    link = book_meeting(stack).guest_links[0]
    other = link.replace(f"/{DEMO_PARTY}/j/", "/region-midt/j/")
    assert get(other).status_code == 404


def test_unknown_party(stack: Stack) -> None:
    assert_friendly_page(get(f"{stack.bff_url}/ingen-kommune/"), 404)


def test_cancelled_link(stack: Stack) -> None:
    meeting = book_meeting(stack)
    cancel_meeting(stack, meeting.id)
    assert_friendly_page(get(meeting.guest_links[0]), 410, "aflyst")


def test_not_yet_open_link_says_when(stack: Stack) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=3)
    meeting = book_meeting(stack, start=start, end=start + timedelta(hours=1))
    # The link opens 30 minutes before, VDX's room 15 (the emulator's vmrAvailableBefore).
    opens = (start - timedelta(minutes=15)).astimezone(ZoneInfo("Europe/Copenhagen"))
    page = get(meeting.guest_links[0])
    assert_friendly_page(page, 425, "ikke åbent", f"Mødet åbner kl. {opens:%H.%M}")


def test_expired_link(stack: Stack) -> None:
    now = datetime.now(UTC)
    meeting = book_meeting(stack, start=now - timedelta(minutes=5), end=now + timedelta(seconds=3))
    time.sleep(max(0.0, 4 - (datetime.now(UTC) - now).total_seconds()))
    assert_friendly_page(get(meeting.guest_links[0]), 410, "udløbet")


@pytest.fixture
def meeting_id(stack: Stack) -> str:
    return book_meeting(stack).id


def test_launch_token_works_once(stack: Stack, meeting_id: str) -> None:
    url = launch_url(stack, launch_token(meeting_id))
    first = get(url)
    assert first.status_code == 303
    assert first.headers["location"] == f"/{DEMO_PARTY}/"
    assert_friendly_page(get(url), 401, "allerede")


def test_forged_launch_token(stack: Stack, meeting_id: str) -> None:
    other_key = ECKey.generate_key("P-256")
    assert_friendly_page(get(launch_url(stack, launch_token(meeting_id, key=other_key))), 401)


def test_tampered_launch_token(stack: Stack, meeting_id: str) -> None:
    token = launch_token(meeting_id)
    header, _, signature = token.split(".")
    forged = launch_token("someone-elses-meeting").split(".")[1]
    assert_friendly_page(get(launch_url(stack, f"{header}.{forged}.{signature}")), 401)
    assert_friendly_page(get(launch_url(stack, "not-a-jwt")), 401)


def test_expired_launch_token(stack: Stack, meeting_id: str) -> None:
    old = int(time.time()) - 600
    assert_friendly_page(
        get(launch_url(stack, launch_token(meeting_id, issued_at=old))), 401, "udløbet"
    )


def test_too_long_lived_launch_token(stack: Stack, meeting_id: str) -> None:
    token = launch_token(meeting_id, lifetime=3600)
    assert_friendly_page(get(launch_url(stack, token)), 401)


def test_launch_token_for_another_party(stack: Stack, meeting_id: str) -> None:
    token = launch_token(meeting_id, audience="borgervideo:region-midt")
    assert_friendly_page(get(launch_url(stack, token)), 401)


def test_launch_token_for_unknown_meeting(stack: Stack) -> None:
    assert_friendly_page(get(launch_url(stack, launch_token("no-such-meeting"))), 404)
