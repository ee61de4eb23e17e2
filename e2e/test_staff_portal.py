"""The staff portal `/{party}/staff` in Chromium, logging in through a real OpenID provider
(the npm package oidc-provider, devstack/oidc.py) as the party's broker would be: login,
today's meetings, book one (the citizen's SMS arrives), open it as host, cancel it; log out
(RP-initiated) and back-channel logout started at the broker; a cross-site form post refused.
Danish, keyboard usable, axe clean."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from devstack.oidc import (
    CLIENT_ID,
    OidcProvider,
    running_stack_with_login,
)
from devstack.stack import ROOT, Stack
from e2e.helpers import link_from_sms, outbox

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = "+4522334455"


@pytest.fixture(scope="module")
def idp_stack() -> Iterator[tuple[Stack, OidcProvider]]:
    with running_stack_with_login("bv-staff-") as running:
        yield running


@pytest.fixture
def context(nurse_browser: Browser) -> Iterator[BrowserContext]:
    # bypass_csp: only so that the test can inject axe-core; the app's own code runs as ever.
    ctx = nurse_browser.new_context(
        bypass_csp=True, locale="da-DK", timezone_id="Europe/Copenhagen"
    )
    yield ctx
    ctx.close()


def portal(stack: Stack) -> str:
    return f"{stack.bff_url}/kobenhavn/staff"


def log_in(
    page: Page, stack: Stack, account: str = "hanne", name: str = "Hanne Sygeplejerske"
) -> None:
    page.goto(portal(stack))
    login = page.get_by_test_id("staff-login")
    expect(login).to_be_visible()
    login.focus()
    page.keyboard.press("Enter")  # a link: the keyboard follows it
    page.get_by_test_id("idp-login").fill(account)
    page.get_by_test_id("idp-submit").click()
    expect(page).to_have_url(portal(stack))
    expect(page.get_by_test_id("staff-user")).to_contain_text(name)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    return list(
        page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']}))"
            ".violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))"
        )
    )


def test_staff_log_in_book_open_as_host_and_cancel(
    context: BrowserContext, idp_stack: tuple[Stack, OidcProvider]
) -> None:
    stack, _ = idp_stack
    page = context.new_page()
    page.goto(portal(stack))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Videomøder – Københavns Kommune")
    assert axe_violations(page) == []
    log_in(page, stack)
    expect(page.get_by_test_id("staff-no-meetings")).to_be_visible()
    # No token in the page, its storage or a readable cookie: the login is an HttpOnly cookie.
    assert "eyJ" not in page.content()
    assert page.evaluate("document.cookie") == ""
    staff_cookie = next(c for c in context.cookies() if c["name"] == "bv_staff")
    assert staff_cookie["httpOnly"] and staff_cookie["sameSite"] == "Strict"

    # Book by keyboard: type into the fields, Enter submits.
    page.get_by_test_id("staff-subject").fill("Opfølgning sag 4711")
    page.get_by_test_id("staff-citizen-name").fill("Karen Jensen")
    page.get_by_test_id("staff-citizen-phone").fill("22 33 44 55")
    page.get_by_test_id("staff-citizen-phone").press("Enter")
    expect(page.get_by_test_id("staff-done")).to_contain_text("er booket")
    item = page.get_by_test_id("staff-meeting")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Opfølgning sag 4711")
    expect(item).to_contain_text("Karen Jensen")
    sms = next(sms for sms in outbox(stack, PHONE) if "/kobenhavn/j/" in sms["message"])
    assert axe_violations(page) == []
    # The citizen is told whom she meets: the nurse who booked it.
    citizen = context.browser.new_context().new_page()  # type: ignore[union-attr]
    citizen.goto(link_from_sms(sms["message"]))
    expect(citizen.get_by_text("Med Hanne Sygeplejerske")).to_be_visible(timeout=20_000)
    citizen.context.close()

    # Open as host: a host grant made for me; the meeting's preflight opens.
    item.get_by_test_id("staff-open-host").click()
    expect(page).to_have_url(f"{stack.bff_url}/kobenhavn/")
    expect(page.get_by_test_id("join-button")).to_be_visible(timeout=20_000)
    config = page.evaluate("JSON.parse(document.getElementById('bv-config').textContent)")
    assert config["grant"]["role"] == "host"
    assert config["grant"]["displayName"] == "Hanne Sygeplejerske"
    assert config["grant"]["meeting"]["host"] == "Hanne Sygeplejerske"
    expect(page.get_by_text("Med Hanne Sygeplejerske")).to_have_count(0)  # not with herself

    # Back in the portal (still logged in), cancel: asked twice, by keyboard.
    page.goto(portal(stack))
    item = page.get_by_test_id("staff-meeting")
    item.get_by_test_id("staff-cancel").focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_test_id("staff-cancel-confirm")
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("staff-done")).to_contain_text("er aflyst")
    expect(item).to_have_attribute("data-status", "cancelled")
    assert axe_violations(page) == []

    # Another day: a week ahead has no meetings; a booking there brings the list along.
    week_ahead = (datetime.now(ZoneInfo("Europe/Copenhagen")) + timedelta(days=7)).date()
    page.get_by_test_id("staff-shown-day").fill(week_ahead.isoformat())
    expect(page.get_by_test_id("staff-no-meetings")).to_be_visible()
    page.get_by_test_id("staff-subject").fill("Ugen efter")
    booked_day = (week_ahead + timedelta(days=1)).isoformat()
    page.get_by_test_id("staff-date").fill(booked_day)
    page.get_by_test_id("staff-time").fill("10:00")
    page.get_by_test_id("staff-citizen-name").fill("Karen Jensen")
    page.get_by_test_id("staff-book-submit").click()
    expect(page.get_by_test_id("staff-shown-day")).to_have_value(booked_day)
    expect(page.get_by_test_id("staff-meeting")).to_contain_text("kl. 10.00")


def test_log_out_here_and_at_the_broker(
    context: BrowserContext, idp_stack: tuple[Stack, OidcProvider]
) -> None:
    stack, idp = idp_stack
    page = context.new_page()
    log_in(page, stack)
    page.get_by_test_id("staff-logout").click()
    # RP-initiated logout: the broker asks, then sends the browser back to the portal.
    expect(page).to_have_url(re.compile(rf"^{re.escape(idp.issuer)}/session/end"))
    page.get_by_test_id("idp-logout-confirm").click()
    expect(page).to_have_url(portal(stack))
    expect(page.get_by_test_id("staff-login")).to_be_visible()
    assert not [c for c in context.cookies() if c["name"] == "bv_staff" and c["value"]]


def test_back_channel_logout_from_the_broker_ends_the_portal_login(
    context: BrowserContext, idp_stack: tuple[Stack, OidcProvider]
) -> None:
    stack, idp = idp_stack
    page = context.new_page()
    log_in(page, stack)
    api = f"{stack.bff_url}/api/staff/v1/parties/kobenhavn/session"
    assert page.request.get(api).status == 200
    # The person logs out at the broker (from another application): the broker posts a
    # logout token to the BFF, which ends this login though the browser never came back.
    page.goto(f"{idp.issuer}/session/end?client_id={CLIENT_ID}")
    page.get_by_test_id("idp-logout-confirm").click()
    expect(page.get_by_test_id("idp-logged-out")).to_be_visible()
    assert "back-channel logout sent to borgervideo-kobenhavn" in idp.log(), idp.log()
    assert page.request.get(api).status == 401
    for _ in range(50):  # the BFF's log is written by a queue: a moment later
        if "back-channel logout party=kobenhavn sessions_ended=1" in stack.bff.log():
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the BFF did not log the back-channel logout")
    page.goto(portal(stack))
    expect(page.get_by_test_id("staff-login")).to_be_visible()


def attack_page(target: str) -> str:
    """A page on another origin that posts a booking to the portal's API by itself."""
    return f"""<!doctype html><html lang="en"><head><title>Win a prize</title></head><body>
<form id="f" method="post" action="{target}" enctype="text/plain">
<input type="hidden" name='{{"subject":"Forged","start":"2030-01-01T10:00:00Z","x":"' value='"}}'>
</form><script>document.getElementById('f').submit()</script></body></html>"""


