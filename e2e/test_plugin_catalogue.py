"""A catalogue people can run (issue 20 item 10), on a running stack, in Chromium: a plugin
built against the real @pexip/plugin-api (e2e/plugin_fixtures) is added by uploading its zip
on the plugin page, upgraded to a second version that the party picks there, and removed (by
the page and by the operator command), never restarting the BFF. The page shows each
plugin's registration id: read from the build, or reported by the host at its first load."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from devstack.stack import DEMO_ADMIN_KEY, DEMO_PARTY, ROOT, Stack, running_stack
from e2e.helpers import book_meeting, launch_token, launch_url
from e2e.plugin_host_support import FIXTURES, Records, build_fixtures
from e2e.test_plugins_admin import axe_violations

ADMIN = {"X-Admin-Key": DEMO_ADMIN_KEY}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """The first-party plugins only in the folder catalogue: the test plugins come by upload."""
    build_fixtures()
    with running_stack() as running:
        yield running


def fixture_zip(folder: Path, name: str, version: str) -> Path:
    """A test plugin's build as its author ships it: plugin.json (this version) beside dist/."""
    source = FIXTURES / name
    plugin = json.loads((source / "plugin.json").read_text()) | {"version": version}
    target = folder / f"{name}-{version}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/plugin.json", json.dumps(plugin))
        for path in sorted((source / "dist").rglob("*")):
            if path.is_file():
                archive.write(path, f"{name}/{path.relative_to(source).as_posix()}")
    return target


def plugin_page(browser: Browser, stack: Stack) -> Page:
    page = browser.new_context(bypass_csp=True).new_page()  # axe is injected
    page.goto(f"{stack.bff_url}/{DEMO_PARTY}/admin/plugins")
    page.get_by_test_id("plugins-key-input").fill(DEMO_ADMIN_KEY)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("plugin-admin-item").first).to_be_visible()
    return page


