"""What `make run` prints works, and stopping it leaves nothing running: started as a person
starts it (`python -m devstack`, on free ports), every URL in its banner answers with a page
or a redirect, every admin page is named with the demo login that opens it, and a SIGKILL
of devstack (no chance to clean up) still ends every process it started."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import httpx
import psutil

from devstack.stack import free_port
from e2e.test_restart import start_make_run, stop

ADMIN_PAGES = ("stats", "plugins", "branding", "devices", "phonebook")


def descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def wait_gone(processes: list[psutil.Process], timeout: float = 30.0) -> list[psutil.Process]:
    """Those still running (not zombies) after `timeout`."""
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    return [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def test_banner_urls_answer_and_sigkill_leaves_no_child(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    bff_port, emulator_port = free_port(), free_port()
    run = start_make_run(tmp_path / "data", bff_port, emulator_port, log)
    children: list[psutil.Process] = []
    try:
        banner = log.read_text().split("Borgervideo is running", 1)[1]
        urls = sorted(set(re.findall(r"https?://[^\s,()]+", banner)))
        assert f"http://127.0.0.1:{emulator_port}/" in urls
        with httpx.Client(timeout=10) as client:
            for url in urls:
                status = client.get(url).status_code
                assert 200 <= status < 400, f"{url} answered {status}"
            index = client.get(f"http://127.0.0.1:{emulator_port}/").text
            assert 'href="/eoj/"' in index and 'href="/outbox"' in index
        for page in ADMIN_PAGES:
            assert f"http://127.0.0.1:{bff_port}/kobenhavn/admin/{page}" in urls, page
        assert "log in as ida" in banner and "demo-kobenhavn-admin-key" in banner

        children = descendants(run.pid)
        names = " ".join(" ".join(p.cmdline()) for p in children)
        for started in ("-m bff", "-m emulator", "oidc_provider.mjs", "redis-server"):
            assert started in names, f"{started} is not among devstack's children: {names}"
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
    finally:
        stop(run)
    left = wait_gone(children)
    assert not left, f"still running after devstack was killed: {[p.cmdline() for p in left]}"


def test_sigterm_stops_every_child(tmp_path: Path) -> None:
    run = start_make_run(tmp_path / "data", free_port(), free_port(), tmp_path / "run.log")
    try:
        children = descendants(run.pid)
        assert len(children) >= 4  # emulator, BFF, its Redis, the OpenID provider
        run.send_signal(signal.SIGTERM)
        run.wait(60)
    finally:
        stop(run)
    assert run.returncode == 0, "devstack ends cleanly on SIGTERM"
    assert not wait_gone(children, timeout=5), "devstack waits for its children before it ends"
