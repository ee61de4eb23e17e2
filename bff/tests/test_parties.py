"""Demo credentials only in the development stack; `python -m bff.parties` makes real ones."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core.security import sha256_hex
from bff.core.settings import Settings, SettingsError, load_settings
from bff.parties.cli import main as parties_command
from bff.parties.loader import PartyConfigError, load_parties
from bff.tests.conftest import (
    KOBENHAVN_KEY,
    REGION_KEY,
    ROOT,
    EojSigner,
    booking,
    make_settings,
    new_ec_key,
    settings_with,
)
from bff.tests.test_integration import launch_token


def run_command(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = parties_command(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def new_party(
    capsys: pytest.CaptureFixture[str], root: Path, party_id: str, *extra: str
) -> tuple[int, str, str]:
    return run_command(
        capsys,
        "new",
        party_id,
        "--name",
        "Aarhus Kommune",
        "--kind",
        "municipality",
        "--organisation-code",
        "751",
        "--sms-sender",
        "AarhusKom",
        "--branding-dir",
        str(root),
        *extra,
    )


def all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


# --- demo credentials -------------------------------------------------------------------------


def test_demo_setting_is_off_unless_asked() -> None:
    assert load_settings({}).demo is False
    assert Settings().demo is False
    assert load_settings({"BV_DEMO": "1"}).demo is True
    assert load_settings({"BV_DEMO": "0"}).demo is False
    with pytest.raises(SettingsError, match=r"^BV_DEMO: "):
        load_settings({"BV_DEMO": "maybe"})


async def test_demo_credentials_refused_outside_the_dev_stack(
    settings: Settings, signer: EojSigner, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bff.parties"):
        # Static API keys switched on (BV_API_KEYS=1): the demo ones still do not count.
        app = create_app(settings_with(settings, demo=False, identity={"api_keys": True}))
    warnings = [r.getMessage() for r in caplog.records if r.name == "bff.parties"]
    assert len(warnings) == 2, warnings  # one per party
    assert all("demo credentials inactive" in w for w in warnings)
    assert any(w.startswith("party kobenhavn:") for w in warnings)
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        for key in (KOBENHAVN_KEY, REGION_KEY):
            resp = await client.post("/api/v1/meetings", json=booking(), headers={"X-API-Key": key})
            assert resp.status_code == 401
            assert "Unknown API key" in resp.json()["detail"]
        token = launch_token(signer, "0" * 32)
        resp = await client.get("/kobenhavn/launch", params={"token": token})
        assert resp.status_code == 401 and "ukendt nøgle" in resp.text


async def test_demo_credentials_accepted_in_the_dev_stack(
    settings: Settings, signer: EojSigner, caplog: pytest.LogCaptureFixture
) -> None:
    assert settings.demo  # conftest: the tests run as the development stack
    with caplog.at_level(logging.WARNING, logger="bff.parties"):
        app = create_app(settings)
    warnings = [r.getMessage() for r in caplog.records if r.name == "bff.parties"]
    assert warnings == [
        "BV_DEMO=1: demo credentials of kobenhavn, region-midt are trusted (their keys are "
        "public); the development stack only"
    ]
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        resp = await client.post(
            "/api/v1/meetings", json=booking(), headers={"X-API-Key": KOBENHAVN_KEY}
        )
        assert resp.status_code == 201, resp.text
        # The same kind of token as above now passes the key check: only the meeting is unknown.
        token = launch_token(signer, "0" * 32)
        resp = await client.get("/kobenhavn/launch", params={"token": token})
        assert resp.status_code == 404


def test_shipped_demo_credentials_are_marked(tmp_path: Path) -> None:
    """Unmarking the repository's demo key (a copied folder, edited) stops start-up."""
    for party in ("kobenhavn", "region-midt"):
        data = json.loads((ROOT / "branding" / party / "party.json").read_text())
        assert all(k["demo"] is True for k in data["api_keys"] + data["eoj_keys"])
    for section, field in (("api_keys", "sha256"), ("eoj_keys", "public_key_file")):
        folder = tmp_path / section / "branding"
        shutil.copytree(ROOT / "branding", folder)
        file = folder / "kobenhavn" / "party.json"
        data = json.loads(file.read_text())
        data[section][0]["demo"] = False
        file.write_text(json.dumps(data))
        with pytest.raises(PartyConfigError) as err:
            load_parties(folder, demo=True)
        assert str(err.value).startswith(f"branding/kobenhavn/party.json: {section}[0].{field}: ")
        assert "demo" in str(err.value)


