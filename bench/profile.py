"""`python -m bench.load --profile`: where the BFF's CPU goes, sampled with py-spy.

py-spy starts the BFF as its child (attaching to a running process is refused on these
machines), samples it 100 times a second while the load runs, and writes the stacks it saw
(py-spy's raw, "collapsed" format: one line per distinct stack, root first, and its count).
Each sample is then put in two boxes:

- the work it belongs to: the outermost handler or background task on its stack (the proxy's
  request_token, its other calls, an event stream, the event sink, link redemption, ...);
- what it was doing: the innermost frame from a known library (Redis client, aiohttp,
  Litestar, uvicorn, logging, metrics, sealing, asyncio) or the BFF's own code (which includes
  the C calls it makes itself: msgspec, hashlib).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
from collections import Counter
from pathlib import Path

import psutil

RATE = 100  # samples a second

# (file fragment, function or "") → the work a sample belongs to; the outermost match counts.
WORK = (
    ("bff/proxy/front.py", "", "proxy"),
    ("bff/proxy/controller.py", "client_api_proxy", "proxy"),
    ("bff/stats/controller.py", "receive_events", "event sink (node's POSTs)"),
    ("bff/joins/", "", "link redemption"),
    ("bff/shell/", "", "app shell"),
    ("bff/stats/observed.py", "", "statistics: observations (background)"),
    ("bff/stats/", "", "statistics: counting (background)"),
    ("bff/phonebook/", "", "phonebook"),
    ("bff/meetings/", "", "meetings (booking)"),
    ("bff/proxy/", "", "proxy (background)"),
)
# When no handler or task of ours is on the stack (the outermost match counts).
FRAMEWORK = (
    ("litestar/", "Litestar, before a handler"),
    ("uvicorn/", "HTTP server (uvicorn, httptools)"),
    ("redis/", "Redis client callbacks (replies, writes)"),
    ("aiohttp/", "aiohttp callbacks (node answers, writes)"),
)
PROXY_CALLS = (
    ("_request_token", "request_token"),
    ("_granted_request_token", "request_token"),
    ("_send_stream", "event stream"),
    ("_event_stream", "event stream"),
    ("_bound_call", "other calls (release_token, ...)"),
)
# (file fragment, what) for the innermost frame that names a library; the BFF's own last.
DOING = (
    ("/redis/", "Redis client"),
    ("/aiohttp/", "aiohttp (node client)"),
    ("/yarl/", "aiohttp (node client)"),
    ("/multidict/", "aiohttp (node client)"),
    ("/httpx/", "httpx (VDX client)"),
    ("/httpcore/", "httpx (VDX client)"),
    ("/cryptography/", "sealing"),
    ("bff/sealing.py", "sealing"),
    ("/logging/", "logging"),
    ("bff/ops/logs.py", "logging"),
    ("/prometheus_client/", "metrics"),
    ("bff/ops/metrics.py", "metrics"),
    ("/litestar/", "Litestar"),
    ("/msgspec/", "JSON (msgspec)"),
    ("/json/", "JSON (json)"),
    ("/jinja2/", "templates"),
    ("/uvicorn/", "uvicorn"),
    ("/asyncio/runners.py", "event loop (uvloop, in C)"),
    ("/asyncio/", "asyncio"),
    ("/bff/", "BFF code (with its msgspec/hashlib calls)"),
)


def launcher(output: Path) -> tuple[str, ...]:
    """The command prefix that starts the BFF under py-spy, writing to `output`."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or "py-spy"
    return (spy, "record", "--nonblocking", "--rate", str(RATE), "--format", "raw",
            "--output", str(output), "--")  # fmt: skip


def profiled_pid(pid: int) -> int:
    """The BFF's own process under py-spy (its child), else `pid` itself."""
    children = psutil.Process(pid).children()
    return children[0].pid if children else pid


def finish(pid: int, output: Path) -> None:
    """Stop sampling (py-spy writes its file on SIGINT and ends the BFF with it)."""
    os.kill(pid, signal.SIGINT)
    with contextlib.suppress(psutil.Error):
        psutil.Process(pid).wait(timeout=30)
    if not output.exists():
        raise RuntimeError(f"py-spy wrote no profile at {output}")


def _frame_file(frame: str) -> str:
    return "/" + frame.rpartition(" (")[2]  # py-spy names files from their package: /redis/...


def _in_loop(frames: list[str]) -> list[str]:
    """The frames the event loop runs (start-up's own frames dropped; the loop's kept)."""
    for index, frame in enumerate(frames):
        if frame.startswith("Runner.run ") or frame.startswith("Server.serve "):
            return frames[index:]
    return frames


def _work(frames: list[str]) -> str:
    called = {f.partition(" (")[0] for f in frames}
    # Every request passes the proxy's front (bff/proxy/front.py); one it hands on to
    # Litestar's router is no proxied call: its work is the handler's further in.
    routed = "ASGIRouter.__call__" in called
    for frame in frames:  # root first: the outermost match
        name, file = frame.partition(" (")[0], _frame_file(frame)
        if routed and "bff/proxy/front.py" in file:
            continue
        for fragment, function, label in WORK:
            if fragment in file and (not function or name == function):
                if label != "proxy":
                    return label
                for marker, call in PROXY_CALLS:
                    if marker in called:
                        return f"proxy: {call}"
                return "proxy: before routing the call"
    if routed:
        return "Litestar and the app's middleware, around a handler"
    for frame in frames:
        file = _frame_file(frame)
        for fragment, label in FRAMEWORK:
            if fragment in file:
                return label
    if len(frames) == 1 and frames[0].startswith("Runner.run "):
        return "event loop itself (uvloop: sockets, epoll, timers)"
    return "other"


def _doing(frames: list[str]) -> str:
    for frame in reversed(frames):  # leaf first: the innermost library
        file = _frame_file(frame)
        for fragment, label in DOING:
            if fragment in file:
                return label
    return "other"


def breakdown(output: Path) -> tuple[Counter[str], Counter[tuple[str, str]], int]:
    """Samples by work, by (work, doing), and in all."""
    works: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    total = 0
    for line in output.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [f for f in stack.split(";") if f.rpartition(" (")[2].endswith(")")]
        frames = _in_loop(frames)
        n = int(count)
        work = _work(frames)
        works[work] += n
        pairs[(work, _doing(frames))] += n
        total += n
    return works, pairs, total


def report(output: Path, top: int = 6) -> None:
    works, pairs, total = breakdown(output)
    if not total:
        print(f"  profile: no samples in {output}")
        return
    print(f"\n  Profile (py-spy, {total} samples at {RATE}/s = {total / RATE:.1f} s of BFF CPU; "
          f"stacks in {output}):")  # fmt: skip
    for work, n in works.most_common():
        print(f"    {n / total:6.1%}  {work}")
        doing = sorted(((m, d) for (w, d), m in pairs.items() if w == work), reverse=True)
        for m, what in doing[:top]:
            print(f"             {m / n:6.1%} {what}")
