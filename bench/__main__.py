"""`make bench`: a report of the figures the product is held to, measured on this machine now.

Times in the browser come from the page's own clock (performance.now), proxy overhead from
interleaved calls through the BFF and straight to the emulator in the same run.
`python -m bench --proxy-only` skips the browser timings; `--stats-only` runs only the
statistics figures (bench/stats.py); `--compare DIR` only the proxy's overheads, for this
checkout's BFF and the one in DIR, each on a node of this checkout, in alternating rounds.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, Response, sync_playwright

from bench.join_ready import report as join_ready_report
from bench.stats import report as stats_report
from devstack.stack import Stack, chromium_args, chromium_path, running_stack, write_y4m
from e2e.helpers import book_meeting, launch_token, launch_url, outbox, provisioned

# A join's first frame varies by 100-250 ms from run to run on 2 cores (the nurse's browser,
# the node and the citizen's page share them): nine runs give a median that holds still.
RUNS_IN_BROWSER = 9
# "Deltag" pressed once the citizen had a look at herself (LOOK_SECONDS after the preview), not
# the moment it shows: the call code fetched at the preview is then compiled, the page calm.
RUNS_AFTER_A_LOOK = 5
LOOK_SECONDS = 1.0
# The nurse and the citizen peer to peer (a room with direct media): the nurse waits again
# after each run, and her restart takes a moment (DIRECT_SETTLE_S at the most).
RUNS_DIRECT_MEDIA = 7
DIRECT_SETTLE_S = 20.0
RUNS_REQUEST_TOKEN = 200
RUNS_CALLS = 120  # the node's SDP answer varies by ms: many runs for a steady median
RUNS_STATUS = 300
WARM_UP = 10  # calls per side before timing: pools filled, code paths warm
PROXY_BUDGET_MS = 2.0  # the most the BFF may add at the median
PHONE = "+4599887766"

MARKS_JS = r"""(() => {
  const marks = (window.__bv = {});
  // The first screen's steps: when the page asked for the camera and when it had it.
  const media = navigator.mediaDevices;
  if (media && media.getUserMedia) {
    const ask = media.getUserMedia.bind(media);
    media.getUserMedia = (constraints) => {
      marks.gumAsked ??= performance.now();
      return ask(constraints).then((stream) => {
        marks.gumGot ??= performance.now();
        return stream;
      });
    };
  }
  const firstFrame = (testId, key) => {
    const tick = () => {
      const video = document.querySelector(`[data-testid="${testId}"]`);
      if (video && video.videoWidth > 0 && video.readyState >= 2) {
        marks[key] = performance.now();
        return;
      }
      requestAnimationFrame(tick);
    };
    tick();
  };
  firstFrame('self-view', 'preview');
  // The self-view's own steps: in the page (React's first commit), given the camera.
  new MutationObserver((_, observer) => {
    if (!document.querySelector('[data-testid="self-view"]')) return;
    marks.selfView = performance.now();
    observer.disconnect();
  }).observe(document, { subtree: true, childList: true });
  const source = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    configurable: true,
    get() { return source.get.call(this); },
    set(stream) {
      if (stream && this.dataset.testid === 'self-view') marks.selfViewStream ??= performance.now();
      source.set.call(this, stream);
    },
  });
  // After "Deltag": when each Client API request was sent and answered, the event stream
  // asked for and open, and the peer connection's steps (the first of each, page clock).
  const steps = (marks.steps = {});
  const note = (name) => {
    if (marks.join === undefined) return;
    if (steps[name] === undefined) steps[name] = performance.now();
    else steps[`${name} (the last)`] = performance.now(); // new_candidate: one per candidate
  };
  const clientApi = /\/api\/client\/v2\/conferences\/[^/]+\/([^?]*)/;
  const fetchNow = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const match = clientApi.exec(typeof input === 'string' ? input : input.url ?? String(input));
    if (!match) return fetchNow(input, init);
    const name = match[1].replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{uuid}');
    note(`${name} sent`);
    return fetchNow(input, init).then((answer) => {
      note(`${name} answered`);
      return answer;
    });
  };
  const Source = window.EventSource;
  window.EventSource = class extends Source {
    constructor(url, options) {
      super(url, options);
      note('events asked for');
      this.addEventListener('open', () => note('events open'));
    }
  };
  const Peer = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Peer {
    constructor(config) {
      super(config);
      note('peer connection made');
      const state = (key, label) => () => note(`${label} ${this[key]}`);
      this.addEventListener('icegatheringstatechange', state('iceGatheringState', 'ICE gathering'));
      this.addEventListener('connectionstatechange', state('connectionState', 'peer connection'));
      this.addEventListener('track', () => note('first remote track'));
      this.addEventListener('negotiationneeded', () => note('negotiationneeded'));
      this.addEventListener('iceconnectionstatechange', state('iceConnectionState', 'ICE'));
      // The page's own SDP steps: where the time between the peer connection and `calls` goes.
      for (const step of ['createOffer', 'setLocalDescription', 'setRemoteDescription']) {
        const run = this[step].bind(this);
        this[step] = (...args) => {
          note(`${step} called`);
          return run(...args).then((result) => {
            note(`${step} done`);
            return result;
          });
        };
      }
    }
  };
  document.addEventListener('click', (event) => {
    if (event.target.closest('[data-testid="join-button"]')) {
      marks.join = performance.now();
      firstFrame('remote-video', 'remote');
    }
  }, true);
})();"""


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def browser_timings(stack: Stack, citizen: Browser, nurse: Browser) -> dict[str, Any]:
    # a link per series: each link is redeemed at most 10 times a minute (bff.ops.ratelimit)
    meeting = book_meeting(stack, guests=[{"display_name": "Borger"}, {"display_name": "Borger"}])
    nurse_page = nurse_in_call(stack, nurse, meeting.id)

    previews, remotes, script_sizes = [], [], []
    steps: dict[str, list[float]] = {}
    join_steps: dict[str, list[float]] = {}
    for _ in range(RUNS_IN_BROWSER):
        scripts: list[bytes] = []
        with citizen_at_preview(citizen, meeting.guest_links[0], scripts) as page:
            previews.append(page.evaluate("() => window.__bv.preview") / 1000)
            for step, ms in page.evaluate(FIRST_SCREEN_JS).items():
                steps.setdefault(step, []).append(ms / 1000)
            remotes.append(join_to_remote_frame(page))
            after_join = page.evaluate(
                "() => Object.fromEntries(Object.entries(window.__bv.steps)"
                ".map(([k, t]) => [k, t - window.__bv.join]))"
            )
            for step, ms in after_join.items():
                join_steps.setdefault(step, []).append(ms / 1000)
        script_sizes.append(sum(len(gzip.compress(body, 9)) for body in scripts))
    link = meeting.guest_links[1]
    after_a_look = [join_after_a_look(citizen, link) for _ in range(RUNS_AFTER_A_LOOK)]
    nurse_page.context.close()  # she leaves: the node relays no media of hers any more
    return {
        "link_to_preview_ms": median_ms(previews),
        "join_to_remote_frame_ms": median_ms(remotes),
        "remote_frame_samples_ms": [round(s * 1000) for s in remotes],
        "join_after_a_look_ms": median_ms(after_a_look),
        "after_a_look_samples_ms": [round(s * 1000) for s in after_a_look],
        "citizen_js_gzip_bytes": max(script_sizes),
        "first_screen_ms": {step: median_ms(samples) for step, samples in steps.items()},
        # after "Deltag", in time order: when each step happened (ms after the press)
        "join_steps_ms": dict(
            sorted(((step, median_ms(t)) for step, t in join_steps.items()), key=lambda s: s[1])
        ),
    }


def nurse_in_call(stack: Stack, nurse: Browser, meeting_id: str) -> Page:
    """The nurse's page, launched from her case system into the meeting and in the call."""
    page = nurse.new_context().new_page()
    page.goto(launch_url(stack, launch_token(meeting_id)))
    page.get_by_test_id("join-button").click()
    page.get_by_test_id("in-call").wait_for()
    return page


