"""Limits on booking and SMS, counted in Redis so every BFF instance enforces them.

Per party: bookings and SMS per hour (party options). Per phone number, over every party:
SMS per day (BV_SMS_PER_NUMBER_PER_DAY), so no key can flood one citizen's phone. The
number itself is never stored: the counter's key is a keyed pseudonym of it.

Fixed windows, counted up front for the whole booking (bff.core.counters: count and expiry in one
script): when any
counter would pass its limit, every count taken is given back and nothing is booked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bff.core import store
from bff.core.counters import count, window_left
from bff.core.counters import give_back as give_back_count
from bff.core.errors import TooManyRequests
from bff.core.sealing import Pseudonymiser
from bff.parties.models import Party

HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True, slots=True)
class Counter:
    key: str
    amount: int
    limit: int
    window: int
    reason: str


def booking_counters(
    party: Party, phones: list[str], pseudonyms: Pseudonymiser, per_number_per_day: int
) -> list[Counter]:
    options = party.options
    counters = [
        Counter(
            _windowed(f"bookings:{party.id}", HOUR),
            1,
            options.bookings_per_hour,
            HOUR,
            f"this party may book at most {options.bookings_per_hour} meetings an hour",
        ),
    ]
    return counters + sms_counters(party, phones, pseudonyms, per_number_per_day)


def sms_counters(
    party: Party, phones: list[str], pseudonyms: Pseudonymiser, per_number_per_day: int
) -> list[Counter]:
    """The SMS limits alone (an invitation to a booked meeting): per party, per number."""
    options = party.options
    counters: list[Counter] = []
    if phones:
        counters.append(
            Counter(
                _windowed(f"sms:{party.id}", HOUR),
                len(phones),
                options.sms_per_hour,
                HOUR,
                f"this party may send at most {options.sms_per_hour} SMS an hour",
            )
        )
    for phone in phones:
        number = pseudonyms.pseudonym("sms-limit", phone)
        counters.append(
            Counter(
                _windowed(f"sms-to:{number}", DAY),
                1,
                per_number_per_day,
                DAY,
                f"at most {per_number_per_day} SMS a day may go to one phone number",
            )
        )
    return counters


def _windowed(name: str, window: int) -> str:
    return f"{store.LIMIT}{name}:{int(time.time()) // window}"


async def take(redis: store.Redis, counters: list[Counter]) -> None:
    """Count them all, or none: raises TooManyRequests naming the first limit passed."""
    taken: list[Counter] = []
    for counter in counters:
        used = await count(redis, counter.key, counter.window, counter.amount)
        taken.append(counter)
        if used > counter.limit:
            await give_back(redis, taken)
            raise TooManyRequests(counter.reason, retry_after=window_left(counter.window))


async def give_back(redis: store.Redis, counters: list[Counter]) -> None:
    for counter in counters:
        await give_back_count(redis, counter.key, counter.window, counter.amount)
