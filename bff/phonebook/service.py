"""The dynamic phonebook in Redis: registered systems, presence entries, look-ups, audit.

Keys (prefix `bv:phonebook:`), with `<p>` the keyed pseudonym of a person reference:
- `e:{<p>}:<eid>`: one entry (who is in which meeting), sealed whole under the data key and
  bound to its key; TTL until the meeting ends. `<eid>` is a keyed pseudonym of (system,
  alias), so reporting again replaces the entry.
- `p:{<p>}`: the set of that person's entry ids (same slot as the entries: one MGET).
- `m:<ma>`: the entries of one meeting (`<ma>` a keyed pseudonym of its alias), to delete
  them all when the node reports the conference ended.
- `seat:<seat>`: a Borgervideo seat's entry, so leaving through the proxy deletes it.
- `pt:<pa>`: a Borgervideo participant's entry (`<pa>` a keyed pseudonym of its participant
  uuid at the node), so the node's `participant_disconnected` deletes it (a crashed browser).
- `sys:<id>`, `syskey:<sha256>` (the record again: one GET per call), `systems:<party>`:
  registered systems (keys only hashed).
- `policy:<party>`, `audit:<party>` (a capped list), `h:<sha256>` (result handles, 5 min),
  `join:<sha256>` (one-time join links, 60 s).
Nothing here holds a reference, a name or an alias in clear.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import msgspec
from redis.asyncio.client import Pipeline

from bff.core import store
from bff.core.errors import Forbidden, Gone, InvalidInput, NotFound
from bff.core.sealing import Pseudonymiser, Sealer, SealError
from bff.core.security import same, sha256_hex
from bff.core.text import check_shown_text
from bff.ops.ratelimit import Limit, count_in, refuse_over
from bff.parties.models import Party
from bff.phonebook.models import (
    AuditEntry,
    Entry,
    HandleRecord,
    LookupOut,
    LookupResult,
    MeetingRef,
    PartyRef,
    PolicyIn,
    PolicyOut,
    PresenceIn,
    PresenceLeave,
    PresenceOut,
    SystemCreated,
    SystemIn,
    SystemOut,
    SystemRecord,
    SystemRef,
)
from bff.phonebook.refs import PersonRef, person_pseudonym

log = logging.getLogger("bff.phonebook")
PB = "bv:phonebook:"
DEFAULT_LIFE = timedelta(hours=4)
MAX_AHEAD = timedelta(hours=24)
HANDLE_TTL = 300
JOIN_TTL = 60
AUDIT_KEEP = 10_000
MAX_ENTRIES_PER_PERSON = 50
PERSON_LOOKUPS_PER_MINUTE = 60  # look-ups of one person a minute, by every caller together
# A registered system's name may not pass for Borgervideo's own entries ("Borgervideo (...)"),
# however it is spelt (case, spaces, look-alike digits).
RESERVED_NAME = re.compile(r"b\W*[o0]\W*r\W*g\W*[e3]\W*r\W*v\W*[i1l]\W*d\W*[e3]\W*[o0]", re.I)
# Scripts touch keys of one cluster slot only (an entry and its person's set share the hash
# tag `{<p>}`; a meeting's set is a key of its own). TTLs only ever grow (Redis 6.2 has no
# EXPIRE GT). Sent with EVAL inside non-transactional pipelines: one round trip, no NOSCRIPT.
_GROW = (
    "local t = redis.call('TTL', KEYS[{k}]) "
    "if t < tonumber(ARGV[{a}]) then redis.call('EXPIRE', KEYS[{k}], ARGV[{a}]) end "
)
# KEYS: entry, person set. ARGV: sealed entry, ttl, entry id, "1": only when there is none
# yet (else the old one is answered, for its `since`).
PUT_ENTRY = (
    "if ARGV[4] == '1' then local old = redis.call('GET', KEYS[1]) "
    "if old then return old end end "
    "redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) "
    "redis.call('SADD', KEYS[2], ARGV[3]) " + _GROW.format(k=2, a=2) + "return false"
)
# KEYS: a set. ARGV: ttl, member.
ADD_MEMBER = "redis.call('SADD', KEYS[1], ARGV[2]) " + _GROW.format(k=1, a=1) + "return 1"
# KEYS: person set. ARGV: prefix of the entry keys, the most to read. Answers
# [eid, sealed, eid, sealed, ...] and forgets ids whose entry has expired.
ENTRIES = (
    "local ids = redis.call('SMEMBERS', KEYS[1]) local out = {} local n = 0 "
    "for _, eid in ipairs(ids) do "
    "local raw = redis.call('GET', ARGV[1] .. eid) "
    "if raw then if n < tonumber(ARGV[2]) then out[#out + 1] = eid out[#out + 1] = raw "
    "n = n + 1 end "
    "else redis.call('SREM', KEYS[1], eid) end end return out"
)
# KEYS: entry, person set. ARGV: the sealed entry as read, its id. Deletes it only if it is
# still that one (a newer join of the same person replaced it: kept).
DELETE_IF_SAME = (
    "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) "
    "redis.call('SREM', KEYS[2], ARGV[2]) return 1 end return 0"
)


def entry_key(p: str, eid: str) -> str:
    return f"{PB}e:{{{p}}}:{eid}"


def person_key(p: str) -> str:
    return f"{PB}p:{{{p}}}"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who calls the phonebook: a registered system, a party's OAuth2 client, a staff login or
    a host's plugin. `relations`: the pseudonyms of the persons the caller has a treatment
    relation with (stated per person by its token, or the persons booked in the host's own
    meeting when the launch JWT stated one), and `basis` says which; names and titles are
    shown only for those persons, and only in the caller's own party's meetings."""

    kind: str  # "system", "client", "staff", "plugin"
    id: str
    party: Party
    who: str  # for the audit: the system's or client's name, or the staff member's name
    relations: frozenset[str] = frozenset()
    basis: str = "none"
    lookups_per_minute: int = 600
    updates_per_minute: int = 6000


