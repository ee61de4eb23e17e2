"""The party's plugin admin page (/{party}/admin/plugins) in Chromium: the admin key, switch a
plugin on, its settings form from the schema with inline errors, reorder, save, a stale
save, history and rollback; Danish, by keyboard, axe clean (axe-core from npm, injected)."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_ADMIN_KEY, DEMO_PARTY, ROOT, Stack

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ADMIN = {"X-Admin-Key": DEMO_ADMIN_KEY}


def api(stack: Stack) -> str:
    return f"{stack.bff_url}/api/v1/parties/{DEMO_PARTY}/plugins"


def current(stack: Stack) -> dict[str, Any]:
    answer = httpx.get(api(stack), headers=ADMIN)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def put(stack: Stack, plugins: list[dict[str, Any]]) -> dict[str, Any]:
    version = current(stack)["version"]
    answer = httpx.put(
        api(stack), json={"plugins": plugins}, headers={**ADMIN, "If-Match": f'"{version}"'}
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, nodes: v.nodes.map(n => n.target)}))"
    )
    return list(found)


def item(page: Page, plugin_id: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-testid="plugin-admin-item"][data-plugin-id="{plugin_id}"]')


def test_admin_page_by_keyboard(stack: Stack, nurse_browser: Browser) -> None:
    put(stack, [{"id": "sms-invite"}])
    start = current(stack)["version"]
    context = nurse_browser.new_context(bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/plugins")
    expect(page.get_by_role("heading", name="Plugins for Københavns Kommune")).to_be_focused()
    assert axe_violations(page) == []

    key = page.get_by_test_id("plugins-key-input")
    key.focus()
    page.keyboard.type("forkert-nøgle")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("plugins-message")).to_contain_text("Nøglen blev ikke godkendt")
    key.fill("")
    key.focus()
    page.keyboard.type(DEMO_ADMIN_KEY)
    page.keyboard.press("Enter")
    items = page.get_by_test_id("plugin-admin-item")
    expect(items.first).to_have_attribute("data-plugin-id", "sms-invite")
    expect(item(page, "sms-invite").get_by_test_id("plugin-enabled")).to_be_checked()
    interpreter = item(page, "interpreter")
    expect(interpreter.get_by_test_id("plugin-enabled")).not_to_be_checked()
    assert axe_violations(page) == []

    # Switch the interpreter on and save without its required address: an inline error.
    interpreter.get_by_test_id("plugin-enabled").focus()
    page.keyboard.press("Space")
    expect(interpreter.get_by_test_id("plugin-enabled")).to_be_checked()
    page.get_by_test_id("plugins-save").focus()
    page.keyboard.press("Enter")
    destination = interpreter.get_by_test_id("setting-interpreter-destination")
    expect(destination).to_have_attribute("aria-invalid", "true")
    expect(destination).to_be_focused()
    expect(interpreter.get_by_role("alert")).to_have_text("Skal udfyldes.")
    assert axe_violations(page) == []
    assert current(stack)["version"] == start  # nothing was sent

    page.keyboard.type("tolk@tolk.vdx.localhost")
    expect(destination).not_to_have_attribute("aria-invalid", "true")
    interpreter.get_by_test_id("setting-interpreter-protocol").select_option(label="h323")
    # Move it to the top by keyboard: focus stays on the moved plugin's button.
    interpreter.get_by_test_id("plugin-move-up").focus()
    page.keyboard.press("Enter")
    expect(items.first).to_have_attribute("data-plugin-id", "interpreter")
    expect(item(page, "interpreter").get_by_test_id("plugin-move-down")).to_be_focused()
    page.get_by_test_id("plugins-save").click()
    expect(page.get_by_test_id("plugins-message")).to_contain_text(f"Gemt som version {start + 1}")
    saved = current(stack)
    assert [(p["id"], p["enabled"]) for p in saved["plugins"]] == [
        ("interpreter", True),
        ("sms-invite", True),
    ]
    assert saved["plugins"][0]["settings"] == {
        "destination": "tolk@tolk.vdx.localhost",
        "protocol": "h323",
    }
    assert saved["by"] == "demo"

    # Someone else saves meanwhile: this page's next save is refused, nothing is lost.
    put(stack, saved["plugins"][:1])
    item(page, "sms-invite").get_by_test_id("plugin-enabled").uncheck()
    page.get_by_test_id("plugins-save").click()
    expect(page.get_by_test_id("plugins-message")).to_contain_text("En anden har ændret")
    assert current(stack)["version"] == start + 2

    # Read it again (the key is still in memory), then history and rollback.
    page.get_by_test_id("plugins-reload").click()
    expect(item(page, "sms-invite")).to_have_count(1)
    expect(page.get_by_test_id("plugins-reload")).to_have_count(0)
    rows = page.get_by_test_id("plugins-history-row")
    expect(rows.first).to_contain_text(str(start + 2))
    page.get_by_test_id(f"plugins-rollback-{start + 1}").click()
    expect(page.get_by_test_id("plugins-message")).to_contain_text(
        f"Version {start + 1} er gendannet som version {start + 3}"
    )
    after = current(stack)
    assert after["version"] == start + 3
    assert after["plugins"] == saved["plugins"]
    assert axe_violations(page) == []
    put(stack, [])
    context.close()


def test_a_second_same_origin_plugin_needs_the_admins_acceptance(
    stack: Stack, nurse_browser: Browser
) -> None:
    """Issue 19: the page says plainly that plugins with allow-same-origin can read each
    other; a second grant is refused until the administrator ticks that they accept it."""
    put(stack, [{"id": "sms-invite", "sandboxValues": ["allow-same-origin"]}])
    context = nurse_browser.new_context(bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/plugins")
    page.get_by_test_id("plugins-key-input").fill(DEMO_ADMIN_KEY)
    page.get_by_test_id("plugins-key-submit").click()
    notice = page.get_by_test_id("plugins-shared-origin")
    expect(notice).to_contain_text("kan de læse hinandens vinduer, gemte data og plugin-nøgler")
    expect(page.get_by_test_id("plugins-shared-origin-accept")).to_have_count(0)  # one only

    phonebook = item(page, "phonebook")
    phonebook.get_by_test_id("plugin-enabled").check()
    phonebook.get_by_label("Egen oprindelse (allow-same-origin)").check()
    accept = page.get_by_test_id("plugins-shared-origin-accept")
    expect(accept).not_to_be_checked()
    page.get_by_test_id("plugins-save").click()
    expect(phonebook.get_by_test_id("plugin-error")).to_contain_text("read each other's")
    assert current(stack)["sharedOriginAccepted"] is False
    assert axe_violations(page) == []

    accept.check()
    page.get_by_test_id("plugins-save").click()
    expect(page.get_by_test_id("plugins-message")).to_contain_text("Gemt som version")
    saved = current(stack)
    assert saved["sharedOriginAccepted"] is True
    assert {p["id"] for p in saved["plugins"] if "allow-same-origin" in p["sandboxValues"]} == {
        "sms-invite",
        "phonebook",
    }
    expect(page.get_by_test_id("plugins-shared-origin-accept")).to_be_checked()
    context.close()
    put(stack, [])
