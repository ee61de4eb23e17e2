"""What a session may do: a JoinGrant for one meeting, as host or guest."""

from __future__ import annotations

from typing import Literal

import msgspec

from bff.core import store
from bff.core.sealing import Sealer

Role = Literal["host", "guest"]


class JoinGrant(msgspec.Struct):
    """What a session may join. The name is kept only sealed, under the meeting's own key.

    `seat` names the one participant the grant may hold at a time: a guest link's seat is
    the same however often the link is redeemed; each staff launch has its own.
    """

    meeting_id: str
    role: Role
    display_name_sealed: str
    seat: str
    # The phonebook (bff.phonebook): the keyed pseudonym of the person this grant is for
    # ("" none: a guest link or launch JWT may carry a reference), and whether the staff
    # launch stated a treatment relation (names shown in phonebook look-ups).
    person: str = ""
    treatment: bool = False

    @classmethod
    def sealed(cls, sealer: Sealer, meeting_id: str, role: Role, name: str, seat: str) -> JoinGrant:
        return cls(meeting_id, role, sealer.seal(name, _grant_purpose(meeting_id, role)), seat)

    def display_name(self, sealer: Sealer) -> str:
        return sealer.unseal(self.display_name_sealed, _grant_purpose(self.meeting_id, self.role))


def _grant_purpose(meeting_id: str, role: str) -> str:
    return f"{store.SESSION}{meeting_id}:{role}"


class Session(msgspec.Struct):
    party: str
    grant: JoinGrant
