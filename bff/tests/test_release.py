"""Releases and deployment files: the version at /readyz and in bv_build_info, .env.example
naming every setting, the secrets generator, and the hardened systemd unit."""

from __future__ import annotations

import ast
import base64
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff import __version__
from bff.app import create_app
from bff.core.security import sha256_hex
from bff.core.settings import Settings, load_settings, value_of, variables
from bff.ops import envsecrets
from bff.tests.conftest import EojSigner, make_settings, settings_with

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"^[A-Z][A-Z0-9]*_[A-Z0-9_]+$")


def test_the_version_is_pyprojects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert __version__ == project["version"]
    assert f"## {__version__} " in (ROOT / "CHANGELOG.md").read_text()


async def test_readyz_and_metrics_name_the_release(client: AsyncTestClient[Litestar]) -> None:
    ready = (await client.get("/readyz")).json()
    assert ready["version"] == __version__
    metrics = (await client.get("/metrics")).text
    assert re.search(
        rf'^bv_build_info\{{python="[0-9.]+",version="{re.escape(__version__)}"\}} '
        r"1\.0$",
        metrics,
        re.MULTILINE,
    ), metrics[:2000]


# --- .env.example -------------------------------------------------------------------------


# Read only to refuse it with a pointer to what replaced it.
RETIRED = {"VDX_AUTH"}


def _settings_variables() -> set[str]:
    """Every NAME-shaped string in bff/core/settings.py (in calls, tuples and tables alike)."""
    tree = ast.parse((ROOT / "bff" / "core" / "settings.py").read_text())
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and VARIABLE.match(node.value)
    } - RETIRED


class RecordingEnv(dict[str, str]):
    """An environment that notes every name load_settings asks for."""

    def __init__(self, values: dict[str, str], asked: set[str]) -> None:
        super().__init__(values)
        self.asked = asked

    def get(self, key: str, default: Any = None) -> Any:
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.asked.add(str(key))
        return super().__contains__(key)


def _example() -> tuple[dict[str, str], set[str]]:
    """(the lines that set a value, every name shown, commented out or not)."""
    values: dict[str, str] = {}
    shown: set[str] = set()
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^(# )?([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            shown.add(match[2])
            if not match[1]:
                values[match[2]] = match[3]
    return values, shown


def test_env_example_names_every_setting(tmp_path: Path) -> None:
    in_code = _settings_variables()
    asked: set[str] = set()
    token_file = tmp_path / "sts"
    token_file.write_text("t")
    key = {"BV_DATA_KEY": "k" * 43, "REDIS_URL": "redis://r:6379"}
    cert = {
        "VDX_SMS_CLIENT_CERT": str(token_file),
        "VDX_SMS_CLIENT_KEY": str(token_file),
        "VDX_STS_TOKEN_FILE": str(token_file),
        "VDX_SMS_CA_FILE": str(token_file),
    }
    live = key | {
        "PEXIP_NODE_URL": "https://n.example",
        "VDX_VIDEO_API_URL": "https://v.example",
        "VDX_SMS_API_URL": "https://s.example",
    }
    for env in (
        {"BV_DEMO": "1"},
        live | {"VDX_VIDEO_API_ROUTE": "gateway", "VDX_SMS_API_ROUTE": "gateway"},
        live
        | {"VDX_TOKEN_URL": "https://t.example", "VDX_CLIENT_ID": "c", "VDX_CLIENT_SECRET": "s"}
        | cert,
    ):
        load_settings(RecordingEnv(env, asked))
    # The scan of settings.py sees every name load_settings asked for, in every VDX route.
    assert asked - RETIRED <= in_code, asked - in_code
    assert len(in_code) >= 40
    _, shown = _example()
    assert in_code <= shown, f".env.example lacks {sorted(in_code - shown)}"
    assert shown <= in_code | {"BV_OIDC_SECRET_KOBENHAVN"}, shown - in_code


def test_env_example_with_generated_secrets_is_a_valid_production_setting(
    tmp_path: Path,
) -> None:
    values, _ = _example()
    generated, _ = envsecrets.new_secrets(["pexip-node-1"])
    # What stays empty is exactly what the generator fills, and the VDX client secret
    # (VDX issues it).
    empty = {name for name, value in values.items() if not value}
    assert empty == set(generated) | {"VDX_CLIENT_SECRET"}
    # The certificate route's files, where the example puts them: here, in a folder of the test.
    names = ("VDX_SMS_CLIENT_CERT", "VDX_SMS_CLIENT_KEY", "VDX_STS_TOKEN_FILE")
    files = {name: tmp_path / Path(values[name]).name for name in names}
    for path in files.values():
        path.write_text("x")
    settings = load_settings(
        values
        | generated
        | {"VDX_CLIENT_SECRET": "from-vdx"}
        | {name: str(path) for name, path in files.items()}
    )
    assert settings.serving.secure_cookies and not settings.demo
    assert (
        settings.data.redis_url
        and settings.data.data_key is not None
        and settings.serving.workers == 2
    )


# --- the secrets generator ------------------------------------------------------------------


@pytest.fixture
def generated(capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, str], dict[str, str]]:
    assert envsecrets.main(["--sink-node", "node-a", "--sink-node", "node-b"]) == 0
    out, err = capsys.readouterr()
    env = dict(line.split("=", 1) for line in out.splitlines())
    handed = dict(
        re.match(r"^(.*) \(shown once, only its sha256 is kept\): (\S+)$", line).groups()  # type: ignore[union-attr]
        for line in err.splitlines()
    )
    return env, handed


