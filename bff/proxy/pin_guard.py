"""Wrong PINs are counted in Redis, so every BFF instance enforces the same lockout.

Per conference and client: a few free tries, then each further try waits twice as long as
the one before. Per conference, from all clients together: at most ROOM_TRIES tries in
ROOM_WINDOW, then PIN entry to it rests until the window ends. Per client across all
conferences: CLIENT_TRIES per hour, so guessing aliases does not reset the count.

Pexip Infinity's own break-in defence counts by conference and by source address (wrong PINs
and unknown aliases; emulator/node/rooms.py BreakInDefense), and every participant reaches
the node from the BFF's address. Without an allow-list entry for that address, the node adds
up the wrong PINs and aliases of all Borgervideo users together and quarantines the address:
every Borgervideo join fails until the block ends (ROOM_TRIES below the node's per-room
threshold does not prevent that). With an entry that ignores wrong PINs and aliases
(go-infinity-sdk break_in_allow_list_address_model.go), the node counts nothing from the BFF
and this guard is the only defence of every VDX room reachable by address and PIN. The README's
"Going live on VDX" asks MedCom to decide; the development stack allow-lists the BFF.

A try is counted before it is forwarded (bff.core.counters: the count and its expiry in one
script, then SET NX for the next delay), so a burst of
parallel requests gets no more tries than a patient one. A correct PIN clears this client's
own count for the conference and nothing of anybody else's.
"""

from __future__ import annotations

import math

from bff.core import counters, store
from bff.core.security import sha256_hex

FREE_TRIES = 5
MAX_DELAY = 3600
CLIENT_WINDOW = 3600
ROOM_TRIES = 10
ROOM_WINDOW = 600
CLIENT_TRIES = 30


class PinGuard:
    def __init__(self, redis: store.Redis, alias: str, client: str) -> None:
        self.redis = redis
        room = sha256_hex(alias)[:32]
        who = sha256_hex(f"{alias}\x00{client}")[:32]
        # Hash tags: a counter and its ":lock" live in one cluster slot (deleted together).
        self.room = f"{store.PIN_TRIES}room:{{{room}}}"
        self.pair = f"{store.PIN_TRIES}pair:{{{who}}}"
        self.client = f"{store.PIN_TRIES}client:{{{sha256_hex(client)[:32]}}}"

    async def admit(self) -> int | None:
        """None: the try may go ahead. Else the seconds to wait (Retry-After)."""
        wait = await self._locked()
        if wait:
            return wait
        tries = await self._count(self.pair, CLIENT_WINDOW)
        if tries > FREE_TRIES:
            delay = min(MAX_DELAY, 2 ** (tries - FREE_TRIES))
            if not await self.redis.set(self.pair + ":lock", 1, ex=delay, nx=True):
                await counters.give_back(self.redis, self.pair, CLIENT_WINDOW)  # not a try
                return await self._locked() or 1
        for key, limit, window in (
            (self.room, ROOM_TRIES, ROOM_WINDOW),
            (self.client, CLIENT_TRIES, CLIENT_WINDOW),
        ):
            if await self._count(key, window) > limit:
                await self.redis.set(key + ":lock", 1, ex=window, nx=True)
                return await self._locked() or window
        return None

    async def succeeded(self) -> None:
        await self.redis.delete(self.pair, self.pair + ":lock")
        for key, window in ((self.room, ROOM_WINDOW), (self.client, CLIENT_WINDOW)):
            await counters.give_back(self.redis, key, window)

    async def _count(self, key: str, window: int) -> int:
        return await counters.count(self.redis, key, window)

    async def _locked(self) -> int:
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in (self.pair, self.room, self.client):
                pipe.pttl(key + ":lock")
            longest = max(await pipe.execute())
        return math.ceil(longest / 1000) if longest > 0 else 0
