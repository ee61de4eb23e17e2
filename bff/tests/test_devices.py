"""Devices (issue 10) over the wire: two BFF instances on one real Redis (Debian's
redis-server), simulated devices speaking the device page's protocol (devstack.device_sim),
a real webhook receiver. The browser side (the device page, calling, video) is in
e2e/test_devices.py."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
import websockets
from aiohttp import web

from bff.devices.guesses import GUESSES_PER_ADDRESS
from devstack.device_sim import SimDevice, device_branding, new_code, ws_url
from devstack.multi import MultiStack, running_multi_stack
from devstack.stack import DEMO_API_KEY, free_port
from e2e.helpers import launch_token

WEBHOOK_SECRET = "test-webhook-secret-" + secrets.token_hex(8)
API = {"X-API-Key": DEMO_API_KEY}
ADMIN = {"X-Admin-Key": "demo-kobenhavn-admin-key"}
RING_SECONDS = 10
HEARTBEAT = 2


class Receiver:
    """The party's webhook: fails the first `failures` deliveries, records every one."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: list[tuple[float, dict[str, str], bytes]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append((time.monotonic(), dict(request.headers), await request.read()))
        if len(self.calls) <= self.failures:
            return web.Response(status=503)
        return web.Response(status=204)


def _serve_receiver(receiver: Receiver, port: int) -> Iterator[None]:
    """The receiver in a thread of its own (the stack outlives each test's event loop)."""
    import threading

    loop = asyncio.new_event_loop()
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, access_log=None)

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[Receiver, str]]:
    hook = Receiver(failures=2)
    port = free_port()
    yield from ((hook, f"http://127.0.0.1:{port}/hook") for _ in _serve_receiver(hook, port))


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, receiver: tuple[Receiver, str]
) -> Iterator[MultiStack]:
    data_key = secrets.token_urlsafe(32)
    branding = device_branding(
        tmp_path_factory.mktemp("devices"),
        data_key,
        webhook_url=receiver[1],
        webhook_secret=WEBHOOK_SECRET,
        ring_seconds=RING_SECONDS,
    )
    env = {
        "BV_DATA_KEY": data_key,
        "BV_BRANDING_DIR": str(branding),
        "BV_DEVICE_HEARTBEAT": str(HEARTBEAT),
        "BV_FORWARDED_ALLOW_IPS": "127.0.0.1",
        "BV_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",  # the receiver: allowed by name, http
    }
    with running_multi_stack(instances=2, extra_bff_env=env) as running:
        yield running


@pytest.fixture
async def devices(stack: MultiStack) -> AsyncIterator[list[SimDevice]]:
    made: list[SimDevice] = []
    yield made
    for device in made:
        await device.close()


async def call(method: str, url: str, **options: Any) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.request(method, url, **options)


async def in_thread(work: Any, *args: Any, **options: Any) -> Any:
    """The sync helpers of devstack.device_sim (enrolment), off the event loop."""
    return await asyncio.to_thread(work, *args, **options)


async def enrolled(
    stack: MultiStack, instance: int, made: list[SimDevice], label: str = "Tablet"
) -> SimDevice:
    device = SimDevice(stack.instance_url(instance))
    code = await in_thread(new_code, stack.instance_url(1 - instance), label=label)
    answer = await in_thread(device.enrol, code["code"])
    assert answer.status_code == 201, answer.text
    made.append(device)
    return device


async def book(stack: MultiStack) -> str:
    now = datetime.now(UTC)
    body = {
        "subject": "Opfølgning",
        "start": now.isoformat(),
        "guests": [{"display_name": "B"}],
        "end": (now + timedelta(hours=1)).isoformat(),
    }
    answer = await call("POST", f"{stack.bff_url}/api/v1/meetings", json=body, headers=API)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def send(
    stack: MultiStack, instance: int, device_id: str, body: dict[str, Any], **extra: Any
) -> httpx.Response:
    return await call(
        "POST",
        f"{stack.instance_url(instance)}/api/v1/devices/{device_id}/messages",
        json={"body": body, **extra},
        headers=API,
    )


