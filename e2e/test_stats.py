"""Statistics end to end: the emulated node reports a real call to the BFF's event sink, the
count goes up by one, and the party's admin page shows it (chart and table, axe clean).

The emulator's event clock runs `SPEED` times faster here, so "over a minute together" takes
a few seconds of the test's time; nothing else on the node is sped up. The BFF's own
observation is off (BV_STATS_OBSERVE=0): the event sink is the only source here
(e2e/test_stats_sources.py has the others).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_ADMIN_KEY, DEMO_PARTY, DEMO_STEERING_KEY, ROOT, Stack, running_stack
from e2e.conftest import CITIZEN_COLOUR, NURSE_COLOUR
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.test_citizen_call import join, wait_for_colour

SPEED = 15  # event-sink seconds per real second
HELD = 5.0  # real seconds together: 75 s of the node's clock, just over a minute
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """A stack of its own: no other test's calls end (and count) while this one watches."""
    with running_stack(
        extra_emulator_env={"EMU_CLOCK_SPEED": str(SPEED)},
        extra_bff_env={"BV_STATS_SETTLE": "1", "BV_STATS_OBSERVE": "0"},
    ) as running:
        yield running


def months_around_now() -> tuple[str, str]:
    """This month and the next (the node's sped-up clock may be in it by now)."""
    now = datetime.now(UTC).astimezone(ZoneInfo("Europe/Copenhagen"))
    following = now.year * 12 + now.month  # zero-based index of next month
    return f"{now:%Y-%m}", f"{following // 12:04d}-{following % 12 + 1:02d}"


def consultations(stack: Stack) -> int:
    first, last = months_around_now()
    answer = httpx.get(
        f"{stack.bff_url}/api/v1/stats",
        params={"from": first, "to": last},
        headers={"X-API-Key": DEMO_STEERING_KEY},
    )
    assert answer.status_code == 200, answer.text
    return sum(month["consultations"] for month in answer.json()["months"])


def axe_violations(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]


def test_a_call_of_over_a_minute_counts_once(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    before = consultations(stack)
    meeting = book_meeting(stack)
    nurse_context = nurse_browser.new_context()
    nurse = nurse_context.new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    join(nurse)
    citizen_context = citizen_browser.new_context()
    citizen = citizen_context.new_page()
    citizen.goto(meeting.guest_links[0])
    join(citizen)
    wait_for_colour(citizen, NURSE_COLOUR)
    wait_for_colour(nurse, CITIZEN_COLOUR)
    time.sleep(HELD)  # together, with media both ways
    citizen.get_by_test_id("leave-button").click()
    expect(citizen.get_by_test_id("call-ended")).to_be_visible()
    nurse.get_by_test_id("leave-button").click()
    citizen.close()  # the tabs, not the browsers: their hang-ups still reach the node
    nurse.close()

    deadline = time.monotonic() + 30
    while consultations(stack) == before:
        assert time.monotonic() < deadline, f"not counted:\n{stack.logs()[-6000:]}"
        time.sleep(0.5)
    citizen_context.close()
    nurse_context.close()
    time.sleep(2)  # counted again a moment later (late events, other instances): still one
    assert consultations(stack) == before + 1


def test_the_admin_page_shows_the_figures(stack: Stack, nurse_browser: Browser) -> None:
    first, last = months_around_now()
    expected = consultations(stack)
    context = nurse_browser.new_context(accept_downloads=True, bypass_csp=True)  # axe
    page = context.new_page()
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/stats")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brugsstatistik")
    page.get_by_test_id("stats-to").fill(last)
    page.get_by_test_id("stats-key-input").fill("not-the-key")
    page.get_by_test_id("stats-submit").click()
    expect(page.get_by_test_id("stats-error")).to_contain_text("ikke godkendt")

    page.get_by_test_id("stats-key-input").fill(DEMO_ADMIN_KEY)
    page.get_by_test_id("stats-submit").click()
    table = page.get_by_test_id("stats-table")
    expect(table).to_be_visible()
    expect(page.get_by_test_id("stats-total")).to_have_text(str(expected))
    expect(table.locator("tbody tr")).to_have_count(13)  # twelve months and the next
    chart = page.get_by_test_id("stats-chart").locator("svg")
    expect(chart).to_have_attribute("role", "img")
    description = chart.locator("desc").text_content() or ""
    assert "Søjlediagram" in description and f"{expected}" in description
    expect(table.locator(f'tr[data-month="{first}"] th')).to_contain_text(first[:4])
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_test_id("stats-csv").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert text.startswith("month,party,name,kind,consultations")
    assert f",{DEMO_PARTY}," in text
    context.close()


def test_the_admin_page_without_a_key_is_axe_clean(stack: Stack, nurse_browser: Browser) -> None:
    context = nurse_browser.new_context(bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/stats")
    expect(page.get_by_test_id("stats-key-input")).to_be_visible()
    page.get_by_test_id("stats-submit").click()  # no key: a field error, announced
    expect(page.get_by_role("alert")).to_contain_text("administratornøgle")
    assert axe_violations(page) == []
    context.close()
