# ruff: noqa: S603, S607, S106
# (test tooling: fixed dev tokens, and subprocesses we start ourselves)
"""Real-browser check: the unmodified @pexip/infinity 20.0.0 client in headless Chromium
against the emulator. Two browser pages join one room, both must reach an acked call with
remote video playing, exchange a chat message, and leaving must drop the participant.

Run once (not part of the pytest suite: sync Playwright and asyncio tests do not mix):
    .venv/bin/python -m emulator.tests.browser_check
It bundles tests/browser/entry.js with Vite into a temp folder, starts the emulator on a
free port, and prints PASS or raises.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Route, sync_playwright

from devstack.stack import ROOT
from emulator.tests.conftest import _start
from emulator.tests.helpers import book, end_meeting, rooms

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]
PAGE_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>check</title>
<script type="module" src="/__check__/entry.js"></script></head>
<body><video id="remote" autoplay playsinline muted></video></body></html>"""


def build_bundle(out_dir: Path) -> Path:
    script = f"""
import('vite').then(v => v.build({{
  root: {str(ROOT)!r}, logLevel: 'warn', configFile: false,
  build: {{ outDir: {str(out_dir)!r}, emptyOutDir: true, minify: false,
    lib: {{ entry: {str(Path(__file__).parent / "browser" / "entry.js")!r}, formats: ['es'],
           fileName: () => 'entry.js' }} }},
}})).catch(e => {{ console.error(e); process.exit(1); }});
"""
    subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT, check=True)
    return out_dir / "entry.js"


def open_check_page(page: Page, base: str, bundle: Path) -> None:
    def serve(route: Route) -> None:
        if route.request.url.endswith("/__check__/entry.js"):
            route.fulfill(body=bundle.read_text(), content_type="text/javascript")
        else:
            route.fulfill(body=PAGE_HTML, content_type="text/html")

    page.route(f"{base}/__check__/**", serve)
    page.goto(f"{base}/__check__/index.html")
    page.wait_for_function("() => typeof window.bvCheck === 'function'")


def wait_for(page: Page, js: str, timeout: float = 30_000) -> Any:
    try:
        return page.wait_for_function(js, timeout=timeout).json_value()
    except Exception:
        print("state at timeout:", page.evaluate("JSON.stringify(window.bvState)"), js)
        raise


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        bundle = build_bundle(Path(tmp) / "bundle")
        base = stack.enter_context(contextlib.contextmanager(_start)(Path(tmp), EMU_TOKEN_TTL="6"))
        booked = book(base)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            pages = []
            acks: list[int] = []
            refreshes: list[int] = []
            for name in ("Hanne", "Borger"):
                page = browser.new_context().new_page()
                page.on(
                    "console",
                    lambda m, n=name: print(f"[{n}] {m.text}") if m.type == "error" else None,
                )
                page.on(
                    "response",
                    lambda r: acks.append(r.status) if r.url.endswith("/ack") else None,
                )
                page.on(
                    "response",
                    lambda r: (
                        refreshes.append(r.status) if r.url.endswith("/refresh_token") else None
                    ),
                )
                open_check_page(page, base, bundle)
                pages.append(page)
            host, guest = pages
            # No PIN first: the client must surface onPinRequired.
            status = host.evaluate(
                "a => window.bvCheck(a)", {"host": base, "alias": booked.alias, "name": "Hanne"}
            )
            assert status == 403, status
            assert host.evaluate("window.bvState.pinRequired") == {
                "hasHostPin": True,
                "hasGuestPin": True,
            }
            host.evaluate(
                "a => window.bvCheck(a)",
                {"host": base, "alias": booked.alias, "pin": booked.host_pin, "name": "Hanne"},
            )
            guest.evaluate(
                "a => window.bvCheck(a)",
                {"host": base, "alias": booked.alias, "pin": booked.guest_pin, "name": "Borger"},
            )
            for page in pages:
                wait_for(page, "window.bvState.callConnected && window.bvState.remoteStream")
                # Remote video must actually play: decoded frames with a size, time moving.
                wait_for(
                    page,
                    "(() => { const v = document.getElementById('remote');"
                    " return v.videoWidth > 0 && v.currentTime > 1; })()",
                )
                assert page.evaluate("window.bvState.errors") == [], page.evaluate(
                    "window.bvState.errors"
                )
            assert acks and all(s == 200 for s in acks), acks
            # EMU_CHECK_HOLD=<seconds> keeps the call up, e.g. to watch the node's CPU use.
            host.wait_for_timeout(float(os.environ.get("EMU_CHECK_HOLD", "0")) * 1000)
            participants = rooms(base)[booked.alias]
            assert sorted(p["role"] for p in participants) == ["GUEST", "HOST"], participants
            assert all(p["has_media"] for p in participants), participants
            wait_for(host, "window.bvState.participants.length === 2")
            host.evaluate("window.bvSend('Hej fra Hanne')")
            wait_for(guest, "window.bvState.messages.some(m => m.text === 'Hej fra Hanne')")
            # Closing the page sends release_token with sendBeacon: the guest is dropped.
            guest_uuid = next(p["uuid"] for p in participants if p["role"] == "GUEST")
            controls = host.evaluate("u => window.bvControls(u)", guest_uuid)
            assert all(status == 200 for status in controls.values()), controls
            assert host.evaluate("window.bvState.errors") == [], host.evaluate(
                "window.bvState.errors"
            )
            # Tokens live 6 s here, so the client refreshes every 2 s; both must stay in.
            while len(refreshes) < 4:
                host.wait_for_timeout(500)
            assert all(s == 200 for s in refreshes), refreshes
            assert len(rooms(base)[booked.alias]) == 2
            guest.close(run_before_unload=True)
            for _ in range(100):
                if len(rooms(base)[booked.alias]) == 1:
                    break
                time.sleep(0.1)
            assert [p["display_name"] for p in rooms(base)[booked.alias]] == ["Hanne"]
            # Ending the conference for all disconnects the host too.
            host.evaluate("window.bvDisconnectAll()")
            wait_for(host, "window.bvState.disconnected !== null")
            assert rooms(base)[booked.alias] == []
            browser.close()
        # Ending the meeting removes the room.
        assert end_meeting(base, booked.uuid).status_code == 200
        assert booked.alias not in rooms(base)
    print("PASS: @pexip/infinity 20.0.0 in Chromium against the emulator")


if __name__ == "__main__":
    sys.exit(main())
