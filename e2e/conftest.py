from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright

from devstack.stack import Stack, chromium_args, chromium_path, running_stack, write_y4m

CITIZEN_COLOUR = (220, 30, 30)  # the citizen's fake camera is red
NURSE_COLOUR = (30, 60, 220)  # the nurse's fake camera is blue


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    with running_stack() as running:
        yield running


# The files that hold a call for minutes go first, so the two workers (`--dist loadfile`)
# share the long ones and the short files fill in around them.
LONG_FILES = (
    "test_running_over.py",
    "test_running_over_limit.py",
    "test_reconnect.py",
    "test_restart.py",
    "test_hostile_input.py",
    "test_make_run_login.py",
)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-xdist would put the files with the most tests first (its loadscope reorder, on by
    # default): the long files above, one or two tests each, would start last.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONG_FILES.index(name) if name in LONG_FILES else len(LONG_FILES)

    items.sort(key=rank)  # stable: the order within a file is kept


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _print_logs_on_failure(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    report = getattr(request.node, "report_call", None)
    if report is None or not report.failed:
        return
    for name in ("stack", "direct_stack"):  # the stack the test used, whichever it was
        if name in request.fixturenames:
            print(request.getfixturevalue(name).logs()[-20000:])


@pytest.fixture(autouse=True)
def _close_contexts_left_open(request: pytest.FixtureRequest) -> Iterator[None]:
    """The shared browsers start each test empty: a context a test left open (a failed
    assertion before its close, a helper's page) would go on calling and streaming video,
    loading the machine for the tests after it."""
    yield
    for name in ("citizen_browser", "nurse_browser"):
        if name in request.fixturenames:
            browser: Browser = request.getfixturevalue(name)
            for context in list(browser.contexts):
                context.close()


@pytest.fixture(scope="session")
def fake_cameras(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cameras")
    return {
        "citizen": write_y4m(folder / "citizen.y4m", CITIZEN_COLOUR),
        "nurse": write_y4m(folder / "nurse.y4m", NURSE_COLOUR),
    }


def _launch(playwright: Playwright, camera: Path) -> Browser:
    return playwright.chromium.launch(
        executable_path=chromium_path(), args=chromium_args(camera), headless=True
    )


@pytest.fixture(scope="session")
def citizen_browser(playwright: Playwright, fake_cameras: dict[str, Path]) -> Iterator[Browser]:
    browser = _launch(playwright, fake_cameras["citizen"])
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def nurse_browser(playwright: Playwright, fake_cameras: dict[str, Path]) -> Iterator[Browser]:
    browser = _launch(playwright, fake_cameras["nurse"])
    yield browser
    browser.close()