@contextmanager
def citizen_at_preview(
    citizen: Browser, link: str, scripts: list[bytes] | None = None
) -> Iterator[Page]:
    """A phone's page that opened `link` and shows the self-view (the scripts it loads kept
    in `scripts`); it leaves the call, if in one, and closes after."""
    context = citizen.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    context.add_init_script(MARKS_JS)
    if scripts is not None:
        context.on("response", ScriptCollector(scripts))
    try:
        page = context.new_page()
        page.goto(link)
        page.wait_for_function("() => window.__bv && window.__bv.preview !== undefined")
        yield page
        if page.get_by_test_id("leave-button").count():
            page.get_by_test_id("leave-button").click()
    finally:
        context.close()


def join_to_remote_frame(page: Page) -> float:
    """ "Deltag" pressed → the nurse's first frame on the citizen's screen (s)."""
    page.get_by_test_id("join-button").click()
    page.wait_for_function("() => window.__bv.remote !== undefined", timeout=30_000)
    seconds: float = page.evaluate("() => window.__bv.remote - window.__bv.join") / 1000
    return seconds


def direct_media_timings(citizen: Browser, nurse: Browser) -> list[float]:
    """Join pressed → the nurse's first frame (s), the two browsers peer to peer: a stack of its
    own whose rooms allow direct media (EMU_DIRECT_MEDIA), the node only signalling. Each run's
    citizen is checked to have come in on direct media, so a fall back to relayed media is not
    measured as direct."""
    with running_stack(extra_emulator_env={"EMU_DIRECT_MEDIA": "true"}) as stack:
        meeting = book_meeting(stack, guests=[{"display_name": "Borger"}])
        nurse_page = nurse_in_call(stack, nurse, meeting.id)
        runs = []
        for _ in range(RUNS_DIRECT_MEDIA):
            _wait_for_media(stack, None)  # the nurse alone, waiting for a peer
            with citizen_at_preview(citizen, meeting.guest_links[0]) as page:
                runs.append(join_to_remote_frame(page))
                _wait_for_media(stack, ["direct", "direct"])
        nurse_page.context.close()
        return runs


