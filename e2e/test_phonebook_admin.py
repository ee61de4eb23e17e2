"""The party's phonebook admin page (/{party}/admin/phonebook) in Chromium, by keyboard with the
demo admin key: register a system (its key shown once), use that key from outside to report a
presence and look it up, see the look-up in the page's audit, set the policy (an unknown party
refused by the field), delete the system and see its key refused. Danish, axe clean."""

from __future__ import annotations

import secrets
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_ADMIN_KEY, DEMO_PARTY, Stack
from e2e.a11y import assert_axe_clean

ADMIN = {"X-Admin-Key": DEMO_ADMIN_KEY}
LOOKUP = "/api/v1/phonebook/lookup"


def policy_url(stack: Stack) -> str:
    return f"{stack.bff_url}/api/v1/parties/{DEMO_PARTY}/phonebook/policy"


def open_with_key(page: Page, stack: Stack) -> None:
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/phonebook")
    expect(page.get_by_role("heading", name="Telefonbog, Københavns Kommune")).to_be_focused()
    page.get_by_test_id("phonebook-key-input").focus()
    page.keyboard.type(DEMO_ADMIN_KEY)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Tilmeld et system")).to_be_visible()


def system_calls() -> tuple[dict[str, Any], dict[str, Any]]:
    """A presence and a look-up of the same (made-up, valid) CPR number with the system's key."""
    person = {
        "kind": "cpr",
        "id": f"{secrets.randbelow(28) + 1:02d}0390-{secrets.randbelow(9000) + 1000}",
    }
    body = {
        "alias": f"e2e-pb-{secrets.token_hex(4)}@vdx.localhost",
        "person": person,
        "role": "guest",
        "display_name": "Bente Admintest",
    }
    return body, {"person": person}


def test_phonebook_admin_page(stack: Stack, nurse_browser: Browser) -> None:
    before = httpx.get(policy_url(stack), headers=ADMIN)
    assert before.status_code == 200, before.text
    context = nurse_browser.new_context(bypass_csp=True)  # axe is injected
    page = context.new_page()
    try:
        open_with_key(page, stack)
        assert_axe_clean(page, "opened")

        # Register a system that may report and look up, by keyboard.
        name = f"E2E lægeapp {secrets.token_hex(3)}"
        page.get_by_test_id("phonebook-system-name").focus()
        page.keyboard.type(name)
        page.keyboard.press("Tab")  # "melde" is checked already
        expect(page.get_by_test_id("phonebook-system-report")).to_be_focused()
        expect(page.get_by_test_id("phonebook-system-report")).to_be_checked()
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        expect(page.get_by_test_id("phonebook-system-lookup")).to_be_checked()
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        created = page.get_by_test_id("phonebook-created")
        expect(created).to_contain_text("Gem nøglen nu, den vises kun én gang")
        expect(page.get_by_role("heading", name=f"Nøgle til {name}")).to_be_focused()
        key = page.get_by_test_id("phonebook-new-key").input_value()
        assert key.startswith(f"pbk_{DEMO_PARTY}_"), key
        row = page.get_by_test_id("phonebook-system-row").filter(has_text=name)
        expect(row).to_contain_text("Ja")
        assert_axe_clean(page, "key shown")

        # The key works from outside: report a presence, look it up.
        system = {"X-System-Key": key}
        presence, lookup = system_calls()
        put = httpx.put(f"{stack.bff_url}/api/v1/phonebook/presence", json=presence, headers=system)
        assert put.status_code == 200, put.text
        found = httpx.post(stack.bff_url + LOOKUP, json=lookup, headers=system)
        assert found.status_code == 200, found.text
        assert found.json()["count"] == 1

        # After a reload (the key is kept in memory only) the look-up is in the audit.
        open_with_key(page, stack)
        audit = page.get_by_test_id("phonebook-audit-row").filter(has_text=name).first
        expect(audit.get_by_test_id("phonebook-audit-results")).to_have_text("1")
        expect(page.get_by_test_id("phonebook-audit")).not_to_contain_text(lookup["person"]["id"])
        expect(page.get_by_test_id("phonebook-created")).to_have_count(0)  # never shown again

        # The policy: an unknown party is refused by its field, then a valid one is saved.
        join = page.get_by_test_id("phonebook-policy-join")
        join.fill("region-midt, ingen-saadan-part")
        page.get_by_test_id("phonebook-policy-dial").fill("*")
        page.get_by_test_id("phonebook-policy-save").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("phonebook-policy-join-error")).to_contain_text(
            '"ingen-saadan-part": der findes ingen part'
        )
        expect(page.get_by_test_id("phonebook-message")).to_contain_text("Ugyldigt")
        assert_axe_clean(page, "policy refused")
        join.fill("region-midt")
        page.get_by_test_id("phonebook-policy-save").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("phonebook-message")).to_have_text("Reglerne er gemt.")
        saved = httpx.get(policy_url(stack), headers=ADMIN).json()
        assert saved["join_from"] == ["region-midt"]
        assert saved["move_from"] == []
        assert saved["dial_from"] == ["*"]

        # Delete the system (asked twice): its key is refused at once.
        row = page.get_by_test_id("phonebook-system-row").filter(has_text=name)
        row.get_by_test_id("phonebook-system-delete").focus()
        page.keyboard.press("Enter")
        expect(row.get_by_test_id("phonebook-system-delete-confirm")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_test_id("phonebook-message")).to_contain_text(f"{name} er slettet")
        expect(page.get_by_test_id("phonebook-system-row").filter(has_text=name)).to_have_count(0)
        refused = httpx.post(stack.bff_url + LOOKUP, json=lookup, headers=system)
        assert refused.status_code == 401, refused.text
        assert_axe_clean(page, "deleted")
    finally:
        context.close()
        httpx.put(policy_url(stack), json=before.json(), headers=ADMIN)  # as it was