def card(page: Page, plugin_id: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[data-testid="plugin-admin-item"][data-plugin-id="{plugin_id}"]')


def upload(page: Page, zip_path: Path) -> None:
    page.get_by_test_id("plugin-zip").set_input_files(str(zip_path))
    page.get_by_test_id("plugin-install").click()
    expect(page.get_by_test_id("plugins-message")).to_contain_text("er installeret")


def save(page: Page) -> None:
    page.get_by_test_id("plugins-save").click()
    expect(page.get_by_test_id("plugins-message")).to_contain_text("Gemt som version")


def operator(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bff.plugins ...` beside the running BFF (its embedded Redis)."""
    env = os.environ | {"BV_DATA_DIR": str(stack.workdir / "redis"), "BV_DEMO": "1"}
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bff.plugins", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def files_of(version: str) -> re.Pattern[str]:
    return re.compile(re.escape(f"/plugin-files/bv-webapp3/{version}/index.html#"))


def call_page(context: BrowserContext, stack: Stack) -> Page:
    page = context.new_page()
    page.goto(launch_url(stack, launch_token(book_meeting(stack).id)))
    return page


def test_a_plugin_is_added_upgraded_and_removed_without_a_restart(
    stack: Stack, nurse_browser: Browser, tmp_path: Path
) -> None:
    bff = stack.bff.process
    admin = plugin_page(nurse_browser, stack)
    expect(card(admin, "bv-webapp3")).to_have_count(0)

    # Added: its zip uploaded on the plugin page; the page shows the id its build registers.
    upload(admin, fixture_zip(tmp_path, "webapp3", "1.0.0"))
    webapp3 = card(admin, "bv-webapp3")
    expect(webapp3.get_by_test_id("plugin-registration")).to_contain_text(
        "bv-webapp3 (læst fra pluginets kode)"
    )
    webapp3.get_by_test_id("plugin-enabled").check()
    save(admin)
    context = nurse_browser.new_context()
    records = Records(context)
    nurse = call_page(context, stack)
    assert records.phase(nurse, "webapp3", "ready")["registered"] is True
    iframe = nurse.locator('iframe[data-plugin-id="bv-webapp3"]')
    expect(iframe).to_have_attribute("src", files_of("1.0.0"))
    assert iframe.get_attribute("src").startswith(stack.plugin_url or "")  # the plugin origin

    # Upgraded: a second version beside the first; the party picks it on its plugin page.
    upload(admin, fixture_zip(tmp_path, "webapp3", "1.1.0"))
    version = card(admin, "bv-webapp3").get_by_test_id("plugin-version")
    expect(version).to_have_value("1.0.0")  # still the party's choice
    version.select_option("1.1.0")
    assert axe_violations(admin) == []  # the version picker, the installed list
    save(admin)
    nurse.reload()
    expect(iframe).to_have_attribute("src", files_of("1.1.0"))
    records.wait(nurse, "webapp3", lambda r: r.get("phase") == "ready")

    # Removed: the old version at once; the one in use only after the party let go of it.
    rows = admin.get_by_test_id("plugins-installed-row")
    expect(rows).to_have_count(2)
    admin.get_by_role("button", name="Fjern bv-webapp3 version 1.0.0").click()
    expect(admin.get_by_test_id("plugins-message")).to_contain_text("er fjernet fra kataloget")
    expect(rows).to_have_count(1)
    admin.get_by_role("button", name="Fjern bv-webapp3 version 1.1.0").click()
    expect(admin.get_by_test_id("plugins-message")).to_contain_text(f"in use by {DEMO_PARTY}")
    assert axe_violations(admin) == []  # the refusal
    old = httpx.get(f"{stack.plugin_url}/plugin-files/bv-webapp3/1.0.0/index.html")
    assert old.status_code == 404
    card(admin, "bv-webapp3").get_by_test_id("plugin-enabled").uncheck()
    save(admin)
    refused = operator(stack, "remove", "bv-webapp3", "1.1.0")
    assert refused.returncode == 2 and f"in use by {DEMO_PARTY}" in refused.stderr
    set_url = f"{stack.bff_url}/api/v1/parties/{DEMO_PARTY}/plugins"
    current = httpx.get(set_url, headers=ADMIN)
    kept = [p for p in current.json()["plugins"] if p["id"] != "bv-webapp3"]
    answer = httpx.put(
        set_url, json={"plugins": kept}, headers=ADMIN | {"If-Match": current.headers["ETag"]}
    )
    assert answer.status_code == 200, answer.text
    removed = operator(stack, "remove", "bv-webapp3", "1.1.0")
    assert removed.returncode == 0, removed.stderr
    nurse.reload()
    expect(nurse.get_by_test_id("join-button")).to_be_visible()
    expect(iframe).to_have_count(0)
    gone = httpx.get(f"{stack.plugin_url}/plugin-files/bv-webapp3/1.1.0/index.html")
    assert gone.status_code == 404
    context.close()
    admin.context.close()
    assert stack.bff.process is bff and bff.poll() is None  # the same BFF all along


def test_an_id_the_build_computes_is_checked_at_first_load(
    stack: Stack, nurse_browser: Browser, tmp_path: Path
) -> None:
    """The conformance plugin computes its id: the operator installs it, the host reports
    what it registered with at its first load, and the plugin page shows it."""
    installed = operator(stack, "install", str(fixture_zip(tmp_path, "conformance", "1.0.0")))
    assert installed.returncode == 0, installed.stderr
    assert "registers as: checked at its first load" in installed.stdout
    admin = plugin_page(nurse_browser, stack)
    conformance = card(admin, "bv-conformance")
    expect(conformance.get_by_test_id("plugin-registration")).to_contain_text(
        "kontrolleres, første gang pluginet indlæses"
    )
    conformance.get_by_test_id("plugin-enabled").check()
    save(admin)

    context = nurse_browser.new_context()
    records = Records(context)
    nurse = call_page(context, stack)
    assert records.phase(nurse, "conformance", "registered")["registered"] is True
    admin.reload()
    admin.get_by_test_id("plugins-key-input").fill(DEMO_ADMIN_KEY)
    admin.keyboard.press("Enter")
    expect(card(admin, "bv-conformance").get_by_test_id("plugin-registration")).to_contain_text(
        "bv-conformance (set ved første indlæsning)"
    )
    listed = operator(stack, "list")
    assert "bv-conformance\t1.0.0\tinstalled\tregisters as bv-conformance" in listed.stdout
    context.close()
    admin.context.close()