def test_one_api_key_one_party(tmp_path: Path) -> None:
    folder = tmp_path / "branding"
    shutil.copytree(ROOT / "branding", folder)
    file = folder / "region-midt" / "party.json"
    data = json.loads(file.read_text())
    data["api_keys"].append({"id": "copied", "sha256": sha256_hex(KOBENHAVN_KEY), "demo": True})
    file.write_text(json.dumps(data))
    with pytest.raises(PartyConfigError, match=r"region-midt/party.json: api_keys\[1\].sha256: "):
        load_parties(folder, demo=True)


# --- python -m bff.parties ----------------------------------------------------------------------


async def test_new_party_works_with_its_printed_key(
    tmp_path: Path, dist: Path, emulator_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "branding"
    private, public = new_ec_key()
    (tmp_path / "eoj.pem").write_bytes(public)
    issuer = "https://eoj.aarhus.example"
    code, out, err = new_party(
        capsys,
        root,
        "aarhus",
        *("--eoj-key", str(tmp_path / "eoj.pem"), "--eoj-kid", "nexus-1", "--eoj-issuer", issuer),
    )
    assert code == 0, err
    key = out.strip()
    assert key.startswith("bv_") and len(key) >= 40 and "\n" not in key
    assert "shown only now" in err and key not in err
    assert sorted(p.name for p in root.iterdir()) == ["aarhus"]  # no staging left behind
    written = all_bytes(root)
    assert key.encode() not in written  # never the key itself, only its hash
    data = json.loads((root / "aarhus" / "party.json").read_text())
    assert data["api_keys"] == [{"id": "main", "sha256": sha256_hex(key)}]
    assert data["eoj_keys"][0]["alg"] == "ES256" and data["eoj_keys"][0]["kid"] == "nexus-1"
    assert b"PRIVATE" not in written

    party = load_parties(root)["aarhus"]  # demo off: fresh credentials are real ones
    assert party.manifest["brandName"] == "Aarhus Kommune"
    assert len(party.manifest["colorPalette"]) == 11
    assert (party.branding_dir / "logo.svg").is_file()

    settings = settings_with(
        make_settings(tmp_path, root, dist, emulator_url), demo=False, identity={"api_keys": True}
    )
    app = create_app(settings)
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        resp = await client.post("/api/v1/meetings", json=booking(), headers={"X-API-Key": key})
        assert resp.status_code == 201, resp.text
        meeting_id = resp.json()["id"]
        assert resp.json()["staff"]["jwt_audience"] == "borgervideo:aarhus"
        aarhus = EojSigner(private, kid="nexus-1", issuer=issuer)
        token = launch_token(aarhus, meeting_id, aud="borgervideo:aarhus")
        resp = await client.get("/aarhus/launch", params={"token": token}, follow_redirects=False)
        assert resp.status_code == 303, resp.text
        assert (await client.get("/aarhus/")).status_code == 200
        wrong = await client.post(
            "/api/v1/meetings", json=booking(), headers={"X-API-Key": key + "x"}
        )
        assert wrong.status_code == 401


@pytest.mark.parametrize(
    ("party_id", "message"),
    [
        ("aarhus", "already exists"),
        ("Aarhus", "lowercase slug"),
        ("århus", "lowercase slug"),
        ("a" * 64, "lowercase slug"),
        ("aar/hus", "lowercase slug"),
        ("api", "reserved"),
        ("assets", "reserved"),
    ],
)
def test_new_refuses_existing_bad_and_reserved_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], party_id: str, message: str
) -> None:
    root = tmp_path / "branding"
    assert new_party(capsys, root, "aarhus")[0] == 0
    before = all_bytes(root)
    code, out, err = new_party(capsys, root, party_id)
    assert code == 2 and out == ""
    assert message in err and party_id in err
    assert all_bytes(root) == before and sorted(p.name for p in root.iterdir()) == ["aarhus"]