@dataclass(frozen=True, slots=True)
class PhonebookService:
    redis: store.Redis
    sealer: Sealer
    pseudonyms: Pseudonymiser
    parties: dict[str, Party]

    async def take(self, limit: Limit, who: str) -> None:
        """Count one against the caller's limit (one script: bff.core.counters)."""
        now = int(time.time())
        async with self.redis.pipeline(transaction=False) as pipe:
            count_in(pipe, limit, who, now)
            (used,) = await pipe.execute()
        refuse_over(limit, int(used), now)

    # -- pseudonyms -------------------------------------------------------------------------
    def person(self, ref: PersonRef, where: str = "person") -> str:
        return person_pseudonym(self.pseudonyms, ref, where)

    def entry_id(self, system_id: str, alias: str) -> str:
        return self.pseudonyms.pseudonym("phonebook-entry", f"{system_id}\x00{alias}")[:32]

    def meeting_key(self, alias: str) -> str:
        return f"{PB}m:{self.pseudonyms.pseudonym('phonebook-meeting', alias)[:32]}"

    def participant_key(self, participant: str) -> str:
        return f"{PB}pt:{self.pseudonyms.pseudonym('phonebook-participant', participant)[:32]}"

    # -- systems ----------------------------------------------------------------------------
    async def register(self, party: Party, body: SystemIn) -> SystemCreated:
        if RESERVED_NAME.search(body.name):
            raise_invalid(
                'name: "Borgervideo" is reserved for Borgervideo\'s own meetings; name the '
                'system by what it is (e.g. "MinLæge app")'
            )
        system_id = secrets.token_hex(8)
        key = f"pbk_{party.id}_{secrets.token_urlsafe(32)}"
        record = SystemRecord(
            id=system_id,
            party=party.id,
            name=check_shown_text(body.name, "name"),
            key_sha256=sha256_hex(key),
            report=body.report,
            lookup=body.lookup,
            lookups_per_minute=body.lookups_per_minute,
            updates_per_minute=body.updates_per_minute,
            created_at=datetime.now(UTC).replace(microsecond=0),
        )
        r = self.redis
        async with r.pipeline(transaction=False) as pipe:
            pipe.set(f"{PB}sys:{system_id}", msgspec.json.encode(record))
            pipe.set(f"{PB}syskey:{record.key_sha256}", msgspec.json.encode(record))
            pipe.sadd(f"{PB}systems:{party.id}", system_id)
            await pipe.execute()
        log.info("phonebook system registered party=%s system=%s", party.id, system_id)
        return SystemCreated(**msgspec.structs.asdict(_system_out(record)), key=key)

    async def systems(self, party: Party) -> list[SystemOut]:
        ids = sorted(store.as_text(m) for m in await self.redis.smembers(f"{PB}systems:{party.id}"))
        records = [await self._system(i) for i in ids]
        return [_system_out(r) for r in records if r is not None and r.party == party.id]

    async def remove_system(self, party: Party, system_id: str) -> None:
        record = await self._system(system_id)
        if record is None or record.party != party.id:
            raise NotFound("No such phonebook system at this party")
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.delete(f"{PB}sys:{system_id}")
            pipe.delete(f"{PB}syskey:{record.key_sha256}")
            pipe.srem(f"{PB}systems:{party.id}", system_id)
            await pipe.execute()

    async def _system(self, system_id: str) -> SystemRecord | None:
        raw = await self.redis.get(f"{PB}sys:{system_id}")
        return None if raw is None else msgspec.json.decode(raw, type=SystemRecord)

    async def system_for_key(self, key: str) -> SystemRecord | None:
        """The system whose key this is (one GET); its stored hash compared in constant time."""
        digest = sha256_hex(key)
        found = store.as_bytes(await self.redis.get(f"{PB}syskey:{digest}"))
        if found is None:
            return None
        if found.startswith(b"{"):
            record: SystemRecord | None = msgspec.json.decode(found, type=SystemRecord)
        else:  # registered before the record was kept here: by its id
            record = await self._system(found.decode())
        if record is None or not same(record.key_sha256, digest):
            return None
        return record if record.party in self.parties else None

    # -- policy -----------------------------------------------------------------------------
    async def policy(self, party_id: str) -> PolicyOut:
        raw = await self.redis.get(f"{PB}policy:{party_id}")
        return PolicyOut() if raw is None else msgspec.json.decode(raw, type=PolicyOut)

    async def set_policy(self, party: Party, body: PolicyIn) -> PolicyOut:
        for field in ("lookup_from", "join_from", "move_from", "dial_from"):
            for i, other in enumerate(getattr(body, field)):
                if other != "*" and other not in self.parties:
                    raise_invalid(f"{field}[{i}]: no such party")
        out = PolicyOut(
            lookup_from=sorted(set(body.lookup_from)),
            join_from=sorted(set(body.join_from)),
            move_from=sorted(set(body.move_from)),
            dial_from=sorted(set(body.dial_from)),
            join_role=body.join_role,
        )
        await self.redis.set(f"{PB}policy:{party.id}", msgspec.json.encode(out))
        return out

    # -- presence ---------------------------------------------------------------------------
    async def report(self, caller: Caller, body: PresenceIn) -> PresenceOut:
        p = self.person(body.person)  # a malformed reference: 400 before anything is counted
        name = check_shown_text(body.display_name, "display_name")
        title = check_shown_text(body.title, "title") if body.title is not None else None
        now = datetime.now(UTC)
        until = body.ends_at.astimezone(UTC) if body.ends_at else now + DEFAULT_LIFE
        if until <= now:
            raise_invalid("ends_at: lies in the past (send DELETE when the person has left)")
        if until > now + MAX_AHEAD:
            raise_invalid("ends_at: at most 24 hours ahead (report again to extend)")
        await self.take(Limit("phonebook-update", caller.updates_per_minute), caller.id)
        entry = Entry(
            system_id=caller.id,
            system_name=caller.who,
            party=caller.party.id,
            alias=body.alias,
            role=body.role,
            display_name=name,
            since=now.replace(microsecond=0),
            until=until,
            title=title,
        )
        await self.put(p, entry)
        return PresenceOut(expires_at=until)

    async def put(self, p: str, entry: Entry, participant: str | None = None) -> str:
        """Store (or replace) one entry; the since of an entry being replaced is kept. One
        round trip for a new entry (two when one is replaced). `participant`: the node's
        participant uuid of a Borgervideo join, kept as a keyed pseudonym to find the entry
        by when the node reports it disconnected."""
        eid = self.entry_id(entry.system_id, entry.alias)
        key = entry_key(p, eid)
        ttl = max(1, int((entry.until - datetime.now(UTC)).total_seconds()))
        meeting = self.meeting_key(entry.alias)
        sealed = self.sealer.seal(msgspec.json.encode(entry).decode(), key)
        r = self.redis
        async with r.pipeline(transaction=False) as pipe:
            pipe.eval(PUT_ENTRY, 2, key, person_key(p), sealed, ttl, eid, "1")
            pipe.eval(ADD_MEMBER, 1, meeting, ttl, f"{p}|{eid}")
            if participant is not None:
                pipe.set(self.participant_key(participant), f"{p}|{eid}|{meeting}", ex=ttl)
            old, *_ = await pipe.execute()
        if old is not None:  # replacing: keep since (a rare race keeps the newer since)
            previous = self._open(key, old)
            if previous is not None:
                entry.since = previous.since
            sealed = self.sealer.seal(msgspec.json.encode(entry).decode(), key)
            await r.eval(PUT_ENTRY, 2, key, person_key(p), sealed, ttl, eid, "0")
        return eid

    async def leave(self, caller: Caller, body: PresenceLeave) -> None:
        p = self.person(body.person)
        await self.take(Limit("phonebook-update", caller.updates_per_minute), caller.id)
        await self.delete(p, self.entry_id(caller.id, body.alias), body.alias)

    async def delete(self, p: str, eid: str, alias: str | None = None) -> None:
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.delete(entry_key(p, eid))
            pipe.srem(person_key(p), eid)
            if alias is not None:
                pipe.srem(self.meeting_key(alias), f"{p}|{eid}")
            await pipe.execute()

    async def conference_ended(self, alias: str) -> int:
        """The node says the conference ended: every entry of that meeting goes now."""
        meeting = self.meeting_key(alias)
        members = await self.redis.smembers(meeting)
        async with self.redis.pipeline(transaction=False) as pipe:
            for member in members:
                p, _, eid = store.as_text(member).partition("|")
                pipe.delete(entry_key(p, eid))
                pipe.srem(person_key(p), eid)
            pipe.delete(meeting)
            await pipe.execute()
        return len(members)

    async def participants_left(self, participants: list[str]) -> int:
        """`participant_left` for the disconnects of one event-sink POST: which of them the
        phonebook lists is read in one round trip (most participants it lists not at all)."""
        if not participants:
            return 0
        async with self.redis.pipeline(transaction=False) as pipe:
            for participant in participants:
                pipe.exists(self.participant_key(participant))
            listed = await pipe.execute()
        gone = 0
        for participant, is_listed in zip(participants, listed, strict=True):
            if is_listed:
                gone += await self.participant_left(participant)
        return gone

    async def participant_left(self, participant: str) -> bool:
        """The node says a participant disconnected (release, a crashed browser's token
        running out, a host's disconnect): its entry goes, unless a newer join of the same
        person to the same meeting has replaced it."""
        pt = self.participant_key(participant)
        raw = await self.redis.get(pt)
        if raw is None:
            return False
        p, eid, meeting = store.as_text(raw).split("|", 2)
        key = entry_key(p, eid)
        sealed = store.as_bytes(await self.redis.get(key))
        entry = self._open(key, sealed)
        gone = 0
        if sealed is not None and entry is not None and entry.participant == participant:
            gone = await self.redis.eval(DELETE_IF_SAME, 2, key, person_key(p), sealed, eid)
        async with self.redis.pipeline(transaction=False) as pipe:
            if gone:
                pipe.srem(meeting, f"{p}|{eid}")
            pipe.delete(pt)
            await pipe.execute()
        return bool(gone)

    async def _entry(self, p: str, eid: str) -> Entry | None:
        key = entry_key(p, eid)
        return self._open(key, store.as_bytes(await self.redis.get(key)))

    def _open(self, key: str, raw: bytes | None) -> Entry | None:
        if raw is None:
            return None
        try:
            return msgspec.json.decode(self.sealer.unseal(raw.decode(), key), type=Entry)
        except (SealError, msgspec.ValidationError, msgspec.DecodeError):
            return None

    def _found(self, p: str, flat: list[bytes]) -> list[tuple[str, Entry]]:
        found = []
        now = datetime.now(UTC)
        for i in range(0, len(flat), 2):
            eid = flat[i].decode()
            entry = self._open(entry_key(p, eid), flat[i + 1])
            if entry is not None and entry.until > now:
                found.append((eid, entry))
        return sorted(found, key=lambda e: e[1].since)

    async def entries(self, p: str) -> list[tuple[str, Entry]]:
        flat = await self.redis.eval(
            ENTRIES, 1, person_key(p), f"{PB}e:{{{p}}}:", MAX_ENTRIES_PER_PERSON
        )
        return self._found(p, flat)

    # -- look-up ----------------------------------------------------------------------------
    async def lookup(self, caller: Caller, ref: PersonRef) -> LookupOut:
        """Three round trips (two when nobody is found): the counts (per caller and per
        person looked up) and the entries; the owning parties' policies; the handles and the
        audit lines. Another party's meetings only where its policy shares them with the
        caller's party, never with names; names and titles only in the caller's own party's
        meetings and only of a person the caller has a treatment relation with."""
        p = self.person(ref)
        by_caller = Limit("phonebook-lookup", caller.lookups_per_minute)
        by_person = Limit("phonebook-person", PERSON_LOOKUPS_PER_MINUTE)
        now = int(time.time())
        r = self.redis
        async with r.pipeline(transaction=False) as pipe:
            count_in(pipe, by_caller, caller.id, now)
            count_in(pipe, by_person, p, now)
            pipe.eval(ENTRIES, 1, person_key(p), f"{PB}e:{{{p}}}:", MAX_ENTRIES_PER_PERSON)
            used, used_for_person, flat = await pipe.execute()
        refuse_over(by_caller, int(used), now)  # over a limit: what was read is thrown away
        refuse_over(by_person, int(used_for_person), now)
        found = self._found(p, flat)
        owners = {e.party for _, e in found}
        policies = await self.policies(owners)
        own = caller.party.id
        visible = [(i, e) for i, e in found if e.party == own or _shares(policies[e.party], own)]
        related = p in caller.relations
        results, handles = [], []
        for eid, entry in visible:
            names = related and entry.party == own
            handle = secrets.token_urlsafe(24)
            handles.append((handle, HandleRecord(p, eid, own, caller.id)))
            policy = policies[entry.party]
            ours = entry.meeting_id is not None
            results.append(
                LookupResult(
                    handle=handle,
                    system=SystemRef(id=entry.system_id, name=entry.system_name),
                    party=PartyRef(id=entry.party, name=self.party_name(entry.party)),
                    meeting=MeetingRef(
                        alias=entry.alias,
                        title=entry.title if names else None,
                        ends_at=entry.until,
                    ),
                    since=entry.since,
                    role=entry.role,
                    display_name=entry.display_name if names else None,
                    can_join=ours and _allows(policy.join_from, own),
                    can_move=ours
                    and entry.participant is not None
                    and _allows(policy.move_from, own),
                    can_dial=ours and _allows(policy.dial_from, own),
                )
            )
        names_shown = any(r.display_name is not None for r in results)
        async with r.pipeline(transaction=False) as pipe:
            for handle, record in handles:
                pipe.set(f"{PB}h:{sha256_hex(handle)}", msgspec.json.encode(record), ex=HANDLE_TTL)
            basis = caller.basis if related else "none"
            self._audit(pipe, caller, p, len(results), owners, names_shown, basis)
            await pipe.execute()
        return LookupOut(count=len(results), names_shown=names_shown, results=results)

    async def policies(self, parties: set[str]) -> dict[str, PolicyOut]:
        if not parties:
            return {}
        ordered = sorted(parties)
        async with self.redis.pipeline(transaction=False) as pipe:
            for party in ordered:
                pipe.get(f"{PB}policy:{party}")
            raws = await pipe.execute()
        return {
            party: PolicyOut() if raw is None else msgspec.json.decode(raw, type=PolicyOut)
            for party, raw in zip(ordered, raws, strict=True)
        }

    def party_name(self, party_id: str) -> str:
        party = self.parties.get(party_id)
        return party.name if party is not None else party_id

    def _audit(
        self,
        pipe: Pipeline,
        caller: Caller,
        p: str,
        count: int,
        owners: set[str],
        names_shown: bool,
        basis: str,
    ) -> None:
        """The look-up's audit line for the caller's and each owning party (into `pipe`)."""
        at = datetime.now(UTC).replace(microsecond=0).isoformat()
        for party in {caller.party.id, *owners}:
            key = f"{PB}audit:{party}"
            entry = {
                "at": at,
                "caller": f"{caller.kind}:{caller.id}@{caller.party.id}",
                "who": self.sealer.seal(caller.who, key),
                "pseudonym": p,
                "results": count,
                "names_shown": names_shown,
                "basis": basis,
            }
            pipe.lpush(key, msgspec.json.encode(entry))
            pipe.ltrim(key, 0, AUDIT_KEEP - 1)
        log.info(
            "phonebook lookup caller=%s:%s party=%s results=%d basis=%s",
            caller.kind,
            caller.id,
            caller.party.id,
            count,
            basis,
        )

    async def audit(self, party: Party, limit: int) -> list[AuditEntry]:
        key = f"{PB}audit:{party.id}"
        out = []
        for raw in await self.redis.lrange(key, 0, limit - 1):
            item = msgspec.json.decode(raw)
            who = self.sealer.unseal_or(item["who"], key, "(unreadable)")
            out.append(
                AuditEntry(
                    at=datetime.fromisoformat(item["at"]),
                    caller=item["caller"],
                    who=who,
                    pseudonym=item["pseudonym"],
                    results=item["results"],
                    names_shown=item["names_shown"],
                    basis=item.get("basis", "none"),
                )
            )
        return out

    async def audit_of(self, party: Party, ref: PersonRef, limit: int) -> list[AuditEntry]:
        """The audit lines about one person (a data subject's access request)."""
        p = self.person(ref)
        return [e for e in await self.audit(party, AUDIT_KEEP) if e.pseudonym == p][:limit]

    # -- results ----------------------------------------------------------------------------
    async def resolve(self, caller: Caller, handle: str) -> tuple[str, str, Entry]:
        """(person pseudonym, entry id, entry) behind a handle this caller was given."""
        raw = await self.redis.get(f"{PB}h:{sha256_hex(handle)}")
        record = None if raw is None else msgspec.json.decode(raw, type=HandleRecord)
        if record is None or not same(record.caller, caller.id):
            raise NotFound("Unknown or expired handle: look the person up again")
        entry = await self._entry(record.person, record.entry)
        if entry is None:
            raise Gone("The person is no longer in that meeting")
        return record.person, record.entry, entry

    async def may(self, caller: Caller, entry: Entry, action: str) -> PolicyOut:
        policy = await self.policy(entry.party)
        allowed = {"join": policy.join_from, "move": policy.move_from}.get(action, policy.dial_from)
        if entry.meeting_id is None:
            raise Forbidden(
                f"Cannot {action}: the meeting is held by {entry.system_name}, not through "
                "Borgervideo"
            )
        if not _allows(allowed, caller.party.id):
            raise Forbidden(
                f"{self.party_name(entry.party)} does not allow staff of "
                f"{caller.party.name} to {action} its meetings (its phonebook policy)"
            )
        return policy


def _allows(allowed: list[str], party_id: str) -> bool:
    return "*" in allowed or party_id in allowed


def _shares(policy: PolicyOut, party_id: str) -> bool:
    """Whether the owning party's policy lets `party_id` find its meetings at all."""
    return any(
        _allows(allowed, party_id)
        for allowed in (policy.lookup_from, policy.join_from, policy.move_from, policy.dial_from)
    )


def _system_out(record: SystemRecord) -> SystemOut:
    return SystemOut(
        id=record.id,
        name=record.name,
        report=record.report,
        lookup=record.lookup,
        lookups_per_minute=record.lookups_per_minute,
        updates_per_minute=record.updates_per_minute,
        created_at=record.created_at,
    )


def raise_invalid(reason: str) -> None:
    raise InvalidInput(reason)
