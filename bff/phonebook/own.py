"""Borgervideo's own meetings report themselves: a grant carrying a person's pseudonym (from
a guest link or a launch JWT) puts an entry when its participant joins through the proxy and
takes it away when that participant leaves (release_token, the session ended, the seat
taken by a newer join) or when the node reports the participant disconnected (a crashed
browser: its token ran out), see PhonebookService.participant_left."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.datastructures import State

from bff.core import store
from bff.joins.models import Session
from bff.meetings.models import Meeting
from bff.phonebook.models import Entry
from bff.phonebook.service import PB, entry_key, person_key


def seat_key(seat: str) -> str:
    return f"{PB}seat:{seat}"


def own_system(party_id: str) -> str:
    return f"borgervideo:{party_id}"


async def joined(
    state: State, session: Session, meeting: Meeting, display_name: str, participant: str
) -> None:
    grant = session.grant
    if not grant.person:
        return
    now = datetime.now(UTC)
    ttl = int((meeting.end - now).total_seconds())
    if ttl <= 0:
        return
    party = state.parties.get(session.party)
    entry = Entry(
        system_id=own_system(session.party),
        system_name="Borgervideo" + (f" ({party.name})" if party is not None else ""),
        party=session.party,
        alias=meeting.alias,
        role=grant.role,
        display_name=display_name,
        since=now.replace(microsecond=0),
        until=meeting.end,
        title=meeting.subject,
        meeting_id=meeting.id,
        participant=participant,
    )
    service = state.phonebook
    eid = await service.put(grant.person, entry, participant or None)
    pt = service.participant_key(participant) if participant else ""
    await state.redis.set(seat_key(grant.seat), f"{grant.person}|{eid}|{participant}|{pt}", ex=ttl)


async def left(redis: store.Redis, seat: str, participant: str | None = None) -> None:
    """The seat's participant left (only that one: a newer join keeps its entry)."""
    raw = await redis.get(seat_key(seat))
    if raw is None:
        return
    person, eid, holder, *rest = store.as_text(raw).split("|", 3)
    if participant is not None and holder != participant:
        return
    async with redis.pipeline(transaction=False) as pipe:
        pipe.delete(entry_key(person, eid))
        pipe.srem(person_key(person), eid)
        pipe.delete(seat_key(seat))
        if rest and rest[0]:  # the participant's key (for participant_disconnected)
            pipe.delete(rest[0])
        await pipe.execute()