def test_new_refuses_bad_values_naming_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "branding"
    code, out, err = new_party(capsys, root, "odder", "--sms-sender", "MuchTooLongSender")
    assert code == 2 and out == ""
    assert "--sms-sender: branding/odder/party.json: vdx.sms_sender_name" in err
    private, _ = new_ec_key()
    (tmp_path / "private.pem").write_bytes(private)
    eoj = ("--eoj-key", str(tmp_path / "private.pem"), "--eoj-kid", "k", "--eoj-issuer", "i")
    code, out, err = new_party(capsys, root, "odder", *eoj)
    assert code == 2 and "a private key; give the public half" in err
    code, out, err = new_party(capsys, root, "odder", "--eoj-kid", "k")
    assert code == 2 and "go together" in err
    assert list(root.iterdir()) == []  # nothing half-written, no claimed folder left


def test_add_and_remove_api_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "branding"
    _, first, _ = new_party(capsys, root, "aarhus")
    code, second, err = run_command(
        capsys, "add-api-key", "aarhus", "--id", "2026-01", "--branding-dir", str(root)
    )
    assert code == 0, err
    first, second = first.strip(), second.strip()
    assert second.startswith("bv_") and second != first
    assert second.encode() not in all_bytes(root)
    hashes = load_parties(root)["aarhus"].api_key_hashes
    assert hashes == (sha256_hex(first), sha256_hex(second))

    code, out, err = run_command(
        capsys, "add-api-key", "aarhus", "--id", "main", "--branding-dir", str(root)
    )
    assert code == 2 and out == "" and "already has an API key with id 'main'" in err
    code, out, err = run_command(
        capsys, "add-api-key", "odder", "--id", "x", "--branding-dir", str(root)
    )
    assert code == 2 and "no such party" in err

    code, out, err = run_command(
        capsys, "remove-api-key", "aarhus", "--id", "main", "--branding-dir", str(root)
    )
    assert code == 0, err
    assert load_parties(root)["aarhus"].api_key_hashes == (sha256_hex(second),)
    assert sorted(p.name for p in root.iterdir()) == ["aarhus"]


def test_add_eoj_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "branding"
    new_party(capsys, root, "aarhus")
    _, public = new_ec_key()
    (tmp_path / "eoj.pem").write_bytes(public)
    args = ("--public-key", str(tmp_path / "eoj.pem"), "--issuer", "https://eoj.example")
    code, _, err = run_command(
        capsys, "add-eoj-key", "aarhus", "--kid", "k1", *args, "--branding-dir", str(root)
    )
    assert code == 0, err
    assert set(load_parties(root)["aarhus"].eoj_keys) == {"k1"}
    code, _, err = run_command(
        capsys, "add-eoj-key", "aarhus", "--kid", "k1", *args, "--branding-dir", str(root)
    )
    assert code == 2 and "already trusts" in err


def test_command_line_entry_point(tmp_path: Path) -> None:
    """`python -m bff.parties` as an operator runs it, BV_BRANDING_DIR naming the folder."""
    root = tmp_path / "branding"
    command = [
        sys.executable,
        "-m",
        "bff.parties",
        "new",
        "region-nord",
        "--name",
        "Region Nordjylland",
        "--kind",
        "region",
        "--organisation-code",
        "30000",
        "--sms-sender",
        "RegionNord",
    ]
    env: dict[str, Any] = {"PATH": "/usr/bin:/bin", "BV_BRANDING_DIR": str(root)}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    key = done.stdout.strip()
    assert load_parties(root)["region-nord"].api_key_hashes == (sha256_hex(key),)
    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "already exists" in again.stderr and again.stdout == ""
