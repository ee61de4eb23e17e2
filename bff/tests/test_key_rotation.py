"""Rotating BV_DATA_KEY while meetings run: two instances on one real Redis (redis-server),
the old key readable until `python -m bff.keys rewrap` has moved every value, then dropped."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import msgspec
import pytest
import redis.asyncio as aioredis
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core import store
from bff.core.sealing import VERSION, DataSealer, Sealer, SealError, key_id
from bff.core.settings import Settings, SettingsError, load_settings, parse_data_keys
from bff.keys import PSEUDONYM_KEY, Tally, walk, walk_party_files
from bff.tests.conftest import EojSigner, settings_with
from bff.tests.test_integration import book, launch_token, link_path, request_token, shell_config
from devstack.redis import running_redis
from devstack.stack import free_port

Client = AsyncTestClient[Litestar]
ROOT = Path(__file__).resolve().parents[2]


def b64(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode()


# --- the ring, without Redis ----------------------------------------------------------------


def test_ring_seals_under_its_first_key_and_opens_under_any() -> None:
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    before = DataSealer([old]).seal("Karen", "bv:p")
    legacy = Sealer(old).seal("Karen", "bv:p")  # what 0.2.0 wrote (v1)
    during = DataSealer([new, old])
    sealed = during.seal("Jens", "bv:p")
    assert sealed.startswith(f"v2.{key_id(new)}.") and "Jens" not in sealed
    assert during.unseal(before, "bv:p") == "Karen" == during.unseal(legacy, "bv:p")
    assert DataSealer([old, new]).unseal(sealed, "bv:p") == "Jens"  # the other instance
    with pytest.raises(SealError):
        DataSealer([old]).unseal(sealed, "bv:p")  # not yet in that instance's ring
    with pytest.raises(SealError):
        during.unseal(before, "bv:other")  # still bound to its purpose


def test_rewrap_moves_only_the_wrapped_key_and_keeps_the_purpose() -> None:
    old, new, gone = (secrets.token_bytes(32) for _ in range(3))
    record = msgspec.json.encode(
        {
            "a": DataSealer([old]).seal("Karen", "bv:a"),
            "b": DataSealer([new]).seal("Jens", "bv:b"),
            "c": DataSealer([gone]).seal("Ole", "bv:c"),
        }
    )
    ring = DataSealer([new, old])
    assert ring.count_old(record) == (1, 1)
    moved, count, lost = ring.rewrap(record)
    assert (count, lost) == (1, 1) and len(moved) == len(record)
    fields = msgspec.json.decode(moved)
    assert DataSealer([new]).unseal(fields["a"], "bv:a") == "Karen"  # the old key not needed
    with pytest.raises(SealError):
        DataSealer([new]).unseal(fields["a"], "bv:b")
    assert ring.count_old(moved) == (0, 1)


def test_data_key_ring_setting() -> None:
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    env = {"BV_DATA_KEY": f"{b64(new)}, {b64(old)}"}
    settings = load_settings(env)
    assert settings.data.data_key == new and settings.data.old_data_keys == (old,)
    with pytest.raises(SettingsError, match=r"^BV_DATA_KEY \(key 2\): must be 32 random bytes"):
        parse_data_keys(f"{b64(new)},short", "BV_DATA_KEY")
    with pytest.raises(SettingsError, match="the same key twice"):
        parse_data_keys(f"{b64(new)},{b64(new)}", "BV_DATA_KEY")


def test_party_file_secrets_are_rewrapped_in_place(tmp_path: Path) -> None:
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    party = tmp_path / "kobenhavn" / "party.json"
    party.parent.mkdir()
    sealed = DataSealer([old]).seal("webhook-secret", "hook")
    party.write_text(f'{{"options": {{"device_webhook_secret_sealed": "{sealed}"}}}}')
    tally = Tally()
    walk_party_files(tmp_path, DataSealer([new, old]), True, tally)
    assert tally.rewrapped == 1 and tally.old == 0
    value = msgspec.json.decode(party.read_bytes())["options"]["device_webhook_secret_sealed"]
    assert DataSealer([new]).unseal(value, "hook") == "webhook-secret"


# --- live meetings, two instances, one Redis ------------------------------------------------


@pytest.fixture
def redis_url(tmp_path: Path) -> AsyncIterator[str]:
    with running_redis(tmp_path / "shared-redis", free_port()) as server:
        yield f"redis://127.0.0.1:{server.port}/0"


@asynccontextmanager
async def instance(settings: Settings, url: str, *ring: bytes) -> AsyncIterator[Client]:
    """One BFF with BV_DATA_KEY = the ring, on the shared Redis."""
    app = create_app(settings_with(settings, data={"redis_url": url, "data_keys": ring}))
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as client:
        yield client


def pseudonym(client: Client) -> str:
    return client.app.state.pseudonyms.pseudonym("sms-limit", "+4512345678")


def keys_command(command: str, url: str, settings: Settings, *ring: bytes) -> tuple[int, str]:
    env = os.environ | {
        "REDIS_URL": url,
        "BV_DATA_KEY": ",".join(b64(key) for key in ring),
        "BV_BRANDING_DIR": str(settings.data.branding_dir),
        "BV_DEMO": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bff.keys", command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


async def count_under(url: str, *ring: bytes) -> Tally:
    redis = aioredis.Redis.from_url(url)
    try:
        return await walk(redis, DataSealer(ring), rewrite=False)
    finally:
        await redis.aclose()


async def test_rotation_while_meetings_run(
    settings: Settings, redis_url: str, signer: EojSigner
) -> None:
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    async with instance(settings, redis_url, old) as before:
        first = await book(before)
        await before.get(link_path(first))  # the citizen's browser holds a session
        citizen = before.cookies.get("bv_session")
        first_alias = first.get("alias")
        pseudonym_before = pseudonym(before)
    assert citizen

    # Step 1 and 2 of docs/key-rotation.md, mid-way: one instance already seals with the new
    # key, the other still with the old one; each opens what the other wrote.
    async with (
        instance(settings, redis_url, old, new) as reading,
        instance(settings, redis_url, new, old) as sealing,
    ):
        second = await book(sealing)  # its meeting key wrapped under the new key
        page = await reading.get(link_path(second))
        assert shell_config(page.text)["grant"]["displayName"] == "Borger Test"
        sealing.cookies.set("bv_session", citizen)  # the first citizen, now on the other
        grant = shell_config((await sealing.get("/kobenhavn/")).text)["grant"]
        assert grant["displayName"] == "Borger Test"
        assert pseudonym(reading) == pseudonym(sealing) == pseudonym_before

    left = await count_under(redis_url, new, old)
    assert left.old > 0  # the first meeting's key, the first citizen's session, ...
    assert (await count_under(redis_url, new)).lost == left.old  # the new key alone: lost

    code, said = keys_command("status", redis_url, settings, new, old)
    assert code == 1 and f"values still under an older key: {left.old}" in said, said
    code, said = keys_command("rewrap", redis_url, settings, new, old)
    assert code == 0 and "values still under an older key: 0" in said, said
    assert "nothing needs the older keys" in said
    code, said = keys_command("status", redis_url, settings, new)
    assert code == 0 and "values under no key of BV_DATA_KEY: 0" in said, said

    # Step 4: the old key is gone; both meetings and the first citizen's session still work.
    async with instance(settings, redis_url, new) as after:
        assert pseudonym(after) == pseudonym_before
        after.cookies.set("bv_session", citizen)
        grant = shell_config((await after.get("/kobenhavn/")).text)["grant"]
        assert grant["displayName"] == "Borger Test"
        meeting = msgspec.json.decode(await _raw(redis_url, store.MEETING + first["id"]), type=dict)
        alias = first_alias or meeting["alias"]
        joined = await request_token(after, alias)  # the PIN comes from the re-wrapped key
        assert joined.status_code == 200, joined.text
        assert joined.json()["result"]["role"] == "GUEST"
        after.cookies.clear()
        launched = await after.get(
            "/kobenhavn/launch", params={"token": launch_token(signer, second["id"])}
        )
        assert shell_config(launched.text)["grant"]["displayName"] == "Sygeplejerske Hansen"


async def _raw(url: str, key: str) -> bytes:
    redis = aioredis.Redis.from_url(url)
    try:
        value = await redis.get(key)
    finally:
        await redis.aclose()
    assert value is not None
    return value


async def test_legacy_meeting_key_is_sealed_again(redis_url: str) -> None:
    """A meeting key 0.2.0 wrapped (v1, directly under the data key) moves too."""
    old, new = secrets.token_bytes(32), secrets.token_bytes(32)
    name = store.MEETING_KEY + "m-legacy"
    redis = aioredis.Redis.from_url(redis_url)
    try:
        await redis.set(name, Sealer(old).seal("meeting-key", name), ex=600)
        assert (await walk(redis, DataSealer([new, old]), rewrite=False)).old == 1
        await walk(redis, DataSealer([new, old]), rewrite=True)
        moved = (await redis.get(name)).decode()
        assert not moved.startswith(VERSION) and await redis.ttl(name) > 0
        assert DataSealer([new]).unseal(moved, name) == "meeting-key"
    finally:
        await redis.aclose()


async def test_a_lost_pseudonym_key_is_replaced_once(settings: Settings, redis_url: str) -> None:
    old, lost = secrets.token_bytes(32), secrets.token_bytes(32)
    async with instance(settings, redis_url, lost) as first:
        assert (await first.get("/livez")).status_code == 200
    async with (
        instance(settings, redis_url, old) as one,
        instance(settings, redis_url, old) as two,
    ):
        assert pseudonym(one) == pseudonym(two)
    stored = (await _raw(redis_url, PSEUDONYM_KEY)).decode()
    assert DataSealer([old]).unseal(stored, PSEUDONYM_KEY)