async def listed(stack: MultiStack, device_id: str) -> dict[str, Any]:
    answer = await call("GET", f"{stack.bff_url}/api/v1/devices", headers=API)
    assert answer.status_code == 200
    return next(d for d in answer.json() if d["id"] == device_id)


async def test_enrolment_code_once_label_sealed_qr(
    stack: MultiStack, devices: list[SimDevice]
) -> None:
    code = await in_thread(new_code, stack.bff_url, label="Karens tablet")
    assert len(code["code"]) == 9 and code["code"][4] == "-"
    assert code["enrol_url"].endswith(f"/kobenhavn/device#code={code['code']}")
    assert code["qr_svg"].startswith("<svg") and "<path" in code["qr_svg"]
    device = SimDevice(stack.instance_url(0))
    typed = code["code"].lower().replace("-", " ")  # as a person types it
    assert (await in_thread(device.enrol, typed)).status_code == 201
    devices.append(device)
    again = await in_thread(SimDevice(stack.instance_url(1)).enrol, code["code"])  # other one
    assert again.status_code == 401, "a used code is refused"
    assert (await listed(stack, device.device_id))["label"] == "Karens tablet"
    # Nothing readable in Redis: the label sealed, the code only as a keyed pseudonym.
    import redis as sync_redis

    client = sync_redis.Redis.from_url(stack.redis.url)  # type: ignore[union-attr]
    for key in client.scan_iter("bv:devices:*"):
        kind = client.type(key)
        if kind == b"string":
            assert b"Karens" not in client.get(key)
        assert (
            code["code"].encode() not in key and code["code"].replace("-", "").encode() not in key
        )
    client.close()
    # Another party's admin key makes no code here; a bad label is refused.
    enrolments = f"{stack.bff_url}/api/v1/parties/kobenhavn/device-enrolments"
    region_admin = {"X-Admin-Key": "demo-region-midt-admin-key"}
    other = await call("POST", enrolments, json={"label": "x"}, headers=region_admin)
    assert other.status_code == 401
    cpr = await call(
        "POST",
        f"{stack.bff_url}/api/v1/parties/kobenhavn/device-enrolments",
        json={"label": "Borger 010203-1234"},
        headers=ADMIN,
    )
    assert cpr.status_code == 400 and "CPR" in cpr.json()["detail"]


async def test_guessed_codes_are_rate_limited(stack: MultiStack) -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.50"}  # its own counter, apart from other tests
    codes = []
    for index in range(11):
        device = SimDevice(stack.instance_url(index % 2))
        guess = f"AAAA-{index:04d}".replace("0", "B").replace("1", "C")
        codes.append((await in_thread(device.enrol, guess, headers=forwarded)).status_code)
    assert codes[:10] == [401] * 10 and codes[10] == 429, codes
    # Even the right code is refused from that address now; another address may go on.
    right = (await in_thread(new_code, stack.bff_url))["code"]
    refused = await in_thread(SimDevice(stack.bff_url).enrol, right, headers=forwarded)
    assert refused.status_code == 429
    assert (await in_thread(SimDevice(stack.bff_url).enrol, right)).status_code == 201


def _wrong_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


async def _flood(stack: MultiStack, addresses: list[str]) -> list[int]:
    """One wrong code from each address (repeats allowed), all at once, on both instances."""
    bodies = [SimDevice(stack.bff_url).enrol_body(_wrong_code()) for _ in addresses]
    async with httpx.AsyncClient(timeout=30) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    f"{stack.instance_url(i % 2)}/api/device/v1/enrol",
                    json=body,
                    headers={"X-Forwarded-For": address},
                )
                for i, (body, address) in enumerate(zip(bodies, addresses, strict=True))
            )
        )
    return [a.status_code for a in answers]


