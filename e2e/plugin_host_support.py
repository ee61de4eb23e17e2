"""Running the test plugins of e2e/plugin_fixtures in a stack: build them, serve them from a
separate plugin origin, switch them on for the demo party, and read what they recorded."""

from __future__ import annotations

import fcntl
import json
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Frame, Page

from devstack.stack import DEMO_ADMIN_KEY, DEMO_PARTY, ROOT, Stack, running_stack

FIXTURES = ROOT / "e2e" / "plugin_fixtures"
BUILT = ("conformance", "hostile", "legacy19", "legacy21", "webapp3", "webapp3-19", "webapp3-21")


def _newest(paths: list[Path]) -> float:
    return max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)


def build_fixtures() -> None:
    """`npm run build` of the fixture workspace, when a source is newer than its build (one
    test process at a time: the e2e tests run on several pytest-xdist workers)."""
    with (FIXTURES / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sources = [
            p
            for p in FIXTURES.rglob("*")
            if "dist" not in p.parts
            and "node_modules" not in p.parts
            and p.suffix in {".ts", ".html", ".mjs", ".json"}
        ]
        builds = [FIXTURES / name / "dist" / "index.html" for name in BUILT]
        if all(b.is_file() for b in builds) and _newest(sources) <= min(
            b.stat().st_mtime for b in builds
        ):
            return
        subprocess.run(
            ["npm", "run", "build", "--workspace", "e2e/plugin_fixtures"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )


@contextmanager
def plugin_stack() -> Iterator[Stack]:
    """A stack whose catalogue holds the first-party plugins and the test plugins, served
    from a plugin origin of their own, same-site with the app (devstack: another port of
    127.0.0.1)."""
    build_fixtures()
    with running_stack(
        extra_bff_env={"BV_PLUGINS_DIR": f"plugins:{FIXTURES.relative_to(ROOT)}"},
    ) as stack:
        yield stack


def set_party_plugins(stack: Stack, plugins: list[dict[str, Any]], party: str = DEMO_PARTY) -> None:
    """Replaces the party's plugin set through the admin API (If-Match the version read)."""
    url = f"{stack.bff_url}/api/v1/parties/{party}/plugins"
    headers = {"X-Admin-Key": DEMO_ADMIN_KEY}
    current = httpx.get(url, headers=headers, timeout=10)
    assert current.status_code == 200, current.text
    answer = httpx.put(
        url,
        json={"plugins": plugins},
        headers=headers | {"If-Match": current.headers["ETag"]},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


class Records:
    """What the test plugins of one browser context reported (see shared/record.ts)."""

    def __init__(self, context: BrowserContext) -> None:
        self._records: dict[str, dict[str, Any]] = {}
        context.expose_binding("bvRecord", self._receive)

    def _receive(self, _source: Any, who: str, data: str) -> None:
        self._records[who] = json.loads(data)

    def get(self, who: str) -> dict[str, Any]:
        return self._records.get(who, {})

    def wait(
        self,
        page: Page,
        who: str,
        until: Callable[[dict[str, Any]], bool],
        timeout: float = 20.0,
        what: str = "",
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            record = self.get(who)
            if record and until(record):
                return record
            page.wait_for_timeout(100)
        raise AssertionError(
            f"{who}: {what or 'condition'} not reached; last record: {self.get(who)}"
        )

    def phase(self, page: Page, who: str, phase: str, timeout: float = 20.0) -> dict[str, Any]:
        return self.wait(page, who, lambda r: r.get("phase") == phase, timeout, f"phase {phase}")


def summary(record: dict[str, Any]) -> str:
    """A record in brief: phase, errors, how many of each event, clicks and replies."""
    if not record:
        return "nothing recorded"
    events = {name: len(items) for name, items in record.get("events", {}).items()}
    return (
        f"phase {record.get('phase')!r}, registered {record.get('registered')!r}, "
        f"errors {record.get('errors')}, events {events}, clicks {record.get('clicks')}, "
        f"replies {sorted(record.get('replies', {}))}"
    )


def plugin_frame(page: Page, plugin_id: str) -> Frame:
    """The hidden iframe of a plugin (its document, to evaluate in)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for frame in page.frames:
            if f"/plugin-files/{plugin_id}/" in frame.url and "widget" not in frame.url:
                return frame
        page.wait_for_timeout(100)
    raise AssertionError(f"no frame for plugin {plugin_id}: {[f.url for f in page.frames]}")
