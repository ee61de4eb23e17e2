"""One grant, one seat; a node token only with the browser session it was issued to.

When request_token answers, the proxy binds the node's token to the session cookie that asked
(by the cookie's sha256) and, for a grant, records the participant as the grant's seat. A
later join on the same grant (another tab, a re-tapped SMS) takes the seat: the previous
participant is released at the node and its token refused here at once. Every other call
must carry a token bound to the caller's own cookie, and a grant's token dies with its session.
"""

from __future__ import annotations

import aiohttp
import msgspec
from redis.commands.core import AsyncScript

from bff.core import store
from bff.core.node import conference_url, release_token
from bff.core.sealing import Sealer, SealError
from bff.core.security import sha256_hex
from bff.joins.sessions import JoinRecords
from bff.phonebook import own as phonebook_own

# A node token lives `expires` seconds (120 on Pexip); its binding a little longer.
BINDING_MARGIN = 60
MAX_BINDING_TTL = 3600
# vacate in one round trip: the seat's key goes only while it still holds that participant
# (a Seat is a JSON array: node, alias, participant, sealed token). One key: cluster-safe.
VACATE = """
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, seat = pcall(cjson.decode, raw)
if ok and type(seat) == 'table' and seat[3] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
"""
_vacate: AsyncScript | None = None
# take_seat_if_current in one round trip: the join's records are still as read (the session
# not ended, the meeting and its key unchanged), then the token's binding and the seat.
# KEYS: session, meeting, meeting key, seat, token binding. ARGV: the three records as read,
# the seat, its TTL, the binding, its TTL. Five keys in four domains: one Redis or Sentinel
# only (a cluster client refuses keys of several slots; bff.proxy.controller takes two round
# trips there).
TAKE_IF_CURRENT = """
for i = 1, 3 do
  if redis.call('GET', KEYS[i]) ~= ARGV[i] then return {0} end
end
redis.call('SET', KEYS[5], ARGV[6], 'EX', ARGV[7])
local previous = redis.call('SET', KEYS[4], ARGV[4], 'EX', ARGV[5], 'GET')
return {1, previous or ''}
"""
_take_if_current: AsyncScript | None = None


class SeatTaken(msgspec.Struct, frozen=True):
    """What take_seat_if_current did: `current` False: nothing (a record changed)."""

    current: bool
    previous: Seat | None = None


class TokenBinding(msgspec.Struct, array_like=True):
    session: str  # sha256 of the session cookie's value
    seat: str = ""  # the grant's seat; "" for a join by address and PIN
    participant: str = ""
    listed: bool = False  # the grant names a person: the phonebook lists them while seated


class Seat(msgspec.Struct, array_like=True):
    node: str
    alias: str
    participant: str
    token_sealed: str


def binding_ttl(expires: object) -> int:
    try:
        seconds = int(float(str(expires)))
    except ValueError:
        seconds = 120
    return max(1, min(seconds, MAX_BINDING_TTL)) + BINDING_MARGIN


def _token_key(token: str) -> str:
    return store.NODE_TOKEN + sha256_hex(token)


def _seat_purpose(seat: str) -> str:
    return store.SEAT + seat


async def bind_token(redis: store.Redis, token: str, binding: TokenBinding, ttl: int) -> None:
    await redis.set(_token_key(token), msgspec.json.encode(binding), ex=ttl)


async def token_binding(
    redis: store.Redis, token: str, session_ref: str | None
) -> TokenBinding | None:
    """The token's binding when it belongs to this caller's live session, else None.

    One round trip: the binding and whether the caller's session still exists.
    """
    if not token or session_ref is None or len(token) > 512:
        return None
    async with redis.pipeline(transaction=False) as pipe:
        pipe.get(_token_key(token))
        pipe.exists(store.SESSION + session_ref)
        raw, session_alive = await pipe.execute()
    if raw is None:
        return None
    binding = msgspec.json.decode(raw, type=TokenBinding)
    if binding.session != session_ref:
        return None
    if binding.seat and not session_alive:  # a grant's token dies with its session
        return None
    return binding