async def test_a_parallel_flood_never_blocks_the_admins_enrolment(stack: MultiStack) -> None:
    # 150 wrong codes at once from one address: counted before checked, so exactly the
    # address's 10 tries are answered, the rest refused (429), however the requests race
    codes = await _flood(stack, ["203.0.113.60"] * 150)
    assert sorted(set(codes)) == [401, 429] and codes.count(401) == 10, codes
    # and 150 more from 150 addresses: no party-wide lock follows from them
    codes = await _flood(stack, [f"198.51.100.{i}" for i in range(150)])
    assert codes.count(401) == 150, codes
    # the admin's fresh code, typed on the tablet at the municipality, works at once
    # and every tablet of the municipality's round after it (right codes use no allowance)
    tablet = {"X-Forwarded-For": "192.0.2.10"}
    for _ in range(GUESSES_PER_ADDRESS + 2):
        right = (await in_thread(new_code, stack.bff_url))["code"]
        enrolled = await in_thread(SimDevice(stack.instance_url(1)).enrol, right, headers=tablet)
        assert enrolled.status_code == 201, enrolled.text
    # a redis counter of the enrolment limits always expires
    redis = aioredis.from_url(stack.redis.url)
    try:
        keys = [k async for k in redis.scan_iter("bv:rate:device-enrol*")]
        assert keys and all([0 < await redis.ttl(k) <= 901 for k in keys])
    finally:
        await redis.aclose()


async def test_bad_signature_replayed_jti_and_bad_tokens_are_refused(
    stack: MultiStack, devices: list[SimDevice]
) -> None:
    device = await enrolled(stack, 0, devices)
    impostor = SimDevice(stack.instance_url(0), device_id=device.device_id)  # another key
    refused = await impostor.connect()
    assert refused["type"] == "error" and "signature" in refused["reason"]
    assert (await impostor.expect("closed"))["code"] == 4401
    token = device.token()
    first = await device.connect(token=token)
    assert first["type"] == "welcome"
    replay = SimDevice(stack.instance_url(1), device_id=device.device_id, key=device.key)
    again = await replay.connect(token=token)  # the same jti, on the other instance
    assert again["type"] == "error" and "replayed" in again["reason"]
    long_lived = SimDevice(stack.instance_url(1), device_id=device.device_id, key=device.key)
    answer = await long_lived.connect(token=device.token(lifetime=3600))
    assert answer["type"] == "error" and "too long" in answer["reason"]
    wrong_aud = SimDevice(stack.instance_url(1), device_id=device.device_id, key=device.key)
    answer = await wrong_aud.connect(token=device.token("borgervideo:region-midt:device"))
    assert answer["type"] == "error" and "audience" in answer["reason"]
    # HTTP: answering a call needs a fresh token of the device too.
    url = f"{stack.instance_url(1)}/api/device/v1/calls/{'0' * 32}/answer"
    assert (await call("POST", url)).status_code == 401
    assert (
        await call("POST", url, headers={"Authorization": f"Bearer {token}"})
    ).status_code == 401
    for other in (impostor, replay, long_lived, wrong_aud):
        await other.close()


async def test_revoked_device_is_closed_and_refused_on_every_instance(
    stack: MultiStack, devices: list[SimDevice]
) -> None:
    device = await enrolled(stack, 0, devices)
    assert (await device.connect())["type"] == "welcome"
    started = time.monotonic()
    answer = await call(
        "DELETE",
        f"{stack.instance_url(1)}/api/v1/parties/kobenhavn/devices/{device.device_id}",
        headers=ADMIN,
    )  # on the other instance
    assert answer.status_code == 204
    closed = await device.expect("closed", wait=5)
    assert closed["code"] == 4403 and time.monotonic() - started < 2
    for instance in (0, 1):
        retry = SimDevice(stack.instance_url(instance), device_id=device.device_id, key=device.key)
        refused = await retry.connect()
        assert refused["type"] == "error" and "revoked" in refused["reason"]
        await retry.close()
    gone = await call("GET", f"{stack.bff_url}/api/v1/devices/{device.device_id}", headers=API)
    assert gone.status_code == 404


