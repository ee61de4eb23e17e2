"""Names at rest: sealed in Redis (and its files), open only where the job needs them."""

from __future__ import annotations

import base64
import secrets
import stat
import time
from pathlib import Path

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core import store
from bff.core.sealing import Sealer, SealError
from bff.core.settings import Settings, SettingsError, load_settings, resolve_data_key
from bff.joins.models import Session
from bff.meetings.models import GuestLink
from bff.tests.conftest import EojSigner, settings_with
from bff.tests.test_integration import (
    all_redis_text,
    book,
    launch_token,
    link_path,
    redis_of,
    shell_config,
)

Client = AsyncTestClient[Litestar]
PURPOSE = "bv:link:m-1:kobenhavn"


def new_key() -> str:
    return secrets.token_urlsafe(32)


# --- seal / unseal --------------------------------------------------------------------------


def test_seal_round_trip_with_a_fresh_nonce_each_time() -> None:
    sealer = Sealer(secrets.token_bytes(32))
    first = sealer.seal("Pårørende Ærø", PURPOSE)
    second = sealer.seal("Pårørende Ærø", PURPOSE)
    assert first != second and "Pårørende" not in first
    assert sealer.unseal(first, PURPOSE) == sealer.unseal(second, PURPOSE) == "Pårørende Ærø"


def test_tampered_value_does_not_open() -> None:
    sealer = Sealer(secrets.token_bytes(32))
    raw = bytearray(base64.urlsafe_b64decode(sealer.seal("Borger Jensen", PURPOSE)[3:]))
    raw[-1] ^= 1
    tampered = "v1." + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(SealError):
        sealer.unseal(tampered, PURPOSE)
    for garbage in ("", "v1.", "v1.!!!", "Borger Jensen"):
        with pytest.raises(SealError):
            sealer.unseal(garbage, PURPOSE)


def test_value_for_another_purpose_or_key_does_not_open() -> None:
    sealer = Sealer(secrets.token_bytes(32))
    sealed = sealer.seal("Borger Jensen", PURPOSE)
    with pytest.raises(SealError):
        sealer.unseal(sealed, "bv:link:m-2:kobenhavn")
    with pytest.raises(SealError):
        sealer.unseal(sealed, "bv:session:m-1:host")
    with pytest.raises(SealError):
        Sealer(secrets.token_bytes(32)).unseal(sealed, PURPOSE)


def test_unseal_or_answers_the_default_where_the_value_does_not_open() -> None:
    sealer = Sealer(secrets.token_bytes(32))
    sealed = sealer.seal("Borger Jensen", PURPOSE)
    assert sealer.unseal_or(sealed, PURPOSE, "Ukendt") == "Borger Jensen"
    assert sealer.unseal_or(sealed, "bv:link:m-2:kobenhavn", "Ukendt") == "Ukendt"
    assert Sealer(secrets.token_bytes(32)).unseal_or(sealed, PURPOSE, "") == ""


def test_guest_link_name_does_not_open_in_another_meetings_link() -> None:
    sealer = Sealer(secrets.token_bytes(32))
    link = GuestLink.sealed(sealer, "m-1", "kobenhavn", "Borger Jensen")
    assert link.display_name(sealer) == "Borger Jensen"
    swapped = GuestLink("m-2", "kobenhavn", link.display_name_sealed)
    with pytest.raises(SealError):
        swapped.display_name(sealer)


# --- settings -------------------------------------------------------------------------------


def test_shared_redis_needs_a_data_key() -> None:
    with pytest.raises(SettingsError, match=r"^BV_DATA_KEY: .*REDIS_URL"):
        load_settings({"REDIS_URL": "redis://127.0.0.1:6379/0"})
    key = new_key()
    settings = load_settings({"REDIS_URL": "redis://127.0.0.1:6379/0", "BV_DATA_KEY": key})
    assert settings.data.data_key == base64.urlsafe_b64decode(key + "=")


@pytest.mark.parametrize("bad", ["short", base64.urlsafe_b64encode(b"x" * 16).decode(), "*" * 43])
def test_bad_data_key_is_named(bad: str) -> None:
    with pytest.raises(SettingsError, match=r"^BV_DATA_KEY: must be 32 random bytes"):
        load_settings({"BV_DATA_KEY": bad})