async def take_seat(
    redis: store.Redis, token: str, binding: TokenBinding, token_ttl: int, seat: Seat, ttl: int
) -> Seat | None:
    """Bind the grant's new token and record its participant in the seat, in one round trip;
    the previous participant, if another, to release."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.set(_token_key(token), msgspec.json.encode(binding), ex=token_ttl)
        pipe.set(store.SEAT + binding.seat, msgspec.json.encode(seat), ex=ttl, get=True)
        _, raw = await pipe.execute()
    previous = None if raw is None else msgspec.json.decode(raw, type=Seat)
    if previous is None or previous.participant == seat.participant:
        return None
    return previous


async def take_seat_if_current(
    redis: store.Redis,
    records: JoinRecords,
    meeting_id: str,
    token: str,
    binding: TokenBinding,
    token_ttl: int,
    seat: Seat,
    ttl: int,
) -> SeatTaken:
    """`take_seat`, only while the session, its meeting and the meeting's key are still the
    records the join was granted on (read a moment ago, or known to this process), in one
    round trip and atomically: an ended session or a changed meeting takes no seat."""
    global _take_if_current
    if _take_if_current is None:  # the script's SHA once; each call names its own client
        _take_if_current = AsyncScript(redis, TAKE_IF_CURRENT)
    keys = [
        store.SESSION + binding.session,
        store.MEETING + meeting_id,
        store.MEETING_KEY + meeting_id,
        store.SEAT + binding.seat,
        _token_key(token),
    ]
    args: list[bytes | int] = [
        *records,
        msgspec.json.encode(seat),
        ttl,
        msgspec.json.encode(binding),
        token_ttl,
    ]
    answer = await _take_if_current(keys=keys, args=args, client=redis)
    if not answer[0]:
        return SeatTaken(False)
    previous = msgspec.json.decode(answer[1], type=Seat) if answer[1] else None
    if previous is None or previous.participant == seat.participant:
        return SeatTaken(True)
    return SeatTaken(True, previous)


async def seat_token_refreshed(
    redis: store.Redis, sealer: Sealer, binding: TokenBinding, token: str
) -> None:
    """Keep the seat's token current, so the BFF can still release that participant."""
    raw = await redis.get(store.SEAT + binding.seat)
    if raw is None:
        return
    seat = msgspec.json.decode(raw, type=Seat)
    if seat.participant != binding.participant:
        return  # the seat has moved on: this participant is being released
    seat.token_sealed = sealer.seal(token, _seat_purpose(binding.seat))
    await redis.set(store.SEAT + binding.seat, msgspec.json.encode(seat), keepttl=True, xx=True)


def sealed_seat(
    sealer: Sealer, seat_id: str, node: str, alias: str, participant: str, token: str
) -> Seat:
    return Seat(node, alias, participant, sealer.seal(token, _seat_purpose(seat_id)))


async def release(
    redis: store.Redis, http: aiohttp.ClientSession, sealer: Sealer, seat_id: str, seat: Seat
) -> None:
    """Disconnect the seat's participant at the node and refuse its token here."""
    try:
        token = sealer.unseal(seat.token_sealed, _seat_purpose(seat_id))
    except SealError:
        return
    await redis.delete(_token_key(token))
    await release_token(http, conference_url(seat.node, seat.alias), token)


async def release_seat(
    redis: store.Redis, http: aiohttp.ClientSession, sealer: Sealer, seat_id: str
) -> None:
    """Free a grant's seat (its session ended): its participant leaves the call now."""
    await phonebook_own.left(redis, seat_id)  # the phonebook entry goes with the seat
    raw = await redis.getdel(store.SEAT + seat_id)
    if raw is not None:
        await release(redis, http, sealer, seat_id, msgspec.json.decode(raw, type=Seat))


async def vacate(redis: store.Redis, seat_id: str, participant: str) -> None:
    """The seat's participant left by itself: the seat is free (if it still holds that one)."""
    global _vacate
    if _vacate is None:  # the script's SHA once; each call names its own client
        _vacate = AsyncScript(redis, VACATE)
    await _vacate(keys=[store.SEAT + seat_id], args=[participant], client=redis)