async def test_disable_rename_and_enable(stack: MultiStack, devices: list[SimDevice]) -> None:
    device = await enrolled(stack, 1, devices, label="Gammelt navn")
    assert (await device.connect())["type"] == "welcome"
    url = f"{stack.instance_url(0)}/api/v1/parties/kobenhavn/devices/{device.device_id}"
    renamed = await call("PATCH", url, json={"label": "Nyt navn"}, headers=ADMIN)
    assert renamed.status_code == 200 and renamed.json()["label"] == "Nyt navn"
    disabled = await call("PATCH", url, json={"enabled": False}, headers=ADMIN)
    assert disabled.status_code == 200 and disabled.json()["enabled"] is False
    assert (await device.expect("closed", wait=5))["code"] == 4403
    retry = SimDevice(stack.instance_url(1), device_id=device.device_id, key=device.key)
    refused = await retry.connect()
    assert refused["type"] == "error" and "disabled" in refused["reason"]
    assert (await retry.expect("closed"))["code"] == 4403
    assert (await call("PATCH", url, json={"enabled": True}, headers=ADMIN)).status_code == 200
    back = SimDevice(stack.instance_url(1), device_id=device.device_id, key=device.key)
    devices.append(back)
    assert (await back.connect())["type"] == "welcome"
    assert (await call("PATCH", url, json={"colour": "red"}, headers=ADMIN)).status_code == 400


async def test_queued_messages_arrive_in_order_once_across_instances(
    stack: MultiStack, devices: list[SimDevice]
) -> None:
    device = await enrolled(stack, 0, devices)
    assert (await device.connect())["type"] == "welcome"
    live = await send(stack, 1, device.device_id, {"text": "live"})  # API on the other instance
    assert live.status_code == 202 and live.json()["device_online"] is True
    message = await device.expect("message", wait=5)
    assert message["body"] == {"text": "live"} and message["id"] == live.json()["id"]
    await device.ack(message["id"])
    await device.close()
    await asyncio.sleep(0.3)
    assert (await listed(stack, device.device_id))["online"] is False
    ids = []
    for index in range(5):
        answer = await send(stack, index % 2, device.device_id, {"n": index})
        assert answer.status_code == 202 and answer.json()["device_online"] is False
        ids.append(answer.json()["id"])
    expired = await send(stack, 1, device.device_id, {"n": "late"}, ttl_seconds=60)
    assert expired.status_code == 202
    # Back, on the other instance: all five in order (the unacknowledged ones come again).
    device.socket = None
    assert (await device.connect())["type"] == "welcome"
    got = [await device.expect("message", wait=5) for _ in range(6)]
    assert [m["id"] for m in got[:5]] == ids and [m["body"]["n"] for m in got[:5]] == list(range(5))
    for m in got[:3]:
        await device.ack(m["id"])
    await asyncio.sleep(0.3)
    url = f"{stack.bff_url}/api/v1/devices/{device.device_id}/messages"
    waiting = (await call("GET", url, headers=API)).json()
    assert [w["id"] for w in waiting] == [*ids[3:], expired.json()["id"]]
    await device.close()
    again = SimDevice(stack.instance_url(0), device_id=device.device_id, key=device.key)
    devices.append(again)
    await again.connect()
    repeat = [await again.expect("message", wait=5) for _ in range(3)]
    assert [m["id"] for m in repeat] == [*ids[3:], expired.json()["id"]], "unacked come again"


