"""Plugins are kept in their box: a hostile plugin (e2e/plugin_fixtures/hostile) cannot read
the session cookie or the page, navigate the page away, use another plugin's channel or act
before its handshake; only iframes the host made are heard; a plugin's UI goes with its
iframe. And the plugin host is only downloaded where the party has plugins for the role."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from devstack.stack import ROOT, Stack
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.plugin_host_support import Records, plugin_frame, plugin_stack, set_party_plugins
from e2e.test_citizen_call import PHONE


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with plugin_stack() as running:
        yield running


def toolbar_buttons(page: Page, name: str) -> Any:
    return page.get_by_role("toolbar", name="Mødeknapper").get_by_role("button", name=name)


def replies_to(record: dict[str, Any], call_id: str) -> list[Any]:
    """What the hostile plugin's window received in answer to one of its calls."""
    return [
        m["data"]["payload"]
        for m in record["events"].get("message", [])
        if isinstance(m.get("data"), dict) and m["data"].get("replyTo") == call_id
    ]


def room_locked(stack: Stack) -> bool:
    rooms = httpx.get(f"{stack.emulator_url}/emulator/rooms").json()
    return any(room["locked"] for room in rooms)


@pytest.mark.parametrize(
    "sandbox",
    [[], ["allow-same-origin", "allow-forms", "allow-popups"]],
    ids=["opaque-origin", "plugin-origin"],
)
def test_hostile_plugin_stays_in_its_box(
    stack: Stack, nurse_browser: Browser, sandbox: list[str]
) -> None:
    set_party_plugins(
        stack,
        [
            {"id": "bv-conformance", "roles": ["host"]},
            {"id": "bv-hostile", "roles": ["host"], "sandboxValues": sandbox},
        ],
    )
    meeting = book_meeting(stack)
    context = nurse_browser.new_context(viewport={"width": 1280, "height": 800})
    records = Records(context)
    page = context.new_page()
    page.goto(launch_url(stack, launch_token(meeting.id)))
    app_url = page.url
    session = next(c for c in context.cookies() if c["name"].endswith("bv_session"))

    hostile = records.phase(page, "hostile", "ready")
    records.phase(page, "conformance", "registered")
    iframe = page.locator('iframe[data-plugin-id="bv-hostile"]')
    expect(iframe).to_have_attribute("sandbox", " ".join(["allow-scripts", *sandbox]))
    assert stack.plugin_url and iframe.get_attribute("src", timeout=1000).startswith(
        stack.plugin_url
    )

    # Nothing of the app's: not the session cookie, not the page, not its storage.
    assert session["value"] not in json.dumps(hostile)
    replies = hostile["replies"]
    cookie = replies["cookie"]
    assert cookie in ({"threw": "SecurityError"}, {"ok": ""}), cookie
    for attempt in ("parent-document", "parent-body", "top-cookie", "parent-location-read"):
        assert replies[attempt] == {"threw": "SecurityError"}, (attempt, replies[attempt])
    # Not the top window's address either.
    assert page.url == app_url
    assert page.get_by_test_id("self-view").is_visible()

    # Before its handshake nothing it sent counted, and nothing was answered.
    for call_id in ("early-1", "early-2", "early-3"):
        assert replies_to(hostile, call_id) == []
    expect(toolbar_buttons(page, "Tidlig")).to_have_count(0)
    expect(page.get_by_text("Tidlig besked")).to_have_count(0)
    # It cannot register as another plugin, nor as a widget.
    [other] = replies_to(hostile, "syn-other")
    assert other["ack"] is False and "bv-hostile" in other["reason"]
    [widget] = replies_to(hostile, "syn-widget")
    assert widget["ack"] is False and "Not a widget" in widget["reason"]
    # Within its own rights it works; a javascript: widget is refused.
    assert replies["own-button"] == "ok"
    assert "http" in replies["widget-javascript"]["rejected"]["reason"]

    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    records.phase(page, "conformance", "host-ready")
    expect(toolbar_buttons(page, "Fjendtlig")).to_have_count(1)

    # Another plugin's channel, used from the hostile frame: ignored, and never answered.
    victim = records.get("conformance")["chanId"]
    assert victim and victim.startswith("bv-conformance-")
    plugin_frame(page, "bv-hostile").evaluate("chanId => attack(chanId)", victim)
    hostile = records.phase(page, "hostile", "attacked")
    for call_id in ("steal-1", "steal-2", "steal-3"):
        assert replies_to(hostile, call_id) == []
    [stolen] = replies_to(hostile, "steal-4")
    assert stolen["ack"] is False
    expect(toolbar_buttons(page, "Kapret")).to_have_count(0)
    expect(page.get_by_text("Kapret besked")).to_have_count(0)
    assert not room_locked(stack)
    # The conformance plugin still works on its channel.
    expect(toolbar_buttons(page, re.compile("^Konformitet"))).to_have_count(1)

    # Messages from the page itself, or from an iframe the host did not make, are not heard.
    forged = {
        "chanId": victim,
        "rpc": "ui:button:add",
        "id": "forged",
        "payload": {"position": "toolbar", "icon": "IconStar", "tooltip": "Forfalsket"},
    }
    page.evaluate("message => window.postMessage(message, '*')", forged)
    page.evaluate(
        "() => { const f = document.createElement('iframe'); f.name = 'stranger';"
        " f.title = 'fremmed'; document.body.append(f); }"
    )
    stranger = next(f for f in page.frames if f.name == "stranger")
    stranger.evaluate("message => parent.postMessage(message, '*')", forged)
    stranger.evaluate(
        "message => parent.postMessage(message, '*')",
        {
            "chanId": "bv-hostile-x",
            "rpc": "syn",
            "id": "s",
            "payload": {"id": "bv-hostile", "version": 1},
        },
    )
    page.wait_for_timeout(500)
    expect(toolbar_buttons(page, "Forfalsket")).to_have_count(0)

    # A reloaded plugin registers anew: its old UI goes, the new one comes (once).
    plugin_frame(page, "bv-hostile").evaluate("location.reload()")
    page.wait_for_timeout(300)
    records.phase(page, "hostile", "ready")
    expect(toolbar_buttons(page, "Fjendtlig")).to_have_count(1)
    # Its iframe gone, its UI goes with it; the other plugin's stays.
    page.evaluate("document.querySelector('iframe[data-plugin-id=\"bv-hostile\"]').remove()")
    expect(toolbar_buttons(page, "Fjendtlig")).to_have_count(0)
    expect(toolbar_buttons(page, re.compile("^Konformitet"))).to_have_count(1)
    assert page.url.startswith(app_url.split("#")[0])
    context.close()


