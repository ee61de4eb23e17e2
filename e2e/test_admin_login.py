"""The party administrator's devices and branding pages with the staff login instead of a typed
admin key, in Chromium, logging in through a real OpenID provider (the npm package
oidc-provider, devstack/oidc.py; account `ida` has the broker role mapped to
`party_admin`). Without a login the page says so and links to the login, which brings the
administrator back to the page; with it the page opens at once, and every request goes with
the login's cookie (and X-CSRF-Token for changes, the branding upload's XMLHttpRequest too),
never with a key. The key pages themselves: e2e/test_devices.py, e2e/test_branding.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, expect

from devstack.device_sim import SimDevice
from devstack.oidc import (
    OidcProvider,
    running_stack_with_login,
)
from devstack.stack import (
    DEMO_ADMIN_KEY,
    DEMO_API_KEY,
    DEMO_PARTY,
    ROOT,
    Stack,
)
from e2e.test_branding import branding_zip

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ADMIN = {"X-Admin-Key": DEMO_ADMIN_KEY}
ADMIN_NAME = "Ida Administrator"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture(scope="module")
def idp_stack() -> Iterator[tuple[Stack, OidcProvider]]:
    with running_stack_with_login("bv-admin-login-") as running:
        yield running


@pytest.fixture(scope="module")
def stack(idp_stack: tuple[Stack, OidcProvider]) -> Stack:
    return idp_stack[0]  # named `stack`: conftest prints its logs when a test fails


@pytest.fixture
def context(nurse_browser: Browser) -> Iterator[BrowserContext]:
    # bypass_csp: only so that the test can inject axe-core; the app's own code runs as ever.
    ctx = nurse_browser.new_context(
        bypass_csp=True, locale="da-DK", viewport={"width": 1280, "height": 900}
    )
    yield ctx
    ctx.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    return list(
        page.evaluate(
            # The framed previews are the citizen's own pages, checked by their own tests.
            "async () => (await axe.run(document, {resultTypes: ['violations'], iframes: false}))"
            ".violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))"
        )
    )


def sign_in_at_the_provider(page: Page, account: str = "ida") -> None:
    page.get_by_test_id("idp-login").fill(account)
    page.get_by_test_id("idp-submit").click()


def admin_requests(page: Page) -> list[Request]:
    """Every request the page makes to the party's admin API, from now on."""
    seen: list[Request] = []
    page.on(
        "requestfinished",
        lambda request: (
            seen.append(request) if f"/api/v1/parties/{DEMO_PARTY}/" in request.url else None
        ),
    )
    return seen


def assert_sent_with_the_login(requests: list[Request]) -> None:
    """No key anywhere; the login's cookie on every request, its CSRF token on every change."""
    assert requests, "the page made no admin request"
    for request in requests:
        headers = request.all_headers()
        where = f"{request.method} {request.url}"
        assert "x-admin-key" not in headers, where
        assert "bv_staff=" in headers.get("cookie", ""), where
        if request.method in UNSAFE:
            assert len(headers.get("x-csrf-token", "")) >= 32, where


