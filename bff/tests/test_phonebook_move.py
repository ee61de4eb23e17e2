"""The phonebook's move never leaves a hosted room with a host it did not have (issue 23,
item 6). Transfer is a host's call, and a host that comes and goes starts a hosted room for
the guests waiting in it, who are dropped `guests_only_timeout` after the last host leaves
(60 s on Pexip; 2 s on this test's emulator, EMU_GUESTS_ONLY_TIMEOUT). Against the real
emulator and proxy; the waits poll the node, they assert no times."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from litestar import Litestar

from bff.meetings.models import Meeting
from bff.tests.conftest import EojSigner, running_emulator
from bff.tests.test_integration import Client, link_path, room, stored_meeting
from bff.tests.test_integration import launch_token as kbh_launch_token
from bff.tests.test_phonebook import (
    NAME,
    book_with_citizen,
    clinician_hosting,
    join_node,
    look_up_citizen,
    plugin_call,
    plugin_token,
    set_policy,
)

GUESTS_ONLY = 2  # seconds the emulated node keeps guests after the last host left
RELATIVE = "Pårørende Test"
NURSE = "Sygeplejerske Hansen"


@pytest.fixture(scope="module")
def emulator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The conftest's emulator, but guests go GUESTS_ONLY seconds after the last host left."""
    workdir = tmp_path_factory.mktemp("emulator-guests-only")
    with running_emulator(workdir, EMU_GUESTS_ONLY_TIMEOUT=str(GUESTS_ONLY)) as url:
        yield url


async def names_in(emulator_url: str, alias: str) -> set[str]:
    return {p["display_name"] for p in (await room(emulator_url, alias))["participants"]}


async def still_there_after_the_timeout(emulator_url: str, alias: str) -> set[str]:
    """Who is in the room once guests left without a host would have been dropped: the
    timeout and a few of the node's one-second enforcement rounds."""
    await asyncio.sleep(GUESTS_ONLY + 3)
    return await names_in(emulator_url, alias)


@pytest.fixture
async def two_guests_and_a_clinician(
    client: Client, app: Litestar, signer: EojSigner
) -> dict[str, Any]:
    """A citizen (booked with their CPR) and a relative in a kobenhavn meeting with no host
    yet, both through the proxy; a region-midt clinician hosting their own meeting with the
    phonebook plugin; kobenhavn lets anyone move people out of its meetings."""
    created = await book_with_citizen(client, {"display_name": RELATIVE})
    a = await stored_meeting(app, created["id"])
    cookies, tokens = {}, {}
    for index, who in ((0, "citizen"), (1, "relative")):
        await client.get(link_path(created, index))
        tokens[who] = (await join_node(client, a.alias))["token"]
        cookies[who] = client.cookies.get("bv_session")
        client.cookies.clear()
    b = await clinician_hosting(client, app, signer)
    token = await plugin_token(client, "region-midt")
    cookies["clinician"] = client.cookies.get("bv_session")
    await set_policy(client, join_from=[], move_from=["*"])
    return {"a": a, "b": b, "token": token, "cookies": cookies, "tokens": tokens}


async def move_the_citizen(client: Client, token: str) -> Any:
    found = await look_up_citizen(client, token)
    assert found.status_code == 200, found.text
    handle = found.json()["results"][0]["handle"]
    return await plugin_call(client, token, "move", {"handle": handle})


async def test_no_move_out_of_a_room_nobody_hosts_while_others_wait(
    client: Client, emulator_url: str, two_guests_and_a_clinician: dict[str, Any]
) -> None:
    ctx = two_guests_and_a_clinician
    a: Meeting = ctx["a"]
    refused = await move_the_citizen(client, ctx["token"])
    assert refused.status_code == 409, refused.text
    assert "Nobody hosts the person's meeting" in refused.json()["detail"]
    # nothing happened: both guests still wait for their host, and are not dropped, because
    # no host of the phonebook's came and went (before, the move started the room and left)
    assert await still_there_after_the_timeout(emulator_url, a.alias) == {NAME, RELATIVE}


async def test_a_move_keeps_the_host_the_room_had_and_its_guests(
    client: Client,
    app: Litestar,
    signer: EojSigner,
    emulator_url: str,
    two_guests_and_a_clinician: dict[str, Any],
) -> None:
    ctx = two_guests_and_a_clinician
    a: Meeting = ctx["a"]
    b: Meeting = ctx["b"]
    # the meeting's own nurse arrives: the room is hosted
    client.cookies.clear()
    launch = kbh_launch_token(signer, a.id)
    launched = await client.get("/kobenhavn/launch", params={"token": launch})
    assert launched.status_code == 200
    nurse = await join_node(client, a.alias)
    nurse_cookie = client.cookies.get("bv_session")
    client.cookies.clear()
    client.cookies.set("bv_session", ctx["cookies"]["clinician"])

    moved = await move_the_citizen(client, ctx["token"])
    assert moved.status_code == 200, moved.text
    assert NAME in await names_in(emulator_url, b.alias)
    # the phonebook's own host and look-up came and went; the nurse still hosts her guest
    assert await still_there_after_the_timeout(emulator_url, a.alias) == {NURSE, RELATIVE}

    # and the drop is real: when the nurse leaves, her guest goes a timeout later
    client.cookies.clear()
    client.cookies.set("bv_session", nurse_cookie)
    left = await client.post(
        f"/api/client/v2/conferences/{quote(a.alias)}/release_token",
        headers={"token": nurse["token"]},
    )
    assert left.status_code == 200
    deadline = time.monotonic() + GUESTS_ONLY + 30
    while RELATIVE in await names_in(emulator_url, a.alias):
        assert time.monotonic() < deadline, "the guest left without a host was never dropped"
        await asyncio.sleep(0.5)


async def test_a_citizen_alone_is_moved(
    client: Client, emulator_url: str, two_guests_and_a_clinician: dict[str, Any]
) -> None:
    """Nobody else in the room: nobody to leave behind, so the move goes ahead."""
    ctx = two_guests_and_a_clinician
    a: Meeting = ctx["a"]
    client.cookies.clear()
    client.cookies.set("bv_session", ctx["cookies"]["relative"])
    left = await client.post(
        f"/api/client/v2/conferences/{quote(a.alias)}/release_token",
        headers={"token": ctx["tokens"]["relative"]},
    )
    assert left.status_code == 200
    assert await names_in(emulator_url, a.alias) == {NAME}
    client.cookies.clear()
    client.cookies.set("bv_session", ctx["cookies"]["clinician"])
    moved = await move_the_citizen(client, ctx["token"])
    assert moved.status_code == 200, moved.text
    assert NAME in await names_in(emulator_url, ctx["b"].alias)
    assert await names_in(emulator_url, a.alias) == set()
