"""`python -m bench.phonebook` (part of `make bench`): the dynamic phonebook under load.

The development stack (one BFF on the embedded Redis). A system of kobenhavn registered to
report and look up (with limits high enough not to count here) puts 10,000 people into
meetings (`PUT /api/v1/phonebook/presence`: presence updates per second), then looks up
random ones of them, and people in no meeting (`POST /api/v1/phonebook/lookup`: look-ups per
second; each one audited, handles issued). Both over HTTP with 32 requests in flight, from
this process, on the same cores as the BFF: the figures are lower bounds of what the BFF does
alone. `--presences N` changes the count.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections.abc import Awaitable, Callable

import httpx

from devstack.stack import DEMO_ADMIN_KEY, running_stack

PRESENCES = 10_000
LOOKUPS = 3_000
IN_FLIGHT = 32


def cpr(n: int) -> str:
    return f"{1 + n % 28:02d}{1 + n // 28 % 12:02d}{n // 336 % 100:02d}{n % 10_000:04d}"


async def run(count: int, work: Callable[[int], Awaitable[None]]) -> float:
    queue = iter(range(count))

    async def worker() -> None:
        for n in queue:
            await work(n)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return count / (time.perf_counter() - started)


async def bench(base: str, presences: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        system = await http.post(
            "/api/v1/parties/kobenhavn/phonebook/systems",
            json={"name": "Bench", "lookup": True, "lookups_per_minute": 1_000_000,
                  "updates_per_minute": 1_000_000},
            headers={"X-Admin-Key": DEMO_ADMIN_KEY},
        )  # fmt: skip
        system.raise_for_status()
        key = {"X-System-Key": system.json()["key"]}

        async def report(n: int) -> None:
            body = {
                "alias": f"{1_000_000 + n // 2}@vdx.localhost",
                "person": {"kind": "cpr", "id": cpr(n)},
                "role": "guest",
                "display_name": f"Borger {n}",
            }
            answer = await http.put("/api/v1/phonebook/presence", json=body, headers=key)
            assert answer.status_code == 200, answer.text

        found = 0

        async def lookup(n: int) -> None:
            nonlocal found
            who = random.randrange(presences * 2)  # noqa: S311 (half: in no meeting)
            body = {"person": {"kind": "cpr", "id": cpr(who)}}
            answer = await http.post("/api/v1/phonebook/lookup", json=body, headers=key)
            assert answer.status_code == 200, answer.text
            found += answer.json()["count"]

        updates = await run(presences, report)
        lookups = await run(LOOKUPS, lookup)
    print(f"phonebook: {presences} active presences")
    print(f"  presence updates per second (PUT, {IN_FLIGHT} in flight): {updates:8.0f}")
    print(f"  look-ups per second (POST lookup, audited, {IN_FLIGHT} in flight): {lookups:8.0f}")
    print(f"  (look-ups that found someone: {found} of {LOOKUPS})")


def main() -> None:
    presences = PRESENCES
    if "--presences" in sys.argv:
        presences = int(sys.argv[sys.argv.index("--presences") + 1])
    with running_stack() as stack:
        asyncio.run(bench(stack.bff_url, presences))


if __name__ == "__main__":
    main()
