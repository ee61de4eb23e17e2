"""The second outside security review (issue 19), each finding against the real app and an
embedded real Redis. The enrolment flood over two instances is in test_devices.py, the
phonebook's need-to-know in test_phonebook.py."""

from __future__ import annotations

import asyncio

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from bff.app import create_app
from bff.core import counters, store
from bff.core.security import from_own_origin
from bff.core.settings import Settings
from bff.devices.webhook import WebhookRefused, check_target, pinned
from bff.meetings import limits
from bff.ops.logs import redact
from bff.ops.ratelimit import Limit, take
from bff.proxy.pin_guard import ROOM_TRIES, PinGuard
from bff.tests.conftest import settings_with
from bff.tests.test_integration import Client, redis_of

BFF = "http://127.0.0.1:8080"

# --- 1. counters: counted before checked, never without an expiry ---------------------------


async def _limit_keys(redis: object) -> list[bytes]:
    found = []
    for prefix in (store.RATE, store.LIMIT, store.PIN_TRIES):
        found += [k async for k in redis.scan_iter(match=prefix + "*")]  # type: ignore[attr-defined]
    return found


async def test_every_limiter_leaves_only_counters_that_expire(
    app: Litestar, client: Client
) -> None:
    async with redis_of(app) as redis:
        guard = PinGuard(redis, "4720@vdx.localhost", "203.0.113.20")
        for _ in range(8):
            await guard.admit()
        await take(redis, Limit("test", 100), "203.0.113.20")
        party = app.state.parties["kobenhavn"]
        counted = limits.sms_counters(party, ["+4512345678"], app.state.pseudonyms, 3)
        await limits.take(redis, counted)
        await limits.give_back(redis, counted)
        await guard.succeeded()
        keys = await _limit_keys(redis)
        assert keys
        for key in keys:
            assert await redis.ttl(key) > 0, key


async def test_a_counter_left_without_expiry_gets_one_on_its_next_count(
    app: Litestar, client: Client
) -> None:
    """A crash between INCR and EXPIRE (the old two calls) left the room's counter for good;
    the one script gives it its window back."""
    async with redis_of(app) as redis:
        guard = PinGuard(redis, "4721@vdx.localhost", "203.0.113.21")
        await redis.set(guard.room, 3)  # as a crash between the two calls left it
        assert await redis.ttl(guard.room) == -1
        assert await guard.admit() is None
        assert await redis.ttl(guard.room) > 0
        await redis.set("bv:rate:test-left", 7)
        await counters.give_back(redis, "bv:rate:test-left", 60)
        assert await redis.ttl("bv:rate:test-left") > 0


async def test_parallel_tries_get_exactly_the_limit(app: Litestar, client: Client) -> None:
    async with redis_of(app) as redis:
        guards = [PinGuard(redis, "4722@vdx.localhost", f"192.0.2.{i}") for i in range(40)]
        answers = await asyncio.gather(*(g.admit() for g in guards))
        assert sum(a is None for a in answers) == ROOM_TRIES


# --- 3. secure by default in production ------------------------------------------------------


async def test_metrics_need_their_token_outside_the_development_stack(settings: Settings) -> None:
    production = settings_with(settings, demo=False)
    async with AsyncTestClient(app=create_app(production), base_url=BFF) as client:
        refused = await client.get("/metrics")
        assert refused.status_code == 401 and "BV_METRICS_TOKEN" in refused.json()["detail"]
    with_token = settings_with(production, serving={"metrics_token": "m" * 32})
    async with AsyncTestClient(app=create_app(with_token), base_url=BFF) as client:
        assert (await client.get("/metrics")).status_code == 401
        given = await client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 32})
        assert given.status_code == 200 and "bv_" in given.text


async def test_pages_isolate_their_window_from_other_sites(client: Client) -> None:
    """COOP on every page: `same-origin`; pages that load plugins (their frames are another
    origin and open tabs, e2e/test_phonebook.py) `same-origin-allow-popups`, which still
    cuts off a foreign page that opens ours."""
    for path in ("/kobenhavn/admin/plugins", "/kobenhavn/j/" + "x" * 43):
        page = await client.get(path)
        assert page.headers["cross-origin-opener-policy"] == "same-origin", path
    meeting = await client.get("/kobenhavn/")
    assert meeting.headers["cross-origin-opener-policy"] == "same-origin-allow-popups"


