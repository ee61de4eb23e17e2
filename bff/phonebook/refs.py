"""Person references (a CPR number or a staff id) and the keyed pseudonyms that stand for them.

A reference is never stored or logged: it is checked, normalised and turned at once into a
keyed pseudonym (HMAC-SHA256 under a key derived from the data key, which lives outside
Redis), and only the pseudonym is used for look-up.
"""

from __future__ import annotations

import re
from typing import Annotated

import msgspec

from bff.core.errors import InvalidInput
from bff.core.sealing import Pseudonymiser

CPR = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d{4})$")
STAFF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@:/-]{0,99}$")
CPR_INSIDE = re.compile(r"\d{6}-?\d{4}")
PERSON_PURPOSE = "phonebook-person"

# Published in the schema (the service checks the same and gives the friendlier reason), so
# that every schema-valid reference is taken: a real day and month; a staff id with no CPR.
CPR_SCHEMA = r"^\s*(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{2}-?[0-9]{4}\s*$"
STAFF_SCHEMA = r"^\s*(?![^\s]*[0-9]{6}-?[0-9]{4})[A-Za-z0-9][A-Za-z0-9._@:/-]{0,99}\s*$"


def _id_rules(pattern: str, description: str, example: str) -> msgspec.Meta:
    """A reference's `id`: 1 to 100 characters, its kind's pattern published in the schema."""
    return msgspec.Meta(
        min_length=1,
        max_length=100,
        description=description,
        examples=[example],
        extra_json_schema={"extra": {"pattern": pattern}},
    )


class _Ref(msgspec.Struct, forbid_unknown_fields=True, tag_field="kind"):
    """A person reference, its kind named in `kind`."""


class CprRef(_Ref, tag="cpr"):
    """A citizen's CPR number: `{"kind": "cpr", "id": "010190-1234"}`."""

    id: Annotated[
        str,
        _id_rules(
            CPR_SCHEMA,
            "10 digits, or DDMMYY-XXXX. Sent in the body only, never in a URL; never stored or "
            "logged: the BFF keeps a keyed pseudonym of it.",
            "010190-1234",
        ),
    ]


class StaffRef(_Ref, tag="staff"):
    """A staff member's id from the case system or identity provider."""

    id: Annotated[
        str,
        _id_rules(
            STAFF_SCHEMA,
            "Letters, digits and `._@:/-`, at most 100 characters, never a CPR number; matched "
            "case-insensitively",
            "ravn@rm.dk",
        ),
    ]


PersonRef = CprRef | StaffRef


def valid_cpr(value: str) -> str | None:
    """The CPR number's 10 digits, or None when it is not shaped like one (a real day and
    month in DDMMYY; the modulus-11 check is not used, as CPR has not kept it since 2007)."""
    match = CPR.match(value.strip())
    if match is None:
        return None
    day, month = int(match.group(1)), int(match.group(2))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return "".join(match.group(i) for i in range(1, 5))


def normalise(ref: PersonRef, where: str) -> str:
    """`<kind>:<normal form>`; a malformed reference is a 400 naming `where` (never echoing
    the value)."""
    if isinstance(ref, CprRef):
        digits = valid_cpr(ref.id)
        if digits is None:
            raise InvalidInput(
                f"{where}.id: not a CPR number (10 digits, or DDMMYY-XXXX with a real day "
                "and month)"
            )
        return f"cpr:{digits}"
    value = ref.id.strip()
    if not STAFF_ID.match(value) or CPR_INSIDE.search(value):
        raise InvalidInput(
            f"{where}.id: not a staff id (letters, digits and ._@:/- only, at most 100 "
            "characters, never a CPR number)"
        )
    return f"staff:{value.lower()}"


def person_pseudonym(pseudonyms: Pseudonymiser, ref: PersonRef, where: str = "person") -> str:
    return pseudonyms.pseudonym(PERSON_PURPOSE, normalise(ref, where))