@pytest.mark.parametrize("attacker", ["http://evil.example", "http://127.0.0.1:{port}"])
def test_a_cross_site_form_post_is_refused(
    context: BrowserContext, idp_stack: tuple[Stack, OidcProvider], attacker: str
) -> None:
    stack, _ = idp_stack
    page = context.new_page()
    log_in(page, stack)
    # Another site, and the same host on another port (same site: the cookie goes along,
    # so the BFF's origin check is what refuses it).
    origin = attacker.format(port=stack.emulator_url.rsplit(":", 1)[1])
    target = f"{stack.bff_url}/api/staff/v1/parties/kobenhavn/meetings"
    page.route(
        f"{origin}/prize",
        lambda route: route.fulfill(status=200, content_type="text/html", body=attack_page(target)),
    )

    def posted(response: Response) -> bool:  # not the portal's own GET of the day's list
        return response.url == target and response.request.method == "POST"

    with page.expect_response(posted) as answer:
        page.goto(f"{origin}/prize")
    status = answer.value.status
    assert status in (401, 403)
    if "127.0.0.1" in origin:
        assert status == 403
        assert "cross-site request refused" in answer.value.text()
    day = page.request.get(target)
    assert day.status == 200
    assert all(m["subject"] != "Forged" for m in day.json()["meetings"])


