"""The second outside security review (issue 19), each finding against the real app and an
embedded real Redis. The enrolment flood over two instances is in test_devices.py, the
phonebook's need-to-know in test_phonebook.py."""

from __future__ import annotations

import asyncio

from litestar import Litestar

from bff import counters, store
from bff.meetings import limits
from bff.ops.ratelimit import Limit, take
from bff.proxy.pin_guard import ROOM_TRIES, PinGuard
from bff.tests.test_integration import Client, redis_of

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
