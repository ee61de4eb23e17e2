"""The citizen's first screen on a slow phone connection (issue 7): how much JavaScript the
page loads before "Deltag" works (gzipped, as the budget counts it: under 100 KB), and the
time from opening the link to a working "Deltag" under Chromium's network emulation of a
throttled 4G profile (150 ms latency, 1.6 Mbit/s down, 750 kbit/s up), cache empty.

`python -m bench.join_ready` runs it alone (its own stack); `make bench` prints it too.
"""

from __future__ import annotations

import gzip
import re
import statistics
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, Response, sync_playwright

from devstack.stack import Stack, chromium_args, chromium_path, running_stack
from e2e.helpers import book_meeting

RUNS = 3
BUDGET_BYTES = 100 * 1024
PROFILE = {
    "offline": False,
    "latency": 150,  # ms
    "downloadThroughput": 1_600_000 / 8,  # bytes per second
    "uploadThroughput": 750_000 / 8,
}
# Marks the moment "Deltag" can be pressed (rendered and enabled), and which scripts the page
# had by then (the Resource Timing entries, in load order).
READY_JS = """(() => {
  const tick = () => {
    const button = document.querySelector('[data-testid="join-button"]');
    if (button && !button.disabled) {
      window.__bvReady = {
        at: performance.now(),
        scripts: performance.getEntriesByType('resource')
          .filter((e) => e.name.endsWith('.js') && e.responseEnd > 0)
          .map((e) => e.name),
      };
      return;
    }
    requestAnimationFrame(tick);
  };
  tick();
})();"""


# What the served page itself names: its entry script and the chunks it preloads. These, and
# nothing else, stand between the link and a working "Deltag" (the call code is fetched in
# parallel once the preflight shows, and "Deltag" works before it arrives).
CRITICAL = re.compile(
    r'<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"'
)


def _keep(bodies: dict[str, bytes], pages: list[str]) -> Callable[[Response], None]:
    def keep(response: Response) -> None:
        kind = response.request.resource_type
        if kind == "script":
            bodies[response.url] = response.body()
        elif kind == "document" and response.status == 200:
            pages.append(response.text())

    return keep


def measure(stack: Stack, browser: Browser, throttled: bool) -> dict[str, Any]:
    meeting = book_meeting(stack, guests=[{"display_name": "Borger"}])
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.add_init_script(READY_JS)
    bodies: dict[str, bytes] = {}
    pages: list[str] = []
    context.on("response", _keep(bodies, pages))
    page = context.new_page()
    if throttled:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", PROFILE)
    page.goto(meeting.guest_links[0], wait_until="commit")
    page.wait_for_function("() => window.__bvReady !== undefined", timeout=60_000)
    ready = page.evaluate("() => window.__bvReady")
    page.wait_for_load_state("networkidle")
    origin = stack.bff_url
    named = {
        origin + path if path.startswith("/") else path for path in CRITICAL.findall(pages[-1])
    }
    critical = [body for url, body in bodies.items() if url in named]
    before = [bodies.get(url, b"") for url in ready["scripts"]]
    context.close()
    return {
        "ms": float(ready["at"]),
        "gzip": sum(len(gzip.compress(body, 9)) for body in critical),
        "raw": sum(len(body) for body in critical),
        "files": len(critical),
        "loaded_gzip": sum(len(gzip.compress(body, 9)) for body in before),
    }


def report(stack: Stack, browser: Browser) -> None:
    fast = measure(stack, browser, throttled=False)
    slow = [measure(stack, browser, throttled=True) for _ in range(RUNS)]
    kib = fast["gzip"] / 1024
    verdict = "within" if fast["gzip"] < BUDGET_BYTES else "OVER"
    print("Citizen's first screen (link opened -> 'Deltag' works):")
    print(
        f"  JavaScript before 'Deltag' works   {kib:7.1f} KiB gzipped in {fast['files']} file(s)"
        f" ({fast['raw'] / 1024:.0f} KiB as served; {verdict} the 100 KB budget)"
    )
    print(
        f"  fetched by then, call code incl.   {fast['loaded_gzip'] / 1024:7.1f} KiB gzipped"
        " (the call code loads in parallel; 'Deltag' does not wait for it)"
    )
    print(
        f"  throttled 4G (150 ms, 1.6 Mbit/s)  {statistics.median(s['ms'] for s in slow):7.0f} ms"
        f"   (runs: {[round(s['ms']) for s in slow]}; unthrottled {fast['ms']:.0f} ms)"
    )


def main() -> None:
    with running_stack() as stack, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=chromium_args())
        try:
            report(stack, browser)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
