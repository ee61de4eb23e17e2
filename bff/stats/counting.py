"""Counting consultations from one conference's points: pure functions, no Redis.

A point is what one participant event said at one moment: whether that participant took
part then (media, in the conference itself, not a streaming or API-only leg), whether it
was a host, and its party. Points are kept as a set, so the same event twice or events in
any order give the same points, and the same answer.

- A participant takes part from a point that says so until the next that says not, or its
  disconnect. Without any such point, a disconnect that says it had media stands for the
  whole call (connect_time to end_time): its updates were lost.
- The consultation runs while two or more take part and at least one is a host: in a hosted
  VDX room guests without a host are held and exchange no media. A participant who
  reconnects is a new leg; the time with two or more legs is what counts, so a short drop
  neither splits nor doubles a consultation.
- Periods of one conference more than `SESSION_GAP` apart are separate consultations (a
  room used again later); closer ones are one (everyone dropped and came back).
- It counts when that time is over `MIN_SECONDS`; it belongs to the month, Danish time, in
  which it started and to the party most of its legs were tagged with.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
MIN_SECONDS = 60.0
SESSION_GAP = 1800.0
CONFERENCE = "c"  # the participant id of conference-level points


@dataclass(frozen=True, slots=True)
class Point:
    participant: str
    t: float
    closing: bool  # a disconnect (or a conference end)
    taking_part: bool
    host: bool
    had_media: bool
    party: str
    connect_time: float | None = None

    # -- the Redis form: field "participant|t|kind", value "flags|party|connect_time" -----
    def field(self) -> str:
        return f"{self.participant}|{self.t:.3f}|{'x' if self.closing else 'u'}"

    def value(self) -> str:
        flags = f"{int(self.taking_part)}{'h' if self.host else 'g'}{int(self.had_media)}"
        connect = "" if self.connect_time is None else f"{self.connect_time:.3f}"
        return f"{flags}|{self.party}|{connect}"

    @classmethod
    def parse(cls, field: str, value: str) -> Point | None:
        try:
            participant, t, kind = field.split("|")
            flags, party, connect = value.split("|")
            return cls(
                participant=participant,
                t=float(t),
                closing=kind == "x",
                taking_part=flags[0] == "1",
                host=flags[1] == "h",
                had_media=flags[2] == "1",
                party=party,
                connect_time=float(connect) if connect else None,
            )
        except (ValueError, IndexError):
            return None


@dataclass(frozen=True, slots=True)
class Consultation:
    start: float  # Unix time the two first took part together
    seconds: float  # time two or more took part
    party: str

    @property
    def month(self) -> str:
        return month_of(self.start)

    @property
    def key(self) -> str:
        return f"{int(self.start)}"


def month_of(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).astimezone(COPENHAGEN).strftime("%Y-%m")


Interval = tuple[float, float]


def taking_part(points: list[Point], horizon: float) -> list[Interval]:
    """One leg's intervals of taking part, from its points (any order)."""
    ordered = sorted(points, key=lambda p: (p.t, p.closing))
    intervals: list[Interval] = []
    start: float | None = None
    closing: Point | None = None
    for point in ordered:
        if point.closing:
            closing = point
            break  # nothing after its disconnect belongs to this leg
        if point.taking_part and start is None:
            start = point.t
        elif not point.taking_part and start is not None:
            intervals.append((start, point.t))
            start = None
    if start is not None:
        intervals.append((start, closing.t if closing else horizon))
    lost_updates = not intervals and closing is not None and closing.connect_time is not None
    if lost_updates and closing and closing.taking_part:
        intervals.append((closing.connect_time or 0.0, closing.t))
    return [(a, b) for a, b in intervals if b > a]


def together(legs: list[tuple[bool, list[Interval]]]) -> list[Interval]:
    """The periods in which two or more legs take part and one of them is a host."""
    edges: list[tuple[float, int, bool]] = []
    for host, intervals in legs:
        for a, b in intervals:
            edges.append((a, 1, host))
            edges.append((b, -1, host))
    edges.sort(key=lambda e: (e[0], e[1]))  # at one moment, leaving before joining
    periods: list[Interval] = []
    count = hosts = 0
    since: float | None = None
    for t, delta, host in edges:
        count += delta
        hosts += delta if host else 0
        running = count >= 2 and hosts >= 1
        if running and since is None:
            since = t
        elif not running and since is not None:
            if t > since:
                periods.append((since, t))
            since = None
    return periods


def _party(points: list[Point]) -> str:
    votes = Counter(p.party for p in points if p.party and p.participant != CONFERENCE)
    if votes:
        best = max(votes.values())
        return min(party for party, n in votes.items() if n == best)
    tags = sorted({p.party for p in points if p.party})
    return tags[0] if tags else ""


def consultations(points: list[Point], min_seconds: float = MIN_SECONDS) -> list[Consultation]:
    """The consultations one conference held (counted ones only). `min_seconds` is the rule's
    minute; only the development stack's tests lower it (BV_STATS_MIN_SECONDS)."""
    if not points:
        return []
    horizon = max(p.t for p in points)
    legs: dict[str, list[Point]] = {}
    for point in points:
        if point.participant != CONFERENCE:
            legs.setdefault(point.participant, []).append(point)
    periods = together(
        [(any(p.host for p in pts), taking_part(pts, horizon)) for pts in legs.values()]
    )
    party = _party(points)
    if not party:
        return []  # not one of ours (the node serves other rooms too)
    found: list[Consultation] = []
    sessions: list[list[Interval]] = []
    for period in periods:
        if sessions and period[0] - sessions[-1][-1][1] <= SESSION_GAP:
            sessions[-1].append(period)
        else:
            sessions.append([period])
    for session in sessions:
        seconds = sum(b - a for a, b in session)
        if seconds > min_seconds:
            found.append(Consultation(session[0][0], seconds, party))
    return found
