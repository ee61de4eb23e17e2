"""Joining a VDX room by address and typed PIN, as someone without a Borgervideo link does."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_PARTY, Stack
from e2e.helpers import create_vdx_room

HOST_PIN, GUEST_PIN = 52718364, 61829475


@pytest.fixture
def room(stack: Stack) -> dict[str, object]:
    """A room of each test's own: a host who just left another test's room may still be on
    the node for a moment, and would let a guest past the lobby."""
    return create_vdx_room(stack, HOST_PIN, GUEST_PIN)


def open_room(page: Page, stack: Stack, alias: str, name: str) -> None:
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/m/{quote(alias)}")
    page.get_by_test_id("display-name-input").fill(name)
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("pin-screen")).to_be_visible(timeout=15_000)


def enter_pin(page: Page, pin: str) -> None:
    page.get_by_test_id("pin-input").fill(pin)
    page.get_by_test_id("pin-submit").click()


def roles(stack: Stack, alias: str) -> dict[str, str]:
    """Display name → role of everyone the node has in the room."""
    rooms = httpx.get(f"{stack.emulator_url}/emulator/rooms").json()
    participants = next(room["participants"] for room in rooms if room["alias"] == alias)
    return {p["display_name"]: p["role"] for p in participants}


def test_wrong_pin_is_refused_and_host_pin_admits_host(
    stack: Stack, nurse_browser: Browser, room: dict[str, object]
) -> None:
    alias = str(room["uriWithDomain"])
    context = nurse_browser.new_context()
    page = context.new_page()
    open_room(page, stack, alias, "Læge Mads")
    enter_pin(page, "1111")
    expect(page.get_by_test_id("pin-error")).to_be_visible()
    expect(page.get_by_test_id("in-call")).to_have_count(0)
    assert "Læge Mads" not in roles(stack, alias)

    enter_pin(page, str(HOST_PIN))
    expect(page.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    assert roles(stack, alias)["Læge Mads"] == "HOST"
    page.get_by_test_id("leave-button").click()
    expect(page.get_by_test_id("call-ended")).to_be_visible()
    context.close()


def test_guest_pin_admits_guest(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser, room: dict[str, object]
) -> None:
    alias = str(room["uriWithDomain"])
    context = citizen_browser.new_context()
    page = context.new_page()
    open_room(page, stack, alias, "Pårørende Lise")
    enter_pin(page, str(GUEST_PIN))
    # No host yet: the node holds the guest in the lobby.
    expect(page.get_by_test_id("lobby")).to_be_visible(timeout=20_000)
    assert roles(stack, alias)["Pårørende Lise"] == "GUEST"

    host_context = nurse_browser.new_context()
    host = host_context.new_page()
    open_room(host, stack, alias, "Læge Mads")
    enter_pin(host, str(HOST_PIN))
    expect(host.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    expect(page.get_by_test_id("in-call")).to_have_attribute("data-role", "guest", timeout=20_000)
    assert roles(stack, alias)["Pårørende Lise"] == "GUEST"
    host_context.close()
    context.close()