def _wait_for_media(stack: Stack, expected: list[str] | None) -> None:
    """The node's only room has these participants, each on this media (None: one, on any)."""
    deadline = time.monotonic() + DIRECT_SETTLE_S
    media: list[str] = []
    while time.monotonic() < deadline:
        (room,) = httpx.get(f"{stack.emulator_url}/emulator/rooms").json()
        media = sorted(str(p["media"]) for p in room["participants"])
        if media == expected or (expected is None and len(media) == 1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"direct media: the room's participants are on {media}, not {expected}")


def join_after_a_look(citizen: Browser, link: str) -> float:
    """Join pressed LOOK_SECONDS after the preview shows → the first remote frame (s)."""
    with citizen_at_preview(citizen, link) as page:
        page.wait_for_timeout(LOOK_SECONDS * 1000)
        return join_to_remote_frame(page)


# Link opened → local preview, step by step (Navigation and Resource Timing, and the marks of
# MARKS_JS): each step's end minus the previous one's, in the page's own clock.
FIRST_SCREEN_JS = """(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const marks = window.__bv;
  // the app's own scripts: those fetched before the preview (the call code comes later)
  const scripts = performance.getEntriesByType('resource')
    .filter((e) => e.name.endsWith('.js') && e.responseEnd <= marks.preview);
  const scriptsEnd = Math.max(nav.responseEnd, ...scripts.map((e) => e.responseEnd));
  const asked = marks.gumAsked ?? nav.responseEnd;
  const got = marks.gumGot ?? asked;
  // in time order: the camera may be asked for (index.html) before the scripts are in
  const ends = [
    ['link opened, request sent', nav.requestStart],
    ['link page (redeemed, app shell)', nav.responseEnd],
    ...[
      ['camera asked for', asked],
      ['getUserMedia answered', got],
      ['app scripts fetched', scriptsEnd],
      ['app rendered (self-view in the page)', marks.selfView ?? marks.preview],
    ].sort((a, b) => a[1] - b[1]),
    ['camera on the self-view', marks.selfViewStream ?? marks.preview],
    ['first preview frame shown', marks.preview],
  ];
  const steps = {};
  let before = 0;
  for (const [name, end] of ends) {
    steps[name] = Math.max(0, end - before);
    before = Math.max(before, end);
  }
  return steps;
})()"""


class ScriptCollector:
    """Keeps the bodies of the scripts a page loads."""

    def __init__(self, bodies: list[bytes]) -> None:
        self.bodies = bodies

    def __call__(self, response: Response) -> None:
        if response.request.resource_type == "script":
            self.bodies.append(response.body())


def interleaved(
    direct: Callable[[], float], proxied: Callable[[], float], runs: int
) -> tuple[float, float]:
    """Medians of alternating calls; which side goes first flips each round."""
    for _ in range(WARM_UP):
        direct()
        proxied()
    direct_times, proxied_times = [], []
    for i in range(runs):
        if i % 2:
            proxied_times.append(proxied())
            direct_times.append(direct())
        else:
            direct_times.append(direct())
            proxied_times.append(proxied())
    return median_ms(direct_times), median_ms(proxied_times)