def test_the_same_origin_check_compares_scheme_host_and_port() -> None:
    own = "https://video.example.dk"
    assert from_own_origin("https://video.example.dk", None, "video.example.dk", own, "https")
    # the same host over http (a page an attacker on the network injected) is another origin
    assert not from_own_origin("http://video.example.dk", None, "video.example.dk", own, "https")
    assert not from_own_origin(
        "https://video.example.dk:8443", None, "video.example.dk", own, "https"
    )
    # a request made to another name of this server: its own scheme and Host
    assert from_own_origin("http://10.0.0.5:8080", None, "10.0.0.5:8080", own, "http")
    assert not from_own_origin("https://10.0.0.5:8080", None, "10.0.0.5:8080", own, "http")
    assert from_own_origin("https://10.0.0.5", None, "10.0.0.5", own, "wss")


async def test_a_cookie_bearing_post_from_the_same_host_over_another_scheme_is_refused(
    client: Client,
) -> None:
    client.cookies.set("bv_session", "x" * 43)
    other_scheme = await client.delete("/api/session", headers={"Origin": "https://127.0.0.1:8080"})
    assert other_scheme.status_code == 403 and "cross-site" in other_scheme.json()["detail"]
    own = await client.delete("/api/session", headers={"Origin": "http://127.0.0.1:8080"})
    assert own.status_code == 204


def test_the_log_filter_masks_cpr_shaped_numbers() -> None:
    for text in ("cpr=010190-1234", "person 0101901234 found", '{"id": "311299-9999"}'):
        assert "[cpr]" in redact(text) and "1234" not in redact(text).replace("[cpr]", ""), text
    for kept in ("time=1733472000", "meeting=4f2a0101901234ab", "v1.0101901234"):
        assert redact(kept) == kept


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://93.184.216.34/hook", "only https"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://localhost:6379/", "loopback"),
        ("https://10.1.2.3/hook", "private"),
        ("https://192.168.1.1/hook", "private"),
        ("https://169.254.169.254/latest", "link-local"),
        ("https://[::1]/hook", "loopback"),
        ("https://[::ffff:127.0.0.1]/hook", "loopback"),
    ],
)
async def test_device_webhooks_go_to_public_https_only(url: str, reason: str) -> None:
    with pytest.raises(WebhookRefused) as refused:
        await check_target(url, ())
    assert reason in str(refused.value)


async def test_an_operator_allows_a_webhook_host_by_name() -> None:
    await check_target("https://93.184.216.34/hook", ())  # public: fine
    await check_target("http://127.0.0.1:8123/hook", ("127.0.0.1",))
    await check_target("http://eoj.intern/hook", ("eoj.intern",))
    with pytest.raises(WebhookRefused):
        await check_target("http://127.0.0.1:8123/hook", ("eoj.intern",))


def test_a_webhook_goes_to_the_address_that_was_checked() -> None:
    """No second DNS answer: the post connects to the checked address, the host name rides
    in Host and in TLS (SNI and the certificate check)."""
    four = pinned("https://hooks.eoj.example:8443/in?x=1", "93.184.216.34")
    assert four.url == "https://93.184.216.34:8443/in?x=1"
    assert four.headers == {"Host": "hooks.eoj.example:8443"}
    assert four.extensions == {"sni_hostname": "hooks.eoj.example"}
    six = pinned("https://hooks.eoj.example", "2606:2800:220:1::1")
    assert six.url == "https://[2606:2800:220:1::1]/" and six.headers["Host"] == "hooks.eoj.example"


async def test_a_checked_public_webhook_is_pinned_an_allowed_one_is_not() -> None:
    public = await check_target("https://93.184.216.34/hook", ())
    assert public.url == "https://93.184.216.34/hook"
    assert public.extensions == {"sni_hostname": "93.184.216.34"}
    allowed = await check_target("http://127.0.0.1:8123/hook", ("127.0.0.1",))
    assert (allowed.url, allowed.headers, allowed.extensions) == (
        "http://127.0.0.1:8123/hook",
        {},
        {},
    )
