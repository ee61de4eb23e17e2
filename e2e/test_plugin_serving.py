"""Plugins as Chromium loads them from the development stack's separate plugin origin
(another port of 127.0.0.1: cross-origin, same-site): the sandboxed frame gets its files,
speaks the plugin-api handshake, reads its settings and calls the plugin API with its token.

The host side is played by the test page itself (a frame and a postMessage listener), so
this shows the BFF's part (origins, CSP, CORS, tokens) apart from the webapp's plugin host.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from devstack.stack import DEMO_ADMIN_KEY, DEMO_PARTY, Stack
from e2e.helpers import book_meeting, launch_token, launch_url, link_from_sms, outbox

ADMIN = {"X-Admin-Key": DEMO_ADMIN_KEY}
CONFIG = re.compile(
    r'<script type="application/json" id="bv-config" nonce="[^"]+">(.*?)</script>', re.S
)
INVITEE_PHONE = "+4531323334"

# Plays Webapp3's host: one sandboxed frame, replies to its RPCs, records everything.
HOST_SCRIPT = """
({src, sandbox, answers}) => new Promise((resolve) => {
  window.__rpcs = [];
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', sandbox);
  frame.hidden = true;
  const post = (message) => frame.contentWindow.postMessage(message, '*');
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || !event.data || !event.data.rpc) return;
    const {chanId, rpc, id, payload} = event.data;
    window.__rpcs.push({rpc, payload, origin: event.origin});
    const reply = (data) => post({chanId, rpc, replyTo: id, payload: data});
    const ok = (elementId) => reply({status: 'ok', id: elementId, data: undefined});
    const later = (event, payload) => setTimeout(() => post({chanId, event, payload}), 50);
    if (rpc === 'syn') reply({ack: true});
    else if (rpc === 'ui:button:add') {
      ok('button-1');
      later('ui:button:click', {buttonId: 'button-1', input: {buttonId: 'button-1'}});
    } else if (rpc === 'ui:form:open') {
      ok('form-1');
      later('ui:form:input', {modalId: 'form-1', input: answers});
    } else if (rpc === 'ui:toast:show') {
      ok('toast');
      resolve(window.__rpcs);
    } else ok(rpc);
  });
  frame.src = src;
  document.body.append(frame);
})
"""


@pytest.fixture
def plugin_set(stack: Stack) -> Iterator[None]:
    """sms-invite on for hosts; the set is put back empty afterwards."""
    url = f"{stack.bff_url}/api/v1/parties/{DEMO_PARTY}/plugins"
    version = httpx.get(url, headers=ADMIN).json()["version"]
    answer = httpx.put(
        url,
        json={"plugins": [{"id": "sms-invite"}]},
        headers={**ADMIN, "If-Match": f'"{version}"'},
    )
    assert answer.status_code == 200, answer.text
    yield
    version = httpx.get(url, headers=ADMIN).json()["version"]
    httpx.put(url, json={"plugins": []}, headers={**ADMIN, "If-Match": f'"{version}"'})


def shell_config(page: Page, path: str) -> dict[str, Any]:
    """The app shell's configuration as the page's own session gets it."""
    html = page.request.get(path).text()
    match = CONFIG.search(html)
    assert match, html[:500]
    return dict(json.loads(match.group(1)))


def test_sandboxed_plugin_from_the_plugin_origin_invites_by_sms(
    stack: Stack, nurse_browser: Browser, plugin_set: None
) -> None:
    meeting = book_meeting(stack)
    page = nurse_browser.new_context().new_page()
    page.goto(launch_url(stack, launch_token(meeting.id)))
    base = f"{stack.bff_url}/{DEMO_PARTY}/"
    plugins = shell_config(page, base)["manifest"]["plugins"]
    assert [p["id"] for p in plugins] == ["sms-invite"]
    src = plugins[0]["src"]
    assert src.startswith(f"{stack.plugin_url}/plugin-files/sms-invite/1.0.0/index.html#")
    assert "bv-plugin-token=" in src

    # The staff portal loads no plugin; its CSP lets frames come from the plugin origin only
    # (an admin page frames the app itself, for the branding preview, and never a plugin).
    admin = page.request.get(f"{base}admin/plugins").headers["content-security-policy"]
    assert "frame-src 'self';" in admin and str(stack.plugin_url) not in admin
    answer = page.goto(f"{base}staff")
    assert answer is not None
    csp = answer.headers["content-security-policy"]
    assert f"frame-src {stack.plugin_url};" in csp
    cors: list[tuple[str, str | None]] = []
    page.on(
        "response",
        lambda r: (
            cors.append((r.url, r.headers.get("access-control-allow-origin")))
            if "/api/plugin/" in r.url or "config.json" in r.url
            else None
        ),
    )
    rpcs = page.evaluate(
        HOST_SCRIPT,
        {
            "src": src,
            "sandbox": "allow-scripts",
            "answers": {"name": "Tolk Hansen", "phone": INVITEE_PHONE[3:]},
        },
    )
    names = [r["rpc"] for r in rpcs]
    assert names[:2] == ["syn", "ui:button:add"], names
    assert rpcs[0]["payload"] == {"id": "sms-invite", "version": 0}
    assert rpcs[0]["origin"] == "null"  # sandboxed without allow-same-origin: opaque
    assert rpcs[1]["payload"]["tooltip"] == "Inviter via SMS"  # from its settings
    toast = rpcs[-1]["payload"]
    assert toast["message"] == "SMS med link sendt til Tolk Hansen.", toast
    assert not toast.get("isDanger")
    assert "null" in {origin for _, origin in cors}, cors  # CORS answered the opaque origin

    sms = outbox(stack, INVITEE_PHONE)
    assert sms, "no SMS to the invitee"
    invitee = nurse_browser.new_context().new_page()
    invitee.goto(link_from_sms(sms[-1]["message"]))
    grant = shell_config(invitee, base)["grant"]
    assert grant["role"] == "guest" and grant["displayName"] == "Tolk Hansen"
    invitee.context.close()
    page.context.close()


def test_plugin_origin_serves_plugins_only(stack: Stack) -> None:
    plugin_host = stack.plugin_url
    page = httpx.get(f"{plugin_host}/plugin-files/sms-invite/1.0.0/index.html")
    assert page.status_code == 200
    assert "sandbox allow-scripts" in page.headers["content-security-policy"]
    assert httpx.get(f"{plugin_host}/{DEMO_PARTY}/").status_code == 404
    assert httpx.get(f"{stack.bff_url}/plugin-files/sms-invite/1.0.0/index.html").status_code == 404