def timed(call: Callable[[], httpx.Response], expect: int = 200) -> float:
    start = time.perf_counter()
    response = call()
    elapsed = time.perf_counter() - start
    assert response.status_code == expect, (response.status_code, response.text[:300])
    return elapsed


class ProxyBench:
    """The same Client API calls, straight to the node and through the BFF."""

    def __init__(self, stack: Stack) -> None:
        meeting = book_meeting(
            stack,
            guests=[{"display_name": "Borger", "phone": PHONE}],
            end=datetime.now(UTC) + timedelta(hours=2),
        )
        vdx = provisioned(stack, outbox(stack, PHONE)[-1]["meeting_uuid"])
        self.alias = vdx["uriWithDomain"]
        self.host_pin = str(vdx["hostPin"])
        self.node = httpx.Client(base_url=f"{stack.emulator_url}/api/client/v2/conferences/")
        self.bff = httpx.Client(base_url=f"{stack.bff_url}/api/client/v2/conferences/")
        landing = self.bff.get(launch_url(stack, launch_token(meeting.id)))
        assert landing.status_code == 303, landing.text

    def _request_token(self, client: httpx.Client, headers: dict[str, str]) -> float:
        body = {"display_name": "Bench", "call_tag": "", "direct_media": False}
        start = time.perf_counter()
        response = client.post(f"{self.alias}/request_token", json=body, headers=headers)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.text[:300]
        token = response.json()["result"]["token"]
        client.post(f"{self.alias}/release_token", headers={"token": token})
        return elapsed

    def request_token(self) -> tuple[float, float]:
        return interleaved(
            lambda: self._request_token(self.node, {"pin": self.host_pin}),
            lambda: self._request_token(self.bff, {}),
            RUNS_REQUEST_TOKEN,
        )

    def _session(self, client: httpx.Client, headers: dict[str, str]) -> tuple[str, str]:
        body = {"display_name": "Bench", "call_tag": "", "direct_media": False}
        result = client.post(f"{self.alias}/request_token", json=body, headers=headers).json()
        return result["result"]["token"], result["result"]["participant_uuid"]

    def conference_status(self) -> tuple[float, float]:
        node_token, _ = self._session(self.node, {"pin": self.host_pin})
        bff_token, _ = self._session(self.bff, {})
        return interleaved(
            lambda: timed(
                lambda: self.node.get(
                    f"{self.alias}/conference_status", headers={"token": node_token}
                )
            ),
            lambda: timed(
                lambda: self.bff.get(
                    f"{self.alias}/conference_status", headers={"token": bff_token}
                )
            ),
            RUNS_STATUS,
        )

    def calls(self, offer_sdp: str) -> tuple[float, float]:
        def one(client: httpx.Client, headers: dict[str, str]) -> float:
            token, uuid = self._session(client, headers)
            body = {"call_type": "WEBRTC", "sdp": offer_sdp, "media_type": "video"}
            elapsed = timed(
                lambda: client.post(
                    f"{self.alias}/participants/{uuid}/calls", json=body, headers={"token": token}
                )
            )
            client.post(f"{self.alias}/release_token", headers={"token": token})
            return elapsed

        return interleaved(
            lambda: one(self.node, {"pin": self.host_pin}), lambda: one(self.bff, {}), RUNS_CALLS
        )


def browser_offer(page: Page) -> str:
    """An SDP offer as Chromium makes it (audio + video, no candidates yet)."""
    return str(
        page.evaluate(
            """async () => {
              const pc = new RTCPeerConnection({bundlePolicy: 'max-bundle'});
              pc.addTransceiver('audio'); pc.addTransceiver('video');
              const offer = await pc.createOffer();
              pc.close();
              return offer.sdp;
            }"""
        )
    )


def report_line(name: str, direct: float, proxied: float) -> str:
    overhead = proxied - direct
    verdict = "ok" if overhead < PROXY_BUDGET_MS else "OVER BUDGET"
    return (
        f"  {name:<20} direct {direct:7.2f} ms   via BFF {proxied:7.2f} ms   "
        f"overhead {overhead:6.2f} ms   ratio {proxied / direct:5.2f}   {verdict}"
    )


def proxy_report(proxy: ProxyBench, offer: str) -> None:
    budget = f"budget < {PROXY_BUDGET_MS:.0f} ms"
    print(f"Proxy overhead (medians of interleaved calls, same run; {budget}):", flush=True)
    print(report_line("request_token", *proxy.request_token()), flush=True)
    print(report_line("conference_status", *proxy.conference_status()), flush=True)
    print(report_line("calls (SDP answer)", *proxy.calls(offer)), flush=True)