def test_create_app_refuses_shared_redis_without_key(settings: Settings) -> None:
    shared = settings_with(settings, data={"redis_url": "redis://127.0.0.1:6379/0"})
    with pytest.raises(SettingsError, match=r"^BV_DATA_KEY: "):
        create_app(shared)


def test_embedded_mode_makes_data_key_once_and_reuses_it(tmp_path: Path) -> None:
    settings = load_settings({"BV_DATA_DIR": str(tmp_path / "data")})
    assert settings.data.data_key is None
    key = resolve_data_key(settings)
    path = tmp_path / "data" / "data.key"
    assert len(key) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert resolve_data_key(settings) == key
    assert resolve_data_key(load_settings({"BV_DATA_DIR": str(tmp_path / "data")})) == key
    given = new_key()
    explicit = load_settings({"BV_DATA_DIR": str(tmp_path / "data"), "BV_DATA_KEY": given})
    assert resolve_data_key(explicit) == base64.urlsafe_b64decode(given + "=")


def test_broken_data_key_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "data.key").write_text("not a key\n")
    with pytest.raises(SettingsError, match=r"data\.key: must be 32 random bytes"):
        resolve_data_key(settings_with(Settings(), data={"data_dir": tmp_path}))


# --- nothing in clear at rest ---------------------------------------------------------------


async def test_no_name_or_phone_in_clear_at_rest(
    client: Client, app: Litestar, settings: Settings, signer: EojSigner
) -> None:
    phone = "+4521" + str(int(time.time() * 1000))[-6:]
    guests = [
        {"display_name": "Karen Kristiansen", "phone": phone},
        {"display_name": "Pårørende Ærø"},
    ]
    created = await book(client, guests=guests)
    guest = await client.get(link_path(created))  # the citizen's browser: 303, then the shell
    assert shell_config(guest.text)["grant"]["displayName"] == "Karen Kristiansen"
    client.cookies.clear()  # the nurse's browser, so the citizen's session stays
    token = launch_token(signer, created["id"], name="Sygeplejerske Lund")
    launched = await client.get("/kobenhavn/launch", params={"token": token})
    assert shell_config(launched.text)["grant"]["displayName"] == "Sygeplejerske Lund"

    secrets_at_rest = [
        "Karen Kristiansen",
        "Karen",
        "Kristiansen",
        "Pårørende",
        "Ærø",
        "Sygeplejerske Lund",
        "Lund",
        phone,
        phone[1:],
        phone[3:],
    ]
    everything = await all_redis_text(app)
    assert created["id"] in everything  # the scan does see the stored records
    for text in secrets_at_rest:
        assert text not in everything, text
    files = b"".join(p.read_bytes() for p in settings.data.data_dir.rglob("*") if p.is_file())
    assert created["id"].encode() in files  # the append-only file has the records already
    for text in secrets_at_rest:
        assert text.encode() not in files, text

    async with redis_of(app) as redis:
        sessions = [
            msgspec.json.decode(await redis.get(key), type=Session)
            async for key in redis.scan_iter(match=store.SESSION + "*")
        ]
    assert sorted(s.grant.role for s in sessions) == ["guest", "host"]
    assert all(s.grant.display_name_sealed.startswith("v1.") for s in sessions)


async def test_names_sealed_under_another_data_key_fail_softly(settings: Settings) -> None:
    """After a key change, old links and sessions give clear answers, never a 500."""
    base_url = "http://127.0.0.1:8080"
    async with AsyncTestClient(app=create_app(settings), base_url=base_url) as before:
        created = await book(before)
        await before.get(link_path(created))
        sid = before.cookies.get("bv_session")
    assert sid
    rotated = settings_with(settings, data={"data_keys": (secrets.token_bytes(32),)})
    async with AsyncTestClient(app=create_app(rotated), base_url=base_url) as after:
        after.cookies.set("bv_session", sid)
        assert shell_config((await after.get("/kobenhavn/")).text)["grant"] is None
        again = await after.get(link_path(created), follow_redirects=False)
        assert again.status_code == 410 and "virker ikke længere" in again.text