async def test_queue_is_bounded_and_bodies_are_checked(
    stack: MultiStack, devices: list[SimDevice]
) -> None:
    device = await enrolled(stack, 0, devices)
    for index in range(100):
        assert (await send(stack, index % 2, device.device_id, {"n": index})).status_code == 202
    full = await send(stack, 0, device.device_id, {"n": 100})
    assert full.status_code == 429 and "full" in full.json()["detail"]
    assert int(full.headers["retry-after"]) > 0
    big = await send(stack, 0, device.device_id, {"text": "x" * 17000})
    assert big.status_code == 400 and "16384" in big.json()["detail"]
    huge = await send(stack, 0, device.device_id, {"text": "x" * 40000})
    assert huge.status_code == 400, "past 16 KiB: refused, naming the limit"
    huger = await send(stack, 0, device.device_id, {"text": "x" * (1 << 20)})
    assert huger.status_code == 413, "past 1 MiB: not even read"
    url = f"{stack.bff_url}/api/v1/devices/{device.device_id}/messages"
    bad = await call(
        "POST", url, content=b"{not json", headers=API | {"Content-Type": "application/json"}
    )
    assert bad.status_code == 400
    assert (await call("POST", url, json={"body": [1, 2]}, headers=API)).status_code == 400
    other = await call(
        "POST", url, json={"body": {}}, headers={"X-API-Key": "demo-region-midt-key"}
    )
    assert other.status_code == 404, "another party's device is unknown"


async def test_bad_frames(stack: MultiStack, devices: list[SimDevice]) -> None:
    device = await enrolled(stack, 1, devices)
    assert (await device.connect())["type"] == "welcome"
    await device.socket.send("{not json")
    assert "not valid JSON" in (await device.expect("error"))["reason"]
    await device.send({"type": "send", "body": "text"})
    assert "JSON object" in (await device.expect("error"))["reason"]
    await device.send({"type": "send", "body": {"text": "y" * 20000}})
    assert "16384" in (await device.expect("error"))["reason"]
    await device.send({"type": "ack", "id": "../x"})
    assert "id" in (await device.expect("error"))["reason"]
    await device.heartbeat({"level": 0.33, "charging": False})
    await device.expect("heartbeat-ok")
    assert (await listed(stack, device.device_id))["battery"] == {"level": 33, "charging": False}
    await device.socket.send("x" * 40000)  # a frame over 32 KiB closes the connection
    assert (await device.expect("closed"))["code"] == 1009


async def test_a_first_frame_that_is_not_json_closes_with_4400(stack: MultiStack) -> None:
    url = f"{ws_url(stack.instance_url(0))}/api/device/v1/channel"
    async with websockets.connect(url, open_timeout=10) as socket:
        await socket.send("{not json")
        said = json.loads(await asyncio.wait_for(socket.recv(), 10))
        assert said["type"] == "error" and "JSON" in said["reason"]
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400


async def test_silent_device_goes_offline_and_metrics(
    stack: MultiStack, devices: list[SimDevice]
) -> None:
    device = await enrolled(stack, 0, devices)
    welcome = await device.connect(
        version="2.3.4", battery={"level": 0.81, "charging": True}, beat=False
    )
    assert welcome["heartbeat_seconds"] == HEARTBEAT
    state = await listed(stack, device.device_id)
    assert state["online"] is True and state["app_version"] == "2.3.4"
    assert state["battery"] == {"level": 81, "charging": True}
    # No heartbeats: after three missed ones the instance closes it, and it is offline.
    closed = await device.expect("closed", wait=HEARTBEAT * 3 + 5)
    assert closed["code"] == 4408
    state = await listed(stack, device.device_id)
    assert state["online"] is False and state["last_seen"] is not None


async def test_a_second_connection_replaces_the_first(
    stack: MultiStack, devices: list[SimDevice]
) -> None:
    device = await enrolled(stack, 0, devices)
    assert (await device.connect())["type"] == "welcome"
    second = SimDevice(stack.instance_url(1), device_id=device.device_id, key=device.key)
    devices.append(second)
    assert (await second.connect())["type"] == "welcome"
    assert (await device.expect("closed", wait=5))["code"] == 4409
    answer = await send(stack, 0, device.device_id, {"to": "second"})
    assert (await second.expect("message", wait=5))["id"] == answer.json()["id"]