def scripts(requests: list[Request]) -> list[str]:
    return [r.url for r in requests if r.resource_type == "script" or r.url.endswith(".js")]


def citizen_scripts(stack: Stack, browser: Browser) -> list[str]:
    """The scripts a citizen's browser fetches from her SMS link to the lobby (file names)."""
    meeting = book_meeting(stack)
    context = browser.new_context(**PHONE)
    page = context.new_page()
    requested: list[Request] = []
    page.on("request", lambda request: requested.append(request))
    page.goto(meeting.guest_links[0])
    expect(page.get_by_test_id("self-view")).to_be_visible()
    page.get_by_test_id("join-button").click()
    expect(page.get_by_test_id("lobby")).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")
    config = json.loads(page.locator("#bv-config").text_content() or "{}")
    assert config["manifest"]["plugins"] == []
    assert not [r.url for r in requested if "/plugin-files/" in r.url]
    assert page.locator("iframe").count() == 0
    context.close()
    return sorted(url.rsplit("/", 1)[1] for url in scripts(requested))


def test_citizen_without_plugins_for_her_role_downloads_no_plugin_code(
    stack: Stack, citizen_browser: Browser, nurse_browser: Browser
) -> None:
    set_party_plugins(stack, [])
    without = citizen_scripts(stack, citizen_browser)
    # The party runs a plugin for its staff only: the citizen's download is the same.
    set_party_plugins(stack, [{"id": "bv-conformance", "roles": ["host"]}])
    with_staff_plugin = citizen_scripts(stack, citizen_browser)
    assert with_staff_plugin == without
    assert [name for name in without if name.startswith("index-")], without
    assert [name for name in without if name.startswith("call-session-")], without
    assert not [name for name in without if "plugin" in name], without

    # The nurse, whose role has the plugin, gets the host and the plugin.
    meeting = book_meeting(stack)
    nurse_context = nurse_browser.new_context()
    nurse = nurse_context.new_page()
    nurse_requests: list[Request] = []
    nurse.on("request", lambda request: nurse_requests.append(request))
    nurse.goto(launch_url(stack, launch_token(meeting.id)))
    expect(nurse.locator('iframe[data-plugin-id="bv-conformance"]')).to_have_count(1)
    assert [url for url in scripts(nurse_requests) if "/assets/plugin-runtime-" in url]
    assert [r.url for r in nurse_requests if "/plugin-files/bv-conformance/" in r.url]
    nurse_context.close()


def test_the_plugin_host_is_a_chunk_of_its_own() -> None:
    """The build keeps the plugin host out of the page's first chunk (loaded on demand)."""
    dist = ROOT / "webapp" / "dist"
    index = (dist / "index.html").read_text()
    assert "plugin-runtime" not in index
    chunks = sorted(p.name for p in (dist / "assets").glob("plugin-runtime-*.js"))
    assert len(chunks) == 1, chunks
    first = next((dist / "assets").glob("index-*.js")).read_text()
    assert "PluginHost" not in first and "ui:button:add" not in first