@pytest.fixture
async def generated_client(
    generated: tuple[dict[str, str], dict[str, str]],
    tmp_path: Path,
    branding: tuple[Path, EojSigner],
    dist: Path,
) -> AsyncIterator[AsyncTestClient[Litestar]]:
    env, _ = generated
    loaded = load_settings(env | {"REDIS_URL": "redis://unused:6379"})
    settings: Settings = settings_with(
        make_settings(tmp_path, branding[0], dist, "http://127.0.0.1:9"),
        statistics={
            "event_sink_nodes": loaded.statistics.event_sink_nodes,
            "steering_key_sha256": loaded.statistics.steering_key_sha256,
        },
        serving={"metrics_token": loaded.serving.metrics_token},
        data={"data_keys": (loaded.data.data_key,)},
    )
    async with AsyncTestClient(app=create_app(settings), base_url="http://127.0.0.1:8080") as c:
        yield c


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


async def test_generated_secrets_open_what_they_are_for(
    generated: tuple[dict[str, str], dict[str, str]],
    generated_client: AsyncTestClient[Litestar],
) -> None:
    env, handed = generated
    assert len(base64.urlsafe_b64decode(env["BV_DATA_KEY"] + "=")) == 32
    assert handed.keys() == {
        "steering group key",
        "event sink password of node node-a",
        "event sink password of node node-b",
    }
    client = generated_client
    sink = {"event": "eventsink_started"}
    password = handed["event sink password of node node-a"]
    assert (
        await client.post("/eventsink/node-a", json=sink, headers=_basic("node-a", password))
    ).status_code < 300
    assert (
        await client.post("/eventsink/node-b", json=sink, headers=_basic("node-b", password))
    ).status_code == 401
    steering = {"X-API-Key": handed["steering group key"]}
    stats = await client.get("/api/v1/stats?from=2026-03&to=2026-03", headers=steering)
    assert stats.status_code == 200 and stats.json()["scope"] == "all", stats.text
    assert (await client.get("/metrics")).status_code == 401
    token = {"Authorization": f"Bearer {env['BV_METRICS_TOKEN']}"}
    assert (await client.get("/metrics", headers=token)).status_code == 200
    assert env["BV_STATS_STEERING_KEY_SHA256"] == sha256_hex(handed["steering group key"])