def api_devices(stack: Stack) -> list[dict[str, Any]]:
    answer = httpx.get(f"{stack.bff_url}/api/v1/devices", headers={"X-API-Key": DEMO_API_KEY})
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def branding_state(stack: Stack) -> dict[str, Any]:
    answer = httpx.get(f"{stack.bff_url}/api/v1/parties/{DEMO_PARTY}/branding", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def restore_default_branding(stack: Stack) -> None:
    state = branding_state(stack)
    if state["active"] != 0:
        answer = httpx.post(
            f"{stack.bff_url}/api/v1/parties/{DEMO_PARTY}/branding/0/activate",
            headers={**ADMIN, "If-Match": f'"{state["revision"]}"'},
        )
        assert answer.status_code == 200, answer.text


def test_devices_page_logs_in_comes_back_and_works_with_the_login(
    context: BrowserContext, stack: Stack
) -> None:
    page = context.new_page()
    devices_page = f"{stack.bff_url}/{DEMO_PARTY}/admin/devices"
    page.goto(devices_page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Skærme hos borgere")
    # No login: it says so, offers the login, and keeps the key as the fallback.
    expect(page.get_by_test_id("admin-no-login")).to_contain_text(
        "ikke logget ind som administrator"
    )
    expect(page.get_by_test_id("devices-key-input")).to_be_visible()
    expect(page.get_by_test_id("admin-login")).to_have_count(0)
    assert axe_violations(page) == []

    login = page.get_by_role("link", name="Log ind")
    expect(login).to_have_attribute(
        "href", f"/{DEMO_PARTY}/staff/login?next=%2F{DEMO_PARTY}%2Fadmin%2Fdevices"
    )
    requests = admin_requests(page)
    login.focus()
    page.keyboard.press("Enter")  # a link: the keyboard follows it
    sign_in_at_the_provider(page)
    # Back on the devices page, which opens at once: no key field, the list is there.
    expect(page).to_have_url(devices_page)
    expect(page.get_by_test_id("admin-login")).to_have_text(f"Logget ind som {ADMIN_NAME}")
    expect(page.get_by_role("heading", name=re.compile(r"Tilmeldte skærme"))).to_be_visible()
    expect(page.get_by_test_id("devices-key-input")).to_have_count(0)
    assert axe_violations(page) == []

    # A code made here (a POST with the login) enrols a tablet, which the list then shows.
    label = "Stue 7, login"
    page.get_by_test_id("device-label-input").fill(label)
    page.get_by_test_id("make-code").click()
    code = page.get_by_test_id("enrolment-code")
    expect(code).to_have_text(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    tablet = SimDevice(stack.bff_url)
    assert tablet.enrol(code.inner_text()).status_code == 201
    page.get_by_test_id("devices-refresh").click()
    row = page.get_by_test_id("admin-device-item").filter(has_text=label)
    expect(row).to_contain_text("offline")
    # Switched off here (a PATCH): the server has it off.
    row.get_by_test_id("admin-device-toggle").click()
    expect(page.get_by_test_id("devices-message")).to_have_text(f"{label} er slået fra.")
    expect(row).to_contain_text("slået fra")
    device = next(d for d in api_devices(stack) if d["id"] == tablet.device_id)
    assert device["label"] == label and device["enabled"] is False
    methods = {request.method for request in requests}
    assert {"GET", "POST", "PATCH"} <= methods, methods
    assert_sent_with_the_login(requests)


def test_branding_from_the_portal_with_the_login_uploads_previews_and_activates(
    context: BrowserContext, stack: Stack, tmp_path: Path
) -> None:
    restore_default_branding(stack)
    package = tmp_path / "aarhus-branding.zip"
    package.write_bytes(branding_zip())
    page = context.new_page()
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/staff")
    page.get_by_test_id("staff-login").click()
    sign_in_at_the_provider(page)
    expect(page.get_by_test_id("staff-user")).to_contain_text(ADMIN_NAME)
    requests = admin_requests(page)
    admin_nav = page.get_by_role("navigation", name="Administration")
    for name in ("Statistik", "Plugins", "Enheder", "Branding", "Telefonbog"):
        expect(admin_nav.get_by_role("link", name=name)).to_be_visible()
    admin_nav.get_by_role("link", name="Branding").click()

    expect(page).to_have_url(f"{stack.bff_url}/{DEMO_PARTY}/admin/branding")
    expect(page.get_by_test_id("admin-login")).to_have_text(f"Logget ind som {ADMIN_NAME}")
    expect(page.get_by_test_id("branding-active")).to_have_attribute("data-version", "0")
    expect(page.get_by_test_id("branding-key-input")).to_have_count(0)
    expect(page.get_by_test_id("admin-no-login")).to_have_count(0)
    assert axe_violations(page) == []

    # The upload (an XMLHttpRequest, for its progress) goes with the login too, then the
    # preview; nothing is active yet.
    page.get_by_test_id("branding-file-input").set_input_files(str(package))
    page.get_by_test_id("branding-upload").click()
    expect(page.get_by_test_id("branding-message")).to_contain_text("gemt som version")
    frame = page.frame_locator('[data-testid="branding-preview-frame"]')
    expect(frame.get_by_role("img", name="Aarhus Kommune")).to_be_visible()
    uploaded = branding_state(stack)
    assert uploaded["active"] == 0
    newest = uploaded["versions"][0]
    # recorded by pseudonym, never the administrator's name (issue 19)
    assert newest["version"] > 0 and newest["by"].startswith("admin:")
    try:
        page.get_by_test_id("branding-activate-preview").click()
        expect(page.get_by_test_id("branding-message")).to_contain_text(
            f"Version {newest['version']} er aktiv"
        )
        expect(page.get_by_test_id("branding-active")).to_have_attribute(
            "data-version", str(newest["version"])
        )
        active = branding_state(stack)
        assert active["active"] == newest["version"] and active["activatedBy"] == newest["by"]
        # What citizens get now: the party's start page carries the package.
        citizen = context.new_page()
        citizen.goto(f"{stack.bff_url}/{DEMO_PARTY}/")
        expect(citizen).to_have_title("Aarhus Kommune – videomøde")
        citizen.close()

        # Back to the installation's default, by keyboard.
        page.get_by_test_id("branding-activate-0").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("branding-active")).to_have_attribute("data-version", "0")
        assert branding_state(stack)["active"] == 0
    finally:
        restore_default_branding(stack)
    methods = {request.method for request in requests}
    assert {"GET", "POST"} <= methods, methods
    uploads = [r for r in requests if r.method == "POST" and r.url.endswith("?activate=false")]
    assert len(uploads) == 1
    assert_sent_with_the_login(requests)


def test_admin_pages_share_navigation_log_out_and_the_staff_support_line(
    context: BrowserContext, stack: Stack, idp_stack: tuple[Stack, OidcProvider]
) -> None:
    idp = idp_stack[1]
    page = context.new_page()
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/stats")
    footer = page.locator("footer")
    # The staff's own support, not the citizens' hotline (branding/kobenhavn/party.json).
    expect(page.get_by_test_id("staff-support")).to_contain_text("33 17 30 00")
    expect(page.get_by_test_id("staff-support")).to_contain_text("borgervideo-support@kk.example")
    expect(footer).not_to_contain_text("33 66 33 66")
    expect(page.get_by_test_id("party-contact")).to_have_count(0)
    expect(page.get_by_test_id("admin-logout")).to_have_count(0)  # no login yet
    page.get_by_role("link", name="Log ind").click()
    sign_in_at_the_provider(page)
    nav = page.get_by_test_id("admin-nav")
    expect(nav.get_by_role("link")).to_have_count(5)
    expect(nav.get_by_role("link", name="Statistik")).to_have_attribute("aria-current", "page")
    for name, path, heading in (
        ("Plugins", "plugins", "plugin-admin-list"),
        ("Enheder", "devices", "admin-login"),
        ("Telefonbog", "phonebook", "admin-login"),
        ("Branding", "branding", "admin-login"),
    ):
        nav.get_by_role("link", name=name).click()
        expect(page).to_have_url(f"{stack.bff_url}/{DEMO_PARTY}/admin/{path}")
        expect(page.get_by_test_id(heading).first).to_be_visible()
        expect(nav.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")
        expect(page.get_by_test_id("staff-support")).to_be_visible()
    assert axe_violations(page) == []
    # "Log ud": the login ends here and at the broker (RP-initiated), back to the portal.
    page.get_by_test_id("admin-logout").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(idp.issuer)}/session/end"))
    page.get_by_test_id("idp-logout-confirm").click()
    expect(page).to_have_url(f"{stack.bff_url}/{DEMO_PARTY}/staff")
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/stats")
    expect(page.get_by_test_id("admin-no-login")).to_be_visible()
