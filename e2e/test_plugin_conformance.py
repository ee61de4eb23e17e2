"""The plugin host against a real Webapp3 plugin: the conformance plugin (built with
@pexip/plugin-api 22, e2e/plugin_fixtures/conformance) calls every RPC and records every
event in a real call on the emulator, nurse and citizen each running it. The test fails on a
missing or wrong-shaped reply or event. Older plugins (19.x, 21.x) run too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from devstack.stack import DEMO_ADMIN_KEY, DEMO_PARTY, ROOT, Stack
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.plugin_host_support import Records, plugin_stack, set_party_plugins
from e2e.test_citizen_call import PHONE

NURSE = "Sygeplejerske Hanne"
CITIZEN = "Karen Jensen"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with plugin_stack() as running:
        yield running


def is_date(value: Any) -> bool:
    """A real Date on the plugin's side (shared/record.ts writes it as {"$date": iso})."""
    return isinstance(value, dict) and set(value) == {"$date"} and "T" in value["$date"]


def ok_node_reply(value: Any, result: Any = None) -> bool:
    """What InfinityClient resolves a successful request with: {status: 200, data: {...}}."""
    if not (isinstance(value, dict) and value.get("status") == 200):
        return False
    data = value.get("data")
    if not (isinstance(data, dict) and data.get("status") == "success" and "result" in data):
        return False
    return result is None or data["result"] == result


def assert_participant(participant: Any) -> None:
    """A participant as @pexip/infinity normalises it, Date included."""
    assert isinstance(participant, dict), participant
    assert isinstance(participant["uuid"], str) and participant["uuid"]
    assert is_date(participant["startAt"]), participant["startAt"]
    for key in ("isHost", "isMuted", "isWaiting", "canDisconnect", "raisedHand"):
        assert isinstance(participant[key], bool), key
    assert participant["role"] in ("chair", "guest")
    assert isinstance(participant["rawData"], dict)


def press_join(page: Page) -> None:
    expect(page.get_by_test_id("self-view")).to_be_visible()
    page.get_by_test_id("join-button").click()


def toolbar_button(page: Page, name: str) -> Any:
    return page.get_by_role("toolbar", name="Mødeknapper").get_by_role(
        "button", name=re.compile(f"^{re.escape(name)}")
    )


def fill_every_field(page: Page) -> None:
    dialog = page.get_by_test_id("plugin-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Konformitetsformular")
    dialog.get_by_label("Alder").fill("42")
    expect(dialog.get_by_label("Navn")).to_have_value("Karen")  # the plugin's default
    dialog.get_by_label("Kode").fill("hemmelig")
    dialog.get_by_label("Telefon").fill("+4512345678")
    dialog.get_by_label("Bemærkning").fill("To linjer\nher")
    dialog.get_by_label("Sprog").select_option("en")
    dialog.get_by_label("Ernæring").check()
    expect(dialog.get_by_label("Medicin")).to_be_checked()
    expect(dialog.get_by_label("Nej")).to_be_checked()
    dialog.get_by_label("Ja").check()
    dialog.get_by_label("Tilfredshed").fill("8")
    dialog.get_by_test_id("plugin-form-submit").click()