def test_machine_token_books_through_the_running_bff(
    idp_stack: tuple[Stack, OidcProvider],
) -> None:
    stack, idp = idp_stack
    token = idp.machine_token("eoj-nexus")
    start = datetime.now(UTC) + timedelta(days=2)
    body = {
        "subject": "Fra fagsystemet",
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=30)).isoformat(),
        "guests": [{"display_name": "Borger"}],
    }
    created = httpx.post(
        f"{stack.bff_url}/api/v1/meetings", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert created.status_code == 201, created.text
    reader = idp.machine_token("eoj-reader")
    refused = httpx.post(
        f"{stack.bff_url}/api/v1/meetings", json=body, headers={"Authorization": f"Bearer {reader}"}
    )
    assert refused.status_code == 403


def test_an_administrators_login_opens_the_admin_pages_without_a_key(
    context: BrowserContext, idp_stack: tuple[Stack, OidcProvider]
) -> None:
    stack, _ = idp_stack
    page = context.new_page()
    log_in(page, stack, "ida", "Ida Administrator")
    expect(page.get_by_test_id("staff-no-role")).to_be_visible()  # no meetings for admins
    page.get_by_role("link", name="Plugins").click()
    expect(page.get_by_test_id("admin-login")).to_contain_text("Ida Administrator")
    expect(page.get_by_test_id("plugin-admin-list")).to_be_visible()
    expect(page.get_by_test_id("plugins-key-input")).to_have_count(0)
    assert axe_violations(page) == []
    page.goto(f"{stack.bff_url}/kobenhavn/admin/stats")
    expect(page.get_by_test_id("admin-login")).to_contain_text("Ida Administrator")
    page.get_by_test_id("stats-submit").click()
    expect(page.get_by_test_id("stats-result")).to_be_visible()


def test_a_nurse_sees_her_own_meetings_her_team_without_names_and_a_scheduler_the_day(
    nurse_browser: Browser, idp_stack: tuple[Stack, OidcProvider]
) -> None:
    stack, idp = idp_stack
    day = (datetime.now(ZoneInfo("Europe/Copenhagen")) + timedelta(days=20)).date()
    # The case system books one naming Mette (her login's `sub`) as host.
    start = datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Europe/Copenhagen"))
    body = {
        "subject": "Mettes besøg",
        "start": start.isoformat(),
        "host_staff_id": "mette",
        "end": (start + timedelta(minutes=30)).isoformat(),
        "team": "nord",
        "guests": [{"display_name": "Ole Hansen"}],
    }
    case_system = {"Authorization": f"Bearer {idp.machine_token('eoj-nexus')}"}
    created = httpx.post(f"{stack.bff_url}/api/v1/meetings", json=body, headers=case_system)
    assert created.status_code == 201, created.text

    def logged_in(account: str, name: str) -> Page:
        ctx = nurse_browser.new_context(
            bypass_csp=True, locale="da-DK", timezone_id="Europe/Copenhagen"
        )
        page = ctx.new_page()
        log_in(page, stack, account, name)
        page.get_by_test_id("staff-shown-day").fill(day.isoformat())
        return page

    hanne = logged_in("hanne", "Hanne Sygeplejerske")
    expect(hanne.get_by_test_id("staff-no-meetings")).to_be_visible()  # not Mette's
    hanne.get_by_test_id("staff-subject").fill("Hannes besøg")
    hanne.get_by_test_id("staff-date").fill(day.isoformat())
    hanne.get_by_test_id("staff-time").fill("11:00")
    hanne.get_by_test_id("staff-citizen-name").fill("Karen Jensen")
    hanne.get_by_test_id("staff-book-submit").click()
    expect(hanne.get_by_test_id("staff-done")).to_contain_text("er booket")
    expect(hanne.get_by_test_id("staff-meeting")).to_have_count(1)
    expect(hanne.get_by_test_id("staff-meeting")).to_contain_text("Karen Jensen")
    hanne.context.close()

    mette = logged_in("mette", "Mette Sygeplejerske")
    mine = mette.get_by_test_id("staff-meeting")
    expect(mine).to_have_count(1)  # only hers: named as host by the case system
    expect(mine).to_contain_text("Mettes besøg")
    expect(mine).to_contain_text("Ole Hansen")
    expect(mine.get_by_test_id("staff-open-host")).to_be_visible()
    mette.get_by_test_id("staff-scope").select_option("team")
    team = mette.get_by_test_id("staff-meeting")
    expect(team).to_have_count(2)
    colleague = team.filter(has_text="Hannes besøg")
    expect(colleague).to_contain_text("1 borger")
    expect(colleague).not_to_contain_text("Karen")  # no names outside her own meetings
    expect(colleague.get_by_test_id("staff-cancel")).to_have_count(0)
    expect(colleague.get_by_test_id("staff-meeting-owner")).to_contain_text("team nord")
    expect(mette.get_by_test_id("staff-scope").locator("option[value=party]")).to_have_count(0)
    assert axe_violations(mette) == []
    mette.context.close()

    lise = logged_in("lise", "Lise Planlægger")
    expect(lise.get_by_test_id("staff-no-meetings")).to_be_visible()
    lise.get_by_test_id("staff-scope").select_option("party")
    everyone = lise.get_by_test_id("staff-meeting")
    expect(everyone).to_have_count(2)
    expect(everyone.filter(has_text="Hannes besøg")).to_contain_text("Karen Jensen")
    expect(everyone.filter(has_text="Mettes besøg").get_by_test_id("staff-cancel")).to_be_visible()
    assert axe_violations(lise) == []
    lise.context.close()