def test_the_generator_writes_a_private_file_once(tmp_path: Path) -> None:
    out = tmp_path / "borgervideo.env"
    assert envsecrets.main(["--out", str(out)]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    first = out.read_text()
    assert first.startswith("BV_DATA_KEY=")
    with pytest.raises(SystemExit):
        envsecrets.main(["--out", str(out)])
    assert out.read_text() == first
    with pytest.raises(SystemExit):
        envsecrets.main(["--sink-node", "bad name"])


# --- the systemd unit -------------------------------------------------------------------------


def test_the_systemd_unit_is_valid_and_hardened(tmp_path: Path) -> None:
    """systemd checks the unit (with this checkout's Python in place of /opt/borgervideo) and
    rates its exposure offline (0 best, 10 worst)."""
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze (Debian's systemd package) is needed to check the unit"
    text = (ROOT / "deploy" / "borgervideo.service").read_text()
    for line in (
        "EnvironmentFile=/etc/borgervideo/borgervideo.env",
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=",
        "ExecStart=/opt/borgervideo/venv/bin/python -m bff",
    ):
        assert f"\n{line}\n" in text, line
    unit = tmp_path / "borgervideo.service"
    unit.write_text(
        text.replace("/opt/borgervideo/venv/bin/python", sys.executable).replace(
            "WorkingDirectory=/opt/borgervideo", f"WorkingDirectory={ROOT}"
        )
    )
    env = os.environ | {"SYSTEMD_LOG_COLOR": "0"}
    verify = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, env=env)
    assert verify.returncode == 0, verify.stderr
    security = subprocess.run(
        [analyze, "security", "--offline=yes", "--threshold=20", "--no-pager", str(unit)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert security.returncode == 0, security.stdout[-2000:]
    level = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security.stdout)
    assert level and float(level[1]) <= 2.0, security.stdout[-500:]


# --- docs/interfaces.md "BFF settings" -------------------------------------------------------
def _settings_table() -> list[tuple[str, str, str]]:
    """(variable, its field in Settings, its documented default) for each row whose default is
    a literal (`300`) or `unset`, variables, fields and defaults paired in order where a row
    names several (`A` / `B`)."""
    text = (ROOT / "docs" / "interfaces.md").read_text()
    table = text.split("## BFF settings", 1)[1].split("\n## ", 1)[0]
    rows: list[tuple[str, str, str]] = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0])
        fields = re.findall(r"`([a-z0-9_.]+)`", cells[1])
        assert len(fields) == len(names) or cells[1] == "—", line
        if cells[2] == "unset":
            defaults = ["unset"] * len(names)
        elif re.fullmatch(r"`[^`]*`( / `[^`]*`)*", cells[2]):
            defaults = re.findall(r"`([^`]*)`", cells[2])
            assert len(defaults) == len(names), line
        else:
            defaults = ["?"] * len(names)  # prose ("none", "as `BV_DEMO`"): the field only
        rows += list(zip(names, fields or [""] * len(names), defaults, strict=True))
    return rows


def _as_documented(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ":".join(str(part) for part in value)
    return str(value)


def test_documented_defaults_are_the_settings_defaults() -> None:
    """docs/interfaces.md names every variable with the field it sets, and its defaults are
    Settings' (each written once, in the structs) and what load_settings gives an empty
    environment."""
    loaded, struct = load_settings({}), Settings()
    checked = 0
    documented: set[str] = set()
    for name, field, default in _settings_table():
        if name not in variables():
            assert not field, f"{name}: no field of Settings reads it"
            continue
        variable = variables()[name]
        documented.add(name)
        assert field == ".".join(filter(None, (variable.concern, variable.field))), name
        if default == "?":
            continue
        for settings in (loaded, struct):
            value = value_of(settings, name)
            if default == "unset":
                assert not value, f"{name}: documented unset, the default is {value!r}"
            else:
                assert _as_documented(value) == default, f"{name}: docs say {default}"
        checked += 1
    assert documented == set(variables()), set(variables()) - documented
    assert checked >= 40, checked
