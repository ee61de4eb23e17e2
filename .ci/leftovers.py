"""After `make test`: no process it started may be left. Every process of the test run has
its working directory in the clone (devstack starts its children there, Playwright its
browsers), so any such process started after the run began that is not this check or its
callers is a leftover.

Usage: python .ci/leftovers.py <clone root> <start time, seconds since the epoch>; exit 1
naming the leftovers."""

from __future__ import annotations

import sys
import time

import psutil

GRACE = 20.0  # seconds for processes that were told to stop to finish stopping


def leftovers(root: str, since: float) -> list[psutil.Process]:
    me = psutil.Process()
    ours = {me.pid, *(parent.pid for parent in me.parents())}
    found = []
    for process in psutil.process_iter(["cwd", "status", "create_time"]):
        cwd = process.info["cwd"] or ""
        inside = cwd == root or cwd.startswith(root + "/")
        started = (process.info["create_time"] or 0) >= since
        alive = process.info["status"] != psutil.STATUS_ZOMBIE
        if inside and started and alive and process.pid not in ours:
            found.append(process)
    return found


def main() -> int:
    root, since = sys.argv[1].rstrip("/"), float(sys.argv[2])
    deadline = time.monotonic() + GRACE
    while (found := leftovers(root, since)) and time.monotonic() < deadline:
        time.sleep(0.5)
    for process in found:
        try:
            print(f"left running: pid {process.pid}: {' '.join(process.cmdline())}")
        except psutil.Error:
            continue
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
