"""The outside security review's findings (issue 5), each against the real emulator and Redis."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import stat
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core import store
from bff.core.settings import Settings
from bff.proxy.pin_guard import FREE_TRIES, ROOM_TRIES, PinGuard
from bff.tests.conftest import EojSigner, booking, make_settings, served_bff_env, settings_with
from bff.tests.test_integration import (
    API,
    all_redis_text,
    book,
    guest_session,
    launch_token,
    link_path,
    meeting_pins,
    redis_of,
    room,
    stored_meeting,
)
from bff.tests.test_proxy_wire import bound_token, node, proxy  # noqa: F401 (fixtures)
from devstack.stack import free_port, running_service

Client = AsyncTestClient[Litestar]
CONFERENCES = "/api/client/v2/conferences"
OWN_ORIGIN = {"Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "same-origin"}


async def request_token(client: Client, alias: str, **headers: str) -> httpx.Response:
    return await client.post(
        f"{CONFERENCES}/{quote(alias)}/request_token",
        json={"display_name": "Spoofed Name"},
        headers={**OWN_ORIGIN, **headers},
    )


async def node_call(client: Client, alias: str, endpoint: str, token: str) -> httpx.Response:
    return await client.post(
        f"{CONFERENCES}/{quote(alias)}/{endpoint}", headers={**OWN_ORIGIN, "token": token}
    )


async def names_in(emulator_url: str, alias: str) -> list[str]:
    return [p["display_name"] for p in (await room(emulator_url, alias))["participants"]]


async def eventually(check: Any, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


# --- 1. PIN guessing -------------------------------------------------------------------------


async def test_wrong_pins_are_locked_out_with_growing_delays(app: Litestar, client: Client) -> None:
    meeting = await stored_meeting(app, (await book(client))["id"])
    for _ in range(FREE_TRIES + 1):  # the free tries, then one more that sets the first delay
        assert (await request_token(client, meeting.alias, pin="1234")).status_code == 403
    locked = await request_token(client, meeting.alias, pin="1234")
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) >= 1
    assert "too many PIN attempts" in locked.json()["detail"]
    host_pin, _ = await meeting_pins(app, meeting)
    right_but_locked = await request_token(client, meeting.alias, pin=host_pin)
    assert right_but_locked.status_code == 429  # the lock holds even for the right PIN
    async with redis_of(app) as redis:  # the next delay is twice the first
        locks = [k async for k in redis.scan_iter(match=store.PIN_TRIES + "pair:*:lock")]
        await redis.delete(*locks)
    assert (await request_token(client, meeting.alias, pin="1234")).status_code == 403
    again = await request_token(client, meeting.alias, pin="1234")
    assert again.status_code == 429 and int(again.headers["retry-after"]) >= 3


async def test_lockout_is_shared_by_every_instance(settings: Settings, app: Litestar) -> None:
    """Two app instances on one Redis: tries on one count on the other."""
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1:8080") as first:
        meeting = await stored_meeting(first.app, (await book(first))["id"])
        async with redis_of(app) as redis:
            path = redis.connection_pool.connection_kwargs["path"]
        shared = {"redis_url": f"unix://{path}", "data_keys": (b"k" * 32,)}
        second_app = create_app(settings_with(settings, data=shared))
        async with AsyncTestClient(app=second_app, base_url="http://127.0.0.1:8080") as second:
            for index in range(FREE_TRIES + 1):
                client = first if index % 2 else second
                assert (await request_token(client, meeting.alias, pin="99")).status_code == 403
            assert (await request_token(first, meeting.alias, pin="99")).status_code == 429
            assert (await request_token(second, meeting.alias, pin="99")).status_code == 429


async def test_a_right_pin_clears_only_its_own_client(app: Litestar, client: Client) -> None:
    async with redis_of(app) as redis:
        guesser = PinGuard(redis, "4711@vdx.localhost", "203.0.113.9")
        nurse = PinGuard(redis, "4711@vdx.localhost", "198.51.100.7")
        for _ in range(FREE_TRIES + 1):
            assert await guesser.admit() is None
        assert await nurse.admit() is None
        await nurse.succeeded()
        assert await guesser.admit() is not None  # still locked after the nurse's right PIN


async def test_the_room_rests_before_the_nodes_own_lockout_would_trigger(
    app: Litestar, client: Client
) -> None:
    """Tries from many clients: the room locks after ROOM_TRIES, below Pexip's 20 per room and
    address (every participant reaches the node from the BFF's address)."""
    async with redis_of(app) as redis:
        admitted = 0
        for client in range(25):
            if await PinGuard(redis, "4712@vdx.localhost", f"192.0.2.{client}").admit() is None:
                admitted += 1
        assert admitted == ROOM_TRIES < 20
        other_room = PinGuard(redis, "4713@vdx.localhost", "192.0.2.1")
        assert await other_room.admit() is None


async def test_unknown_and_existing_aliases_answer_alike(app: Litestar, client: Client) -> None:
    meeting = await stored_meeting(app, (await book(client))["id"])
    known = await request_token(client, meeting.alias)
    unknown = await request_token(client, "0000001@vdx.localhost")
    assert known.status_code == unknown.status_code == 403
    assert known.json() == unknown.json()
    assert known.json()["result"]["pin"] == "required"
    known_wrong = await request_token(client, meeting.alias, pin="1234")
    unknown_wrong = await request_token(client, "0000001@vdx.localhost", pin="1234")
    assert known_wrong.status_code == unknown_wrong.status_code == 403
    invalid = {"status": "success", "result": "Invalid PIN"}
    assert known_wrong.json() == unknown_wrong.json() == invalid


async def test_node_cors_headers_are_dropped(proxy: Client) -> None:  # noqa: F811
    await bound_token(proxy)
    resp = await proxy.get(
        f"{CONFERENCES}/47%40vdx.localhost/conference_status",
        headers={"token": "t-1", "Origin": "https://evil.example"},
    )
    assert resp.status_code == 200
    assert not [h for h in resp.headers if h.lower().startswith("access-control-")]


# --- 2. One link, one seat -------------------------------------------------------------------


async def test_one_grant_holds_one_seat(app: Litestar, client: Client, emulator_url: str) -> None:
    await client.get(link_path(created := await book(client)))
    meeting = await stored_meeting(app, created["id"])
    tokens = []
    for _ in range(5):  # the same session joins again and again (another tab, a reload)
        joined = await request_token(client, meeting.alias)
        assert joined.status_code == 200, joined.text
        tokens.append(joined.json()["result"]["token"])

    async def one_left() -> bool:
        return await names_in(emulator_url, meeting.alias) == ["Borger Test"]

    await eventually(one_left)
    assert (await node_call(client, meeting.alias, "refresh_token", tokens[-1])).status_code == 200
    for old in tokens[:-1]:
        assert (await node_call(client, meeting.alias, "refresh_token", old)).status_code == 403


async def test_a_re_tapped_link_takes_the_seat_from_the_old_browser(
    app: Litestar, client: Client, emulator_url: str
) -> None:
    created = await book(client)
    meeting = await stored_meeting(app, created["id"])
    await client.get(link_path(created))
    phone = client.cookies.get("bv_session")
    old = (await request_token(client, meeting.alias)).json()["result"]["token"]
    client.cookies.clear()  # another browser: the tablet
    await client.get(link_path(created))  # the SMS link again
    tablet = client.cookies.get("bv_session")

    client.cookies.set("bv_session", phone)
    refused = await node_call(client, meeting.alias, "refresh_token", old)
    assert refused.status_code == 403  # refused at once: its session is gone

    async def old_gone() -> bool:
        return await names_in(emulator_url, meeting.alias) == []

    await eventually(old_gone)  # and its participant left the call
    client.cookies.set("bv_session", tablet)
    assert (await request_token(client, meeting.alias)).status_code == 200
    assert await names_in(emulator_url, meeting.alias) == ["Borger Test"]
    status = f"{CONFERENCES}/{quote(meeting.alias)}/participants"
    assert (await client.get(status, headers={"token": old})).status_code == 403


async def test_a_node_token_works_only_with_its_own_session(app: Litestar, client: Client) -> None:
    meeting = await guest_session(client, app)
    token = (await request_token(client, meeting.alias)).json()["result"]["token"]
    status = f"{CONFERENCES}/{quote(meeting.alias)}/conference_status"
    mine = client.cookies.get("bv_session")
    client.cookies.set("bv_session", "someone-elses-session")
    assert (await client.get(status, headers={"token": token})).status_code == 403
    events = await client.get(
        f"{CONFERENCES}/{quote(meeting.alias)}/events", params={"token": token}
    )
    assert events.status_code == 403
    client.cookies.clear()
    assert (await client.get(status, headers={"token": token})).status_code == 403
    client.cookies.set("bv_session", mine)
    assert (await client.get(status, headers={"token": token})).status_code == 200


async def test_leaving_releases_the_seat_at_once(
    app: Litestar, client: Client, emulator_url: str
) -> None:
    meeting = await guest_session(client, app)
    assert (await request_token(client, meeting.alias)).status_code == 200
    assert (await client.delete("/api/session", headers=OWN_ORIGIN)).status_code == 204

    async def gone() -> bool:
        return await names_in(emulator_url, meeting.alias) == []

    await eventually(gone)


async def test_a_join_by_pin_gets_a_cookie_its_token_is_bound_to(
    app: Litestar, client: Client
) -> None:
    meeting = await stored_meeting(app, (await book(client))["id"])
    host_pin, _ = await meeting_pins(app, meeting)
    joined = await request_token(client, meeting.alias, pin=host_pin)
    assert joined.status_code == 200
    assert "httponly" in joined.headers["set-cookie"].lower()
    token = joined.json()["result"]["token"]
    assert (await node_call(client, meeting.alias, "refresh_token", token)).status_code == 200
    client.cookies.clear()
    assert (await node_call(client, meeting.alias, "refresh_token", token)).status_code == 403


# --- 3. Secrets at rest ----------------------------------------------------------------------


def _files_text(folder: Path) -> str:
    return "\n".join(
        path.read_bytes().decode("latin-1") for path in folder.rglob("*") if path.is_file()
    )


async def _rewrite_done(app: Litestar) -> None:
    async with redis_of(app) as redis:
        await store.compact_history(redis)
        for _ in range(200):
            info = await redis.info("persistence")
            if not info["aof_rewrite_in_progress"] and not info["aof_rewrite_scheduled"]:
                break
            await asyncio.sleep(0.05)
        await redis.save()


async def test_nothing_personal_or_secret_in_the_files_after_a_full_run(
    app: Litestar, client: Client, settings: Settings, signer: EojSigner
) -> None:
    phone = "+4540" + str(time.time_ns())[-6:]
    created = await book(client, guests=[{"display_name": "Ærbødig Citizen", "phone": phone}])
    meeting = await stored_meeting(app, created["id"])
    pins = await meeting_pins(app, meeting)
    await client.get(link_path(created))
    citizen_sid = client.cookies.get("bv_session")
    assert (await request_token(client, meeting.alias)).status_code == 200
    client.cookies.clear()
    await client.get("/kobenhavn/launch", params={"token": launch_token(signer, meeting.id)})
    nurse_sid = client.cookies.get("bv_session")
    assert (await request_token(client, meeting.alias)).status_code == 200
    await _rewrite_done(app)

    redis_dir = settings.data.data_dir / "redis"
    everything = _files_text(redis_dir) + await all_redis_text(app)
    for secret in (
        *pins,
        "Ærbødig Citizen",
        "Sygeplejerske Hansen",
        phone,
        phone[1:],
        citizen_sid,
        nurse_sid,
    ):
        assert secret and secret not in everything, secret
    assert stat.S_IMODE(settings.data.data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(redis_dir.stat().st_mode) == 0o700
    files = [p for p in redis_dir.rglob("*") if p.is_file()]
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in files)
    key = settings.data.data_dir / "data.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and redis_dir not in key.parents


async def test_a_cancelled_meeting_leaves_no_key_in_the_history(
    app: Litestar, client: Client, settings: Settings
) -> None:
    created = await book(client, guests=[{"display_name": "Karen Citizen"}])
    async with redis_of(app) as redis:
        wrapped = (await redis.get(store.MEETING_KEY + created["id"])).decode()
        link_keys = [k async for k in redis.scan_iter(match=store.GUEST_LINK + "*")]
        sealed_name = json.loads(await redis.get(link_keys[0]))["display_name_sealed"]
    await _rewrite_done(app)
    assert wrapped.split(".", 1)[1] in _files_text(settings.data.data_dir / "redis")  # it was there
    cancelled = await client.delete(f"/api/v1/meetings/{created['id']}", headers=API)
    assert cancelled.status_code == 204
    await _rewrite_done(app)
    history = _files_text(settings.data.data_dir / "redis")
    assert wrapped.split(".", 1)[1] not in history
    assert sealed_name not in history


# --- 4. Limits on booking and SMS ------------------------------------------------------------


@pytest.fixture
async def strict_party(
    tmp_path: Path, branding: tuple[Path, EojSigner], dist: Path, emulator_url: str
) -> AsyncIterator[Client]:
    folder = tmp_path / "strict-branding"
    shutil.copytree(branding[0], folder)
    party_file = folder / "kobenhavn" / "party.json"
    config = json.loads(party_file.read_text())
    config["options"].update(bookings_per_hour=3, sms_per_hour=100)
    party_file.write_text(json.dumps(config))
    settings = make_settings(tmp_path, folder, dist, emulator_url)
    async with AsyncTestClient(app=create_app(settings), base_url="http://127.0.0.1:8080") as c:
        yield c


async def test_a_party_books_at_most_its_limit(strict_party: Client) -> None:
    for _ in range(3):
        await book(strict_party)
    refused = await strict_party.post("/api/v1/meetings", json=booking(), headers=API)
    assert refused.status_code == 429
    assert refused.json()["detail"] == "this party may book at most 3 meetings an hour"
    assert int(refused.headers["retry-after"]) >= 1


async def test_one_phone_number_gets_at_most_five_sms_a_day(
    app: Litestar, client: Client, emulator_url: str
) -> None:
    phone = "+4550" + str(time.time_ns())[-6:]
    for _ in range(5):
        await book(client, guests=[{"display_name": "Borger", "phone": phone}])
    before = len(await all_redis_text(app))
    refused = await client.post(
        "/api/v1/meetings",
        json=booking(guests=[{"display_name": "Borger"}, {"display_name": "B", "phone": phone}]),
        headers=API,
    )
    assert refused.status_code == 429
    assert "at most 5 SMS a day may go to one phone number" in refused.json()["detail"]
    assert len(await all_redis_text(app)) == before  # nothing booked, nothing counted
    async with httpx.AsyncClient() as http:
        sent = (await http.get(f"{emulator_url}/outbox", params={"to": phone})).json()
    assert len(sent) == 5
    assert phone not in await all_redis_text(app) and phone[1:] not in await all_redis_text(app)


async def test_the_same_number_twice_in_one_booking_is_400(client: Client) -> None:
    guests = [
        {"display_name": "A", "phone": "+4512345678"},
        {"display_name": "B", "phone": "+4512345678"},
    ]
    resp = await client.post("/api/v1/meetings", json=booking(guests=guests), headers=API)
    assert resp.status_code == 400
    assert resp.json()["detail"] == "guests[1].phone: the same number as guests[0].phone"


# --- 5. CSRF, cookie prefix, HSTS ------------------------------------------------------------


async def test_cross_site_requests_with_the_cookie_are_refused(
    app: Litestar, client: Client
) -> None:
    meeting = await guest_session(client, app)
    url = f"{CONFERENCES}/{quote(meeting.alias)}/request_token"
    for headers in (
        {"Origin": "https://evil.example", "Content-Type": "text/plain"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.127.0.0.1:8080"},
    ):
        resp = await client.post(url, content=b'{"display_name":"x"}', headers=headers)
        assert resp.status_code == 403, headers
        assert "cross-site request refused" in resp.json()["detail"]
    assert (
        await client.delete("/api/session", headers={"Sec-Fetch-Site": "cross-site"})
    ).status_code == 403
    assert (await request_token(client, meeting.alias)).status_code == 200  # own origin


async def test_https_gets_a_host_prefixed_cookie_and_hsts(settings: Settings) -> None:
    app = create_app(settings_with(settings, serving={"public_url": "https://video.example.dk"}))
    async with AsyncTestClient(app=app, base_url="https://video.example.dk") as client:
        created = await book(client)
        resp = await client.get(link_path(created), follow_redirects=False)
        cookie = resp.headers["set-cookie"]
        assert cookie.startswith("__Host-bv_session=") and "secure" in cookie.lower()
        assert "domain=" not in cookie.lower() and "path=/" in cookie.lower()
        assert resp.headers["strict-transport-security"].startswith("max-age=")
        shell = await client.get("/kobenhavn/")
        assert '"role":"guest"' in shell.text  # the prefixed cookie is the one read


# --- 6. Smaller findings ---------------------------------------------------------------------


async def test_request_headers_are_bounded(client: Client) -> None:
    many = {f"x-filler-{i}": "1" for i in range(150)}
    assert (await client.get("/healthz", headers=many)).status_code == 431
    huge = await client.get("/healthz", headers={"x-big": "a" * 40_000})
    assert huge.status_code == 431 and "too large" in huge.json()["detail"]
    assert (await client.get("/healthz")).status_code == 200


async def test_the_proxy_s_own_way_in_keeps_the_app_s_checks(client: Client) -> None:
    """bff.proxy.front takes Client API calls past Litestar's router and middleware: the
    checks and headers those gave still hold."""
    url = f"{CONFERENCES}/47%40vdx.localhost/conference_status"
    many = {f"x-filler-{i}": "1" for i in range(150)}
    assert (await client.get(url, headers=many)).status_code == 431
    assert (await client.get(url, headers={"host": "bad host"})).status_code == 400
    answer = await client.get(url)
    assert answer.status_code == 403 and answer.json()["result"] == "Invalid token"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")


async def test_every_answer_is_nosniff(client: Client, proxy: Client) -> None:  # noqa: F811
    answers = [
        await client.get("/assets/app.js"),
        await client.get("/api/v1/meetings/" + "0" * 32, headers=API),
        await client.get("/nowhere/at/all"),
        await client.post("/api/v1/meetings", json=booking(), headers=API),
        await proxy.get(f"{CONFERENCES}/47%40vdx.localhost/conference_status"),
    ]
    for resp in answers:
        assert resp.headers["x-content-type-options"] == "nosniff", resp.request.url


async def test_booking_answer_is_not_stored_by_caches(client: Client) -> None:
    resp = await client.post("/api/v1/meetings", json=booking(), headers=API)
    assert resp.status_code == 201
    assert resp.headers["cache-control"] == "no-store"


async def test_openapi_documents_the_error_answers(client: Client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    create = spec["paths"]["/api/v1/meetings"]["post"]["responses"]
    read = spec["paths"]["/api/v1/meetings/{meeting_id}"]["get"]["responses"]
    assert {"201", "400", "401", "429", "502"} <= set(create)
    assert {"200", "400", "401", "404"} <= set(read)
    schema = create["401"]["content"]["application/problem+json"]["schema"]
    ref = schema["$ref"].rsplit("/", 1)[1]
    problem = ["type", "title", "status", "detail"]  # RFC 9457 problem details
    assert sorted(spec["components"]["schemas"][ref]["required"]) == sorted(problem)
    resp = await client.get("/api/v1/meetings/" + "0" * 32, headers={"X-API-Key": "nope"})
    assert resp.status_code == 401 and set(resp.json()) == {*problem, "code"}
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["status"] == 401 and resp.json()["title"] == "Unauthorized"
    # a stable code to branch on, and the type naming it
    assert resp.json()["code"] == "unauthenticated"
    assert resp.json()["type"] == "urn:borgervideo:problem:unauthenticated"
    assert "code" in spec["components"]["schemas"][ref]["properties"]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_a_killed_bff_leaves_no_redis_server_behind(
    tmp_path: Path, dist: Path, emulator_url: str
) -> None:
    port = free_port()
    env = served_bff_env(port, tmp_path / "data", dist, emulator_url)
    with running_service("bff", env, f"http://127.0.0.1:{port}", tmp_path) as bff:
        servers = [
            c
            for c in _children(bff.process.pid)
            if "redis-server" in Path(f"/proc/{c}/cmdline").read_text()
        ]
        assert len(servers) == 1
        os.kill(bff.process.pid, signal.SIGKILL)
        bff.process.wait()
        deadline = time.monotonic() + 10
        while Path(f"/proc/{servers[0]}").exists() and time.monotonic() < deadline:
            status = Path(f"/proc/{servers[0]}/status").read_text()
            if "State:\tZ" in status:
                break
            time.sleep(0.05)
        alive = (
            Path(f"/proc/{servers[0]}").exists()
            and "State:\tZ" not in Path(f"/proc/{servers[0]}/status").read_text()
        )
        assert not alive, "redis-server outlived the BFF"