COMPARE_ROUNDS = 3  # stacks per checkout in `--compare`, alternating


def compare_proxies(other: Path) -> None:
    """The proxy's overheads (through the BFF minus straight to the node) for this checkout's
    BFF and DIR's, each started on a node of this checkout, round by round (which goes first
    flips), so the machine's other load falls on both alike."""
    launchers = {"this checkout": (), str(other): ("env", "-C", str(other))}
    calls = ("request_token", "conference_status", "calls (SDP answer)")
    overheads: dict[str, dict[str, list[float]]] = {n: {c: [] for c in calls} for n in launchers}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=chromium_args())
        offer = browser_offer(browser.new_page())
        browser.close()
        for index in range(COMPARE_ROUNDS):
            order = list(launchers.items())
            for name, launcher in order if index % 2 else reversed(order):
                with running_stack(bff_launcher=launcher) as stack:
                    proxy = ProxyBench(stack)
                    for call, (direct, proxied) in zip(calls, (proxy.request_token(),
                        proxy.conference_status(), proxy.calls(offer)), strict=True):  # fmt: skip
                        overheads[name][call].append(proxied - direct)
    print(f"Proxy overhead, medians of {COMPARE_ROUNDS} stacks per checkout in alternating "
          "rounds (each round's figure as in make bench):")  # fmt: skip
    for name, figures in overheads.items():
        print(f"  {name}")
        for call, rounds in figures.items():
            each = ", ".join(f"{ms:.2f}" for ms in rounds)
            print(f"    {call:<20} {statistics.median(rounds):5.2f} ms   (rounds {each})")


def main(proxy_only: bool = False) -> None:
    with running_stack() as stack, sync_playwright() as playwright:
        folder = stack.workdir
        cameras = {
            role: write_y4m(folder / f"{role}.y4m", colour)
            for role, colour in (("citizen", (220, 30, 30)), ("nurse", (30, 60, 220)))
        }
        launch = playwright.chromium.launch
        citizen = launch(executable_path=chromium_path(), args=chromium_args(cameras["citizen"]))
        nurse = launch(executable_path=chromium_path(), args=chromium_args(cameras["nurse"]))
        proxy = ProxyBench(stack)
        offer = browser_offer(citizen.new_page())
        proxy_report(proxy, offer)
        if proxy_only:
            citizen.close()
            nurse.close()
            return
        timings = browser_timings(stack, citizen, nurse)
        print(f"Citizen, medians of {RUNS_IN_BROWSER} runs in headless Chromium:")
        print(f"  link opened -> local preview      {timings['link_to_preview_ms']:7.0f} ms"
              "   (aim <= 300 ms), step by step:")  # fmt: skip
        for step, ms in timings["first_screen_ms"].items():
            print(f"    {step:<38} {ms:7.0f} ms")
        print(
            f"  join pressed -> first remote frame {timings['join_to_remote_frame_ms']:7.0f} ms"
            f"   (runs: {timings['remote_frame_samples_ms']}; aim <= 250 ms), when each step "
            "happened after the press (medians):"
        )
        for step, ms in timings["join_steps_ms"].items():
            print(f"    {step:<34} {ms:7.0f} ms")
        print(
            f"  the same, pressed {LOOK_SECONDS:.0f} s after the preview (a look at herself first) "
            f"{timings['join_after_a_look_ms']:5.0f} ms   "
            f"(runs: {timings['after_a_look_samples_ms']})"
        )
        direct = direct_media_timings(citizen, nurse)
        print(
            f"  the same, the two on direct media (peer to peer) {median_ms(direct):7.0f} ms   "
            f"(runs: {[round(t * 1000) for t in direct]}; aim <= 250 ms)"
        )
        kib = timings["citizen_js_gzip_bytes"] / 1024
        print(f"  JavaScript the citizen page loads  {kib:7.1f} KiB gzipped")
        join_ready_report(stack, citizen)  # issue 7: before "Deltag" works, throttled 4G
        citizen.close()
        nurse.close()


if __name__ == "__main__":
    if "--compare" in sys.argv[1:]:  # --compare DIR: another checkout (the lead's main, a commit)
        compare_proxies(Path(sys.argv[sys.argv.index("--compare") + 1]).resolve())
        sys.exit()
    if "--stats-only" not in sys.argv[1:]:
        main(proxy_only="--proxy-only" in sys.argv[1:])
    stats_report()  # event-sink ingestion and a year's statistics (bench/stats.py)