def test_conformance_plugin_in_a_real_call(
    stack: Stack, nurse_browser: Browser, citizen_browser: Browser
) -> None:
    set_party_plugins(stack, [{"id": "bv-conformance", "roles": ["host", "guest"]}])
    meeting = book_meeting(stack, guests=[{"display_name": CITIZEN}])

    nurse_context = nurse_browser.new_context(viewport={"width": 1440, "height": 900})
    nurse_records = Records(nurse_context)
    nurse = nurse_context.new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id, name=NURSE)))

    # Loaded before joining: the settings menu has the entry meant for any time, not the
    # one for in the meeting.
    host = nurse_records.phase(nurse, "conformance", "registered")
    assert host["registered"] is True
    nurse.get_by_test_id("settings-menu-button").click()
    items = nurse.get_by_test_id("settings-menu-item")
    expect(items).to_have_text(["Konformitet-indstilling"])
    items.first.click()
    nurse_records.wait(
        nurse, "conformance", lambda r: "settings" in r["clicks"], what="settings click"
    )
    assert nurse_records.get("conformance")["clicks"]["settings"] == ["$undefined"]

    press_join(nurse)
    expect(nurse.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    host = nurse_records.phase(nurse, "conformance", "host-ready")
    replies = host["replies"]

    # UI RPCs: what must fail fails with Webapp3's reasons, the rest shows.
    assert replies["ui:button:add:bad-icon"] == {"rejected": {"reason": "Invalid Icon name"}}
    bad = replies["app:setDisconnectDestination:bad"]
    assert bad["status"] == "failed" and "http" in bad["reason"]
    assert replies["ui:removeElement"] == "$undefined"  # resolved
    assert replies["ui:toast:show"] == "$undefined"
    assert replies["ui:widget:toggle"] == "$undefined"
    assert isinstance(replies["ui:widget:add"]["id"], str)

    konformitet = toolbar_button(nurse, "Konformitet")
    expect(konformitet).to_have_attribute("aria-label", "Konformitet (ny aktivitet)")
    expect(toolbar_button(nurse, "Kun gæster")).to_have_count(0)  # roles: ['guest']
    expect(toolbar_button(nurse, "Fjernes igen")).to_have_count(0)  # removed again
    group = toolbar_button(nurse, "Gruppe")
    expect(group).to_have_attribute("aria-expanded", "false")
    # The custom SVG icon shows, sanitised: its circle, no script, no link, no handler.
    icon = group.locator("svg").first
    expect(icon.locator("circle")).to_have_count(1)
    assert group.locator("script, a, foreignObject").count() == 0
    assert icon.get_attribute("onload") is None
    assert nurse.title() != "pwned"

    toast = nurse.get_by_test_id("plugin-toast")
    expect(toast).to_have_text(re.compile("Konformitet klar"))
    toast.get_by_role("button", name="Luk besked").click()
    expect(toast).to_have_count(0)

    # Widgets: the side panel (toggled open) and the floating one, each registered with
    # syn:widget and told the call as it stands.
    panel = nurse.get_by_role("region", name="Konformitet-panel")
    expect(panel).to_be_visible()
    expect(nurse.get_by_role("region", name="Flydende")).to_be_visible()
    for widget in ("widget-panel", "widget-floating"):
        record = nurse_records.phase(nurse, widget, "registered")
        events = record["events"]
        assert events["languageSelect"] == ["da"]
        assert events["authenticatedWithConference"][0]["conferenceAlias"]
        assert "token" not in events["authenticatedWithConference"][0]
        assert events["conferenceStatus"][0]["id"] == "main"
        assert events["me"][0]["participant"]["displayName"] == NURSE
        assert_participant(events["me"][0]["participant"])
        assert events["participants"][0]["id"] == "main"
    host = nurse_records.wait(
        nurse, "conformance", lambda r: "widget-onLoad" in r["events"], what="widget onLoad"
    )
    assert host["events"]["widget-onToggle"][0] == {
        "widgetId": replies["ui:widget:add"]["id"],
        "isVisible": True,
        "isRequest": False,
        "trigger": "self",
    }
    # The floating one only asks (avoidAutoToggle.headerCloseButton); the panel closes.
    nurse.get_by_role("button", name="Luk Flydende").click()
    host = nurse_records.wait(nurse, "conformance", lambda r: "floating-onToggle" in r["events"])
    assert host["events"]["floating-onToggle"] == [
        {
            "widgetId": replies["ui:widget:add:floating"]["id"],
            "isVisible": True,
            "isRequest": True,
            "trigger": "headerCloseButton",
        }
    ]
    expect(nurse.get_by_role("region", name="Flydende")).to_be_visible()
    nurse.get_by_role("button", name="Luk Konformitet-panel").click()
    expect(panel).to_be_hidden()

    # The citizen joins, running the plugin too: the guest-only button, not the host's.
    citizen_context = citizen_browser.new_context(**PHONE)
    citizen_records = Records(citizen_context)
    citizen = citizen_context.new_page()
    citizen.goto(meeting.guest_links[0])
    press_join(citizen)
    expect(citizen.get_by_test_id("in-call")).to_have_attribute(
        "data-role", "guest", timeout=20_000
    )
    citizen_records.phase(citizen, "conformance", "guest-ready")
    expect(toolbar_button(citizen, "Kun gæster")).to_be_visible()
    expect(toolbar_button(citizen, "Konformitet")).to_have_count(0)
    toolbar_button(citizen, "Kun gæster").click()
    guest = citizen_records.wait(citizen, "conformance", lambda r: "guest-only" in r["clicks"])
    assert guest["clicks"]["guest-only"][0]["buttonId"]

    # A participant action, on the citizen's row of the nurse's list.
    row = nurse.get_by_test_id("participant-item").filter(has_text=CITIZEN)
    row.get_by_role("button", name=f"Konformitet-handling: {CITIZEN}").click()
    host = nurse_records.wait(nurse, "conformance", lambda r: "participant-action" in r["clicks"])
    citizen_uuid = host["clicks"]["participant-action"][0]["participantUuid"]
    assert isinstance(citizen_uuid, str) and citizen_uuid

    # The toolbar button: click (its update makes it active, badge gone), a form with every
    # element type answered as typed input, then a prompt.
    konformitet.click()
    expect(konformitet).to_have_attribute("aria-pressed", "true")
    expect(konformitet).to_have_attribute("aria-label", "Konformitet")
    fill_every_field(nurse)
    host = nurse_records.wait(nurse, "conformance", lambda r: "form-input" in r["events"])
    assert host["clicks"]["toolbar"][0] == {"buttonId": host["clicks"]["toolbar"][0]["buttonId"]}
    assert host["replies"]["ui:button:update"] == "$undefined"
    assert host["events"]["form-input"] == [
        {
            "age": 42,
            "name": "Karen",
            "secret": "hemmelig",
            "mail": "",
            "phone": "+4512345678",
            "site": "",
            "note": "To linjer\nher",
            "lang": "en",
            "topics": {"a": True, "b": True},
            "answer": "ja",
            "rating": "8",
        }
    ]
    dialog = nurse.get_by_test_id("plugin-dialog")
    expect(dialog.get_by_role("heading")).to_have_text("Konformitetsspørgsmål")
    dialog.get_by_role("button", name="Fortsæt").click()
    host = nurse_records.wait(nurse, "conformance", lambda r: "prompt-input" in r["events"])
    assert host["events"]["prompt-input"] == ["Fortsæt"]
    expect(dialog).to_have_count(0)  # showPrompt removes it after the answer

    # In the meeting the settings menu has the in-meeting entry too (roles: chair).
    nurse.get_by_test_id("settings-menu-button").click()
    expect(nurse.get_by_test_id("settings-menu-item")).to_have_text(
        ["Konformitet-indstilling", "Kun i mødet"]
    )
    nurse.keyboard.press("Escape")

    # Every conference and participant RPC, replies as @pexip/infinity gives them.
    group.click()
    expect(group).to_have_attribute("aria-expanded", "true")
    nurse.get_by_role("button", name="Kør RPC-kald").click()
    host = nurse_records.wait(
        nurse,
        "conformance",
        lambda rec: (
            rec["phase"] == "rpc-done"
            and "wire:participant:disconnected" in rec["events"]
            and len(rec["events"].get("raiseHand", [])) == 2
            and "participantLeft" in rec["events"]
        ),
        timeout=60,
        what="every RPC answered and its events",
    )
    assert host["errors"] == []
    assert host["clicks"]["group"][0]["buttonId"] == "g-rpc"
    r = host["replies"]
    assert r["conference:currentRoomId"] == "main"
    participants = r["conference:requestParticipants"]
    assert ok_node_reply(participants)
    assert {p["display_name"] for p in participants["data"]["result"]} >= {NURSE, CITIZEN}
    for name in (
        "conference:sendMessage",
        "conference:sendMessage:direct",
        "conference:sendApplicationMessage",
        "conference:lock",
        "conference:lock:off",
        "conference:muteAllGuests",
        "conference:muteAllGuests:off",
        "conference:setLayout",
        "participant:mute",
        "participant:mute:off",
        "participant:muteVideo",
        "participant:spotlight",
        "participant:raiseHand",
        "participant:raiseHand:off",
        "participant:setTextOverlay",
        "participant:sendDTMF",
        "participant:admit",
    ):
        assert ok_node_reply(r[name], True), (name, r[name])
    # setBandwidth and setRole return nothing (void in InfinityClient).
    assert r["conference:setBandwidth"] == "$undefined"
    assert r["participant:setRole"] == "$undefined"
    status = r["conference:sendRequest"]
    assert status["status"] == 200 and status["data"]["status"] == "success"
    assert status["data"]["result"]["locked"] is False
    # dialOut resolves with the dialled participant once participantJoined named it.
    dialled = r["conference:dialOut"]
    assert_participant(dialled)
    assert dialled["displayName"] == "Tolk" and dialled["protocol"] == "sip"
    assert dialled["disconnect"] == "$function" and "onDisconnect" in dialled
    assert ok_node_reply(r["participant:disconnect"])
    assert host["events"]["wire:participant:disconnected"] == [{"participantUuid": dialled["uuid"]}]
    # What the emulated node does not do answers as a failed request does: undefined.
    for name in (
        "participant:transfer",
        "conference:breakout",
        "conference:closeBreakoutRoom",
        "conference:emptyBreakouts",
        "conference:closeBreakouts",
    ):
        assert r[name] == "$undefined", (name, r[name])
    assert r["conference:breakoutMoveParticipants"] == "$undefined"  # void
    assert r["conference:joinBreakoutRoom"] == "$undefined"  # void: the call restarted
    expect(nurse.get_by_test_id("in-call")).to_be_visible()
    good = r["app:setDisconnectDestination"]
    assert good["status"] == "ok" and isinstance(good["id"], str)

    # The events of the call, shaped as the plugin API's types say.
    events = host["events"]
    assert events["languageSelect"] == ["da"]
    authenticated = events["authenticatedWithConference"][0]
    assert set(authenticated) <= {"conferenceAlias", "conferenceName"}
    assert authenticated["conferenceAlias"]
    assert "$undefined" in events["connected"]
    statuses = [e for e in events["conferenceStatus"] if e["id"] == "main"]
    assert {s["status"]["locked"] for s in statuses} == {True, False}  # lock, then unlock
    assert {s["status"]["guestsMuted"] for s in statuses} == {True, False}
    assert all(isinstance(s["status"]["rawData"], dict) for s in statuses)
    assert events["me"][0]["id"] == "main"
    assert_participant(events["me"][0]["participant"])
    for event in events["participants"]:
        assert event["id"] == "main"
        for participant in event["participants"]:
            assert_participant(participant)
    joined = {e["participant"]["displayName"]: e for e in events["participantJoined"]}
    assert set(joined) >= {CITIZEN, "Tolk"}
    for event in events["participantJoined"] + events["participantLeft"]:
        assert event["id"] == "main"
        assert_participant(event["participant"])
    assert [e["participant"]["displayName"] for e in events["participantLeft"]] == ["Tolk"]
    kinds = {
        (a["activity"]["type"], a["activity"]["participant"]["displayName"])
        for batch in events["participantsActivities"]
        for a in batch
    }
    assert {(0, CITIZEN), (0, "Tolk"), (1, "Tolk")} <= kinds
    assert any(kind == 2 for kind, _ in kinds)  # updates (mute, spotlight, ...)
    for batch in events["participantsActivities"]:
        for activity in batch:
            assert activity["roomId"] == "main"
            assert_participant(activity["activity"]["participant"])
    hands = events["raiseHand"]
    assert [e["participant"]["raisedHand"] for e in hands] == [True, False]
    assert hands[0]["participant"]["displayName"] == CITIZEN

    # The citizen's plugin heard the messages: to everyone, to her alone, and the data one.
    guest = citizen_records.wait(
        citizen,
        "conformance",
        lambda rec: {"message", "directMessage", "applicationMessage"} <= set(rec["events"]),
        what="messages",
    )
    message = guest["events"]["message"][0]
    assert set(message) == {"at", "id", "message", "displayName", "userId"}
    assert is_date(message["at"]) and message["message"] == "Hej fra plugin"
    assert message["displayName"] == NURSE
    direct = guest["events"]["directMessage"][0]
    assert is_date(direct["at"]) and direct["message"] == "Kun til dig"
    application = guest["events"]["applicationMessage"][0]
    assert is_date(application["at"]) and application["message"] == {"kind": "konformitet", "n": 1}
    assert application["userId"] == message["userId"]

    # The citizen leaves: her plugin hears that she chose to.
    citizen.get_by_test_id("leave-button").click()
    expect(citizen.get_by_test_id("call-ended")).to_be_visible()
    guest = citizen_records.wait(
        citizen, "conformance", lambda rec: "userInitiatedDisconnect" in rec["events"]
    )
    assert guest["events"]["userInitiatedDisconnect"] == ["$undefined"]
    citizen_context.close()

    # disconnectAll ends the meeting for everyone; the plugin hears why, and the nurse is
    # sent to the destination the plugin set.
    group.click()
    nurse.get_by_role("button", name=re.compile("^Afslut for alle")).click()
    host = nurse_records.wait(
        nurse,
        "conformance",
        lambda rec: (
            "conference:disconnectAll" in rec["replies"] and "disconnected" in rec["events"]
        ),
        what="disconnectAll answered and heard",
    )
    expect(nurse.get_by_test_id("call-ended")).to_be_visible()
    nurse.wait_for_url(f"{stack.bff_url}/healthz", timeout=20_000)
    assert ok_node_reply(host["replies"]["conference:disconnectAll"], True)
    disconnected = host["events"]["disconnected"][0]
    assert set(disconnected) == {"error", "errorCode"} and disconnected["error"]
    nurse_context.close()


def test_plugins_built_against_older_plugin_api_versions(
    stack: Stack, nurse_browser: Browser
) -> None:
    set_party_plugins(
        stack, [{"id": "bv-legacy19", "roles": ["host"]}, {"id": "bv-legacy21", "roles": ["host"]}]
    )
    meeting = book_meeting(stack)
    context = nurse_browser.new_context(viewport={"width": 1280, "height": 800})
    records = Records(context)
    page = context.new_page()
    page.goto(launch_url(stack, launch_token(meeting.id)))
    for who in ("bv-legacy19", "bv-legacy21"):
        assert records.phase(page, who, "registered")["registered"] is True
    # 19.x's togglePlugin reached the host and was answered (no such panel here).
    old = records.get("bv-legacy19")["replies"]["ui:plugin:toggle"]
    assert old["rejected"]["reason"].startswith("No panel with that id")
    assert "widget-id" in records.get("bv-legacy21")["replies"]
    page.get_by_test_id("settings-menu-button").click()
    expect(page.get_by_test_id("settings-menu-item")).to_have_text(
        ["Indstilling bv-legacy19", "Indstilling bv-legacy21"]
    )
    page.keyboard.press("Escape")
    press_join(page)
    expect(page.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    for who in ("bv-legacy19", "bv-legacy21"):
        toolbar_button(page, f"Gammel {who}").click()
        dialog = page.get_by_test_id("plugin-dialog")
        dialog.get_by_label("Antal").fill("3")
        dialog.get_by_label("Note").fill("hej")
        dialog.get_by_test_id("plugin-form-submit").click()
        expect(dialog).to_have_count(0)  # showForm removes it once answered
        # `me` follows the node's word on this participant: on a busy machine, after the form.
        record = records.wait(page, who, lambda r: {"form-input", "me"} <= set(r["events"]))
        assert record["events"]["form-input"] == [{"count": 3, "note": "hej"}]
        assert record["events"]["authenticatedWithConference"][0]["conferenceAlias"]
        assert_participant(record["events"]["me"][0]["participant"])
    # 21.x's widget loads (hidden until toggled) and registers under its plugin.
    assert records.phase(page, "bv-legacy21-widget", "registered")["registered"] is True
    context.close()


def group_items(page: Page, group: str) -> list[str]:
    """The names of a toolbar group's items (opened, read, closed again)."""
    toggle = toolbar_button(page, group)
    toggle.click()
    items = page.locator(f'[id="{toggle.get_attribute("aria-controls")}"]').get_by_test_id(
        "plugin-group-item"
    )
    expect(items.first).to_be_visible()
    names = [items.nth(i).get_attribute("aria-label") or "" for i in range(items.count())]
    page.keyboard.press("Escape")
    return names


def open_tool(page: Page, item: str) -> None:
    toolbar_button(page, "Udvidelse bv-webapp3").click()
    page.get_by_role("button", name=item).click()


def grant_on_the_plugin_page(
    stack: Stack, browser: Browser, plugin_id: str, permission: str
) -> None:
    """The party's administrator ticks what the plugin may use (its plugin.json `allow`)."""
    page = browser.new_context().new_page()
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/plugins")
    page.get_by_test_id("plugins-key-input").fill(DEMO_ADMIN_KEY)
    page.keyboard.press("Enter")
    card = page.locator(f'[data-testid="plugin-admin-item"][data-plugin-id="{plugin_id}"]')
    permissions = card.get_by_role("group", name="Hvad pluginet må bruge")
    expect(permissions).to_have_attribute("data-testid", "plugin-permissions")
    box = permissions.get_by_test_id(f"plugin-allow-{permission}")
    expect(box).not_to_be_checked()  # nothing is granted by default
    box.check()
    page.get_by_test_id("plugins-save").click()
    expect(page.get_by_test_id("plugins-message")).to_contain_text("Gemt som version")
    page.context.close()
    answer = httpx.get(
        f"{stack.bff_url}/api/v1/parties/{DEMO_PARTY}/plugins",
        headers={"X-Admin-Key": DEMO_ADMIN_KEY},
    )
    [plugin] = [p for p in answer.json()["plugins"] if p["id"] == plugin_id]
    assert plugin["allow"] == [permission]


def test_a_webapp3_plugin_behaves_as_in_webapp3(
    stack: Stack, nurse_browser: Browser, citizen_browser: Browser
) -> None:
    """What public Webapp3 plugins do, each allowed as Webapp3 allows it (the bv-webapp3
    fixture, plugin-api 22): storage before registering, per-participant buttons from
    `participants`, a tooltip-less button with Pexip's icons, a log-in popup that reports back,
    the microphone when granted, the user's language, the conference's message text."""
    set_party_plugins(stack, [{"id": "bv-webapp3", "roles": ["host"]}])
    grant_on_the_plugin_page(stack, nurse_browser, "bv-webapp3", "microphone")
    meeting = book_meeting(stack, guests=[{"display_name": CITIZEN}])
    context = nurse_browser.new_context(viewport={"width": 1440, "height": 900})
    records = Records(context)
    nurse = context.new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id, name=NURSE)))

    # Storage works on the plugin origin (same-site with the app): it registers.
    record = records.phase(nurse, "webapp3", "ready")
    assert record["events"]["storage"] == [{"before": None, "after": "1"}], record["events"]
    iframe = nurse.locator('iframe[data-plugin-id="bv-webapp3"]')
    expect(iframe).to_have_attribute("allow", "microphone")  # granted by the party
    # The user's language, and its changes.
    nurse.get_by_test_id("language-switch").click()
    expect(nurse.locator("html")).to_have_attribute("lang", "en")
    nurse.get_by_test_id("language-switch").click()
    expect(nurse.locator("html")).to_have_attribute("lang", "da")
    record = records.wait(
        nurse, "webapp3", lambda r: len(r["events"].get("languageSelect", [])) == 3
    )
    assert record["events"]["languageSelect"] == ["da", "en", "da"]

    press_join(nurse)
    expect(nurse.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    # No tooltip: shown, named after its plugin, with Pexip's own drawing of the named icon.
    tools = toolbar_button(nurse, "Udvidelse bv-webapp3")
    expect(tools).to_be_visible()
    icon = tools.locator('[data-icon="IconSupport"] svg path').first
    expect(icon).to_have_attribute("fill", "currentColor")
    assert icon.get_attribute("d") != "M5 5h6v6H5zm8 0h6v6h-6zM5 13h6v6H5zm8 0h6v6h-6z"

    # `participants` again on every change: the per-participant items follow.
    expect(toolbar_button(nurse, "Deltagere")).to_be_visible()
    assert group_items(nurse, "Deltagere") == [f"Ring til {NURSE}"]
    citizen_context = citizen_browser.new_context(**PHONE)
    citizen = citizen_context.new_page()
    citizen.goto(meeting.guest_links[0])
    press_join(citizen)
    expect(citizen.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    records.wait(nurse, "webapp3", lambda r: [NURSE, CITIZEN] in r["events"]["participants"])
    assert sorted(group_items(nurse, "Deltagere")) == sorted(
        [f"Ring til {NURSE}", f"Ring til {CITIZEN}"]
    )
    citizen.get_by_test_id("leave-button").click()
    expect(citizen.get_by_test_id("call-ended")).to_be_visible()
    records.wait(nurse, "webapp3", lambda r: r["events"]["participants"][-1] == [NURSE])
    citizen_context.close()
    assert group_items(nurse, "Deltagere") == [f"Ring til {NURSE}"]

    # A group item's popup opens during the click, keeps its opener and reports back.
    with context.expect_page() as opened:
        open_tool(nurse, "Log ind")
    popup = opened.value
    assert popup.url.startswith(f"{stack.plugin_url}/plugin-files/bv-webapp3/")
    record = records.wait(nurse, "webapp3", lambda r: "popup-result" in r["events"])
    assert record["events"]["popup-result"] == [
        {"kind": "bv-popup-result", "user": "hanne@kommune.dk", "hadOpener": True}
    ]
    assert record["clicks"]["login"] == [{"buttonId": "login"}]

    # Granted the microphone, it records from the fake one.
    open_tool(nurse, "Optag lyd")
    record = records.wait(nurse, "webapp3", lambda r: "recording" in r["events"])
    assert record["events"]["recording"][0].get("bytes", 0) > 0, record["events"]["recording"]

    # The conference's message text, through sendRequest as Pexip's message-overlay plugin.
    open_tool(nurse, "Beskedtekst")
    record = records.wait(nurse, "webapp3", lambda r: "message-text" in r["events"])
    assert record["events"]["message-text"] == ["Tolken kommer om lidt"]

    # Not granted: no `allow`, no microphone. Its stored value survived the reload.
    set_party_plugins(stack, [{"id": "bv-webapp3", "roles": ["host"]}])
    nurse.reload()
    record = records.wait(
        nurse,
        "webapp3",
        lambda r: (
            r["phase"] == "ready" and r["events"]["storage"][-1] != {"before": None, "after": "1"}
        ),
    )
    assert record["events"]["storage"][-1] == {"before": "1", "after": "2"}
    expect(iframe).not_to_have_attribute("allow", re.compile("."))
    # A reload during the call rejoins by itself (issue 24), without a new tap on "Deltag".
    expect(nurse.get_by_test_id("in-call")).to_be_visible(timeout=60_000)
    open_tool(nurse, "Optag lyd")
    record = records.wait(nurse, "webapp3", lambda r: "recording" in r["events"])
    assert record["events"]["recording"] == [{"error": "NotAllowedError"}]
    context.close()


@pytest.mark.parametrize("plugin_id", ["bv-webapp3-19", "bv-webapp3-21"])
def test_the_new_host_behaviours_with_older_plugin_api_versions(
    stack: Stack, nurse_browser: Browser, citizen_browser: Browser, plugin_id: str
) -> None:
    """The bv-webapp3 source built against plugin-api 19.3.2 and 21.0.0: `participants` again
    on every change, a button without a tooltip, the user's language (21.x has the event;
    19.x has none, and keeps working while the host sends it)."""
    who = plugin_id.removeprefix("bv-")
    set_party_plugins(stack, [{"id": plugin_id, "roles": ["host"]}])
    meeting = book_meeting(stack, guests=[{"display_name": CITIZEN}])
    context = nurse_browser.new_context(viewport={"width": 1440, "height": 900})
    records = Records(context)
    nurse = context.new_page()
    nurse.goto(launch_url(stack, launch_token(meeting.id, name=NURSE)))
    assert records.phase(nurse, who, "ready")["registered"] is True

    nurse.get_by_test_id("language-switch").click()
    expect(nurse.locator("html")).to_have_attribute("lang", "en")
    nurse.get_by_test_id("language-switch").click()
    expect(nurse.locator("html")).to_have_attribute("lang", "da")
    if plugin_id == "bv-webapp3-19":
        assert records.get(who)["events"]["languageSelect-unsupported"] == [True]
    else:
        record = records.wait(nurse, who, lambda r: len(r["events"].get("languageSelect", [])) == 3)
        assert record["events"]["languageSelect"] == ["da", "en", "da"]

    press_join(nurse)
    expect(nurse.get_by_test_id("in-call")).to_have_attribute("data-role", "host", timeout=20_000)
    expect(toolbar_button(nurse, f"Udvidelse {plugin_id}")).to_be_visible()  # no tooltip
    expect(toolbar_button(nurse, "Deltagere")).to_be_visible()
    assert group_items(nurse, "Deltagere") == [f"Ring til {NURSE}"]
    citizen_context = citizen_browser.new_context(**PHONE)
    citizen = citizen_context.new_page()
    citizen.goto(meeting.guest_links[0])
    press_join(citizen)
    expect(citizen.get_by_test_id("in-call")).to_be_visible(timeout=20_000)
    records.wait(nurse, who, lambda r: [NURSE, CITIZEN] in r["events"]["participants"])
    assert sorted(group_items(nurse, "Deltagere")) == sorted(
        [f"Ring til {NURSE}", f"Ring til {CITIZEN}"]
    )
    citizen.get_by_test_id("leave-button").click()
    expect(citizen.get_by_test_id("call-ended")).to_be_visible()
    records.wait(nurse, who, lambda r: r["events"]["participants"][-1] == [NURSE])
    citizen_context.close()
    assert group_items(nurse, "Deltagere") == [f"Ring til {NURSE}"]
    context.close()


def test_a_plugin_file_is_served_from_the_plugin_origin(stack: Stack) -> None:
    """The runtime manifest points at the plugin origin, which is not the app's."""
    answer = httpx.get(f"{stack.plugin_url}/plugin-files/bv-conformance/1.0.0/index.html")
    assert answer.status_code == 200 and "Konformitet" in answer.text


def axe_violations(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(path=str(ROOT / "node_modules" / "axe-core" / "axe.min.js"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result]


def test_plugin_ui_is_accessible(stack: Stack, nurse_browser: Browser) -> None:
    """Toolbar buttons and groups, the settings menu, widgets, a toast and a form: axe clean."""
    set_party_plugins(stack, [{"id": "bv-conformance", "roles": ["host"]}])
    meeting = book_meeting(stack)
    context = nurse_browser.new_context(viewport={"width": 1440, "height": 900}, bypass_csp=True)
    records = Records(context)
    page = context.new_page()
    page.goto(launch_url(stack, launch_token(meeting.id)))
    records.phase(page, "conformance", "registered")
    press_join(page)
    records.phase(page, "conformance", "host-ready")
    expect(page.get_by_test_id("plugin-toast")).to_be_visible()
    expect(page.get_by_role("region", name="Konformitet-panel")).to_be_visible()
    toolbar_button(page, "Gruppe").click()
    expect(page.get_by_role("button", name="Kør RPC-kald")).to_be_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    expect(toolbar_button(page, "Gruppe")).to_be_focused()
    page.get_by_test_id("settings-menu-button").click()
    expect(page.get_by_test_id("settings-menu")).to_be_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    toolbar_button(page, "Konformitet").click()
    dialog = page.get_by_test_id("plugin-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Alder")).to_be_visible()
    assert axe_violations(page) == []
    # Escape closes the form like "Luk" (the plugin may still remove it).
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    context.close()
