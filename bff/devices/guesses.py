"""How many enrolment codes may be tried: counters in Redis, so every instance enforces them."""

from __future__ import annotations

import time

from bff.core import counters, store
from bff.core.errors import TooManyRequests
from bff.core.security import sha256_hex

GUESS_WINDOW = 900
GUESSES_PER_ADDRESS = 10  # enrolment tries per client address in 15 minutes
GUESSES_PER_PREFIX = 10  # tries of codes with one prefix (the first 4 of 8) at one party

Counted = list[tuple[str, int]]  # each counter's key and its limit


def guess_keys(party_id: str, address: str, code: str | None) -> Counted:
    """The counters an enrolment try counts against, with their limits: its address and,
    for a well-formed code, the code's prefix at the party. No party-wide counter: a flood
    from outside locks out its own addresses and the prefixes it hits, never the admin's
    fresh code (a random prefix of 32^4) typed on the tablet from another address."""
    window = int(time.time()) // GUESS_WINDOW
    keys = [
        (f"{store.RATE}device-enrol:{{{sha256_hex(address)[:32]}}}:{window}", GUESSES_PER_ADDRESS)
    ]
    if code is not None:
        prefix = sha256_hex(f"{party_id}:{code[:4]}")[:32]
        keys.append((f"{store.RATE}device-enrol-prefix:{{{prefix}}}:{window}", GUESSES_PER_PREFIX))
    return keys


async def count_try(redis: store.Redis, keys: Counted) -> None:
    """Every try counts before it is checked (one script per counter: bff.core.counters), so a
    burst of parallel tries gets no more than a patient one. Over a limit the code is not
    even looked at (a guesser learns nothing from the answer)."""
    for key, limit in keys:
        if await counters.count(redis, key, GUESS_WINDOW + 1) > limit:
            raise TooManyRequests(
                "For mange forkerte koder. Vent et kvarter, og prøv igen.",
                retry_after=counters.window_left(GUESS_WINDOW),
            )


async def give_back(redis: store.Redis, keys: Counted) -> None:
    """A right code was no guess: its count goes back (a municipality enrols many tablets
    from one address)."""
    for key, _ in keys:
        await counters.give_back(redis, key, GUESS_WINDOW + 1)