async def test_documents_from_device_reach_webhook_signed_with_retries(
    stack: MultiStack, devices: list[SimDevice], receiver: tuple[Receiver, str]
) -> None:
    hook, _ = receiver
    device = await enrolled(stack, 1, devices)
    assert (await device.connect())["type"] == "welcome"
    await device.send({"type": "send", "ref": "a1", "body": {"answer": "Ja", "in_reply_to": "1-0"}})
    sent = await device.expect("sent")
    assert sent["ref"] == "a1"
    deadline = time.monotonic() + 20
    while len(hook.calls) < 3 and time.monotonic() < deadline:  # noqa: ASYNC110 (another thread)
        await asyncio.sleep(0.2)
    assert len(hook.calls) >= 3, "two failures, then delivered"
    (t1, _, b1), (t2, _, b2), (t3, headers, body) = hook.calls[:3]
    assert b1 == b2 == body, "the same document retried"
    assert t2 - t1 >= 0.8 and t3 - t2 >= 1.6, "with growing pauses"
    stamp, _, mac = headers["X-Borgervideo-Signature"].partition(",v1=")
    expected = hmac.new(
        WEBHOOK_SECRET.encode(), stamp.removeprefix("t=").encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(mac, expected)
    document = json.loads(body)
    assert document["device_id"] == device.device_id and document["body"]["answer"] == "Ja"
    assert headers["X-Borgervideo-Delivery"] == sent["id"] == document["id"]
    await asyncio.sleep(2.5)
    assert len(hook.calls) == 3, "delivered once it answered 2xx"
    inbox = f"{stack.bff_url}/api/v1/device-messages"
    page = (await call("GET", inbox, headers=API)).json()
    assert any(m["id"] == sent["id"] and m["body"]["answer"] == "Ja" for m in page["messages"])
    after = (await call("GET", inbox, params={"after": sent["id"]}, headers=API)).json()
    assert all(m["id"] != sent["id"] for m in after["messages"])
    logs = "".join(b.log() for b in stack.bffs)
    assert WEBHOOK_SECRET not in logs and "Ja" not in logs


async def test_call_states_decline_no_answer_cancel_and_answer(
    stack: MultiStack, devices: list[SimDevice]
) -> None:
    device = await enrolled(stack, 0, devices)
    assert (await device.connect())["type"] == "welcome"
    meeting = await book(stack)
    calls = f"{stack.instance_url(1)}/api/v1/meetings/{meeting}/device-calls"

    async def ring() -> dict[str, Any]:
        answer = await call("POST", calls, json={"device_id": device.device_id}, headers=API)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    def signed() -> dict[str, str]:
        return {"Authorization": f"Bearer {device.token()}"}

    async def status(call_id: str) -> str:
        return str((await call("GET", f"{calls}/{call_id}", headers=API)).json()["status"])

    first = await ring()
    rang = await device.expect("ring", wait=5)
    assert rang["call"]["id"] == first["id"] and rang["call"]["caller"] == "Københavns Kommune"
    busy = await call("POST", calls, json={"device_id": device.device_id}, headers=API)
    assert busy.status_code == 409
    on_device = f"{stack.instance_url(0)}/api/device/v1/calls"
    declined = await call("POST", f"{on_device}/{first['id']}/decline", headers=signed())
    assert declined.status_code == 204 and await status(first["id"]) == "declined"
    assert (await device.expect("ring-end"))["status"] == "declined"

    second = await ring()
    await device.expect("ring", wait=5)
    assert (await call("DELETE", f"{calls}/{second['id']}", headers=API)).status_code == 204
    assert (await device.expect("ring-end"))["status"] == "cancelled"
    assert await status(second["id"]) == "cancelled"

    third = await ring()
    await device.expect("ring", wait=5)
    await asyncio.sleep(RING_SECONDS + 0.5)
    assert await status(third["id"]) == "no-answer"
    late = await call("POST", f"{on_device}/{third['id']}/answer", headers=signed())
    assert late.status_code == 409 and "no longer ringing" in late.text

    fourth = await ring()
    await device.expect("ring", wait=5)
    answered = await call("POST", f"{on_device}/{fourth['id']}/answer", headers=signed())
    assert answered.status_code == 200, answered.text
    grant = answered.json()
    assert grant["role"] == "guest" and "@" in grant["conferenceAlias"]
    assert "pin" not in answered.text.lower()
    assert answered.cookies.get("bv_session")
    assert await status(fourth["id"]) == "answered"
    # Its session joins the meeting through the proxy as a guest, PIN added by the BFF.
    path = f"/api/client/v2/conferences/{grant['conferenceAlias']}/request_token"
    cookie = {"bv_session": answered.cookies["bv_session"]}
    async with httpx.AsyncClient(base_url=stack.instance_url(1), cookies=cookie) as tablet:
        token = await tablet.post(path, json={"display_name": "ignored"})
    assert token.status_code == 200 and token.json()["result"]["role"] == "GUEST"
    # Unknown devices and other parties' meetings are not called.
    other = await call("POST", calls, json={"device_id": "f" * 32}, headers=API)
    assert other.status_code == 404
    region = await call(
        "POST",
        calls,
        json={"device_id": device.device_id},
        headers={"X-API-Key": "demo-region-midt-key"},
    )
    assert region.status_code == 404


async def test_staff_calls_need_the_host_session_from_the_app_origin(
    stack: MultiStack, devices: list[SimDevice]
) -> None:
    device = await enrolled(stack, 0, devices)
    meeting = await book(stack)
    own = {"Origin": stack.instance_url(1), "Sec-Fetch-Site": "same-origin"}
    cross_site = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    ring = {"device_id": device.device_id}
    async with httpx.AsyncClient(base_url=stack.instance_url(1), timeout=10) as staff:
        launched = await staff.get(f"/kobenhavn/launch?token={launch_token(meeting)}")
        assert launched.status_code == 303
        listed_devices = (await staff.get("/api/staff/v1/devices")).json()
        assert any(d["id"] == device.device_id for d in listed_devices)
        cross = await staff.post("/api/staff/v1/device-calls", json=ring, headers=cross_site)
        assert cross.status_code == 403
        rung = await staff.post("/api/staff/v1/device-calls", json=ring, headers=own)
        assert rung.status_code == 201, rung.text
        path = f"/api/staff/v1/device-calls/{rung.json()['id']}"
        assert (await staff.get(path)).json()["status"] == "ringing"
        assert (await staff.delete(path, headers=own)).status_code == 204
    async with httpx.AsyncClient(base_url=stack.instance_url(0), timeout=10) as nobody:
        assert (await nobody.get("/api/staff/v1/devices")).status_code == 403  # no session


def test_set_device_webhook_command_seals_the_secret(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import shutil

    from bff.core.sealing import DataSealer
    from bff.core.settings import parse_data_key
    from bff.devices.models import webhook_purpose
    from bff.parties.cli import main as parties
    from devstack.stack import ROOT

    root = tmp_path_factory.mktemp("cli") / "branding"
    shutil.copytree(ROOT / "branding", root)
    key = secrets.token_urlsafe(32)
    monkeypatch.setenv("BV_DATA_KEY", key)
    url = "https://eoj.example/hook"
    assert (
        parties(["set-device-webhook", "kobenhavn", "--branding-dir", str(root), "--url", url]) == 0
    )
    secret = capsys.readouterr().out.strip()
    options = json.loads((root / "kobenhavn" / "party.json").read_text())["options"]
    assert options["device_webhook_url"] == url and secret not in json.dumps(options)
    sealer = DataSealer([parse_data_key(key, "key")])
    assert (
        sealer.unseal(options["device_webhook_secret_sealed"], webhook_purpose("kobenhavn"))
        == secret
    )
    assert parties(["set-device-webhook", "kobenhavn", "--branding-dir", str(root), "--off"]) == 0
    options = json.loads((root / "kobenhavn" / "party.json").read_text())["options"]
    assert "device_webhook_url" not in options
    assert parties(["set-device-webhook", "kobenhavn", "--branding-dir", str(root)]) == 2
