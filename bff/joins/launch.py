"""Staff launch JWTs from a case system (EOJ), checked against the party's eoj_keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import GuestProtocol, Key, import_key

from bff.core.errors import InvalidInput, Unauthenticated
from bff.core.text import UNSAFE_TEXT
from bff.parties.models import LoadedKey, Party
from bff.phonebook.refs import PersonRef, StaffRef, normalise

MAX_LIFETIME = 300
LEEWAY = 30
ALGORITHMS = ("ES256", "RS256")


@dataclass(frozen=True, slots=True)
class LaunchClaims:
    meeting_id: str
    name: str
    jti: str
    exp: int
    person: PersonRef | None = None  # the phonebook: the staff member's id (never a CPR number)
    treatment: bool = False  # the phonebook: names shown in look-ups
    host_staff_id: str | None = None  # her login's `sub`: the staff portal's "mine"


def _bad(reason: str) -> Unauthenticated:
    return Unauthenticated(
        f"Login-linket fra fagsystemet afvises: {reason}",
        hint="Åbn mødet igen fra fagsystemet. Kontakt support, hvis det bliver ved.",
    )


def _key_for(party: Party, header: dict[str, Any]) -> LoadedKey:
    key = party.eoj_keys.get(str(header.get("kid", "")))
    if key is None:
        raise _bad("ukendt nøgle (kid)")
    if header.get("alg") != key.alg:
        raise _bad(f"nøglen kræver algoritmen {key.alg}")
    return key


def _decode(party: Party, token: str) -> tuple[LoadedKey, dict[str, Any]]:
    used: list[LoadedKey] = []

    def resolve(obj: GuestProtocol) -> Key:
        key = _key_for(party, dict(obj.headers()))
        used.append(key)
        if key.alg == "ES256":
            return import_key(key.public_pem, "EC")
        return import_key(key.public_pem, "RSA")

    try:
        decoded = jwt.decode(token, resolve, algorithms=ALGORITHMS)
    except Unauthenticated:
        raise
    except (JoseError, ValueError, TypeError) as exc:
        raise _bad("signaturen eller formatet er ugyldigt") from exc
    return used[-1], dict(decoded.claims)


def _str_claim(claims: dict[str, Any], name: str, max_len: int) -> str:
    value = claims.get(name)
    if (
        not isinstance(value, str)
        or not 1 <= len(value.strip()) <= max_len
        or UNSAFE_TEXT.search(value)
    ):
        raise _bad(f"feltet '{name}' mangler eller er ugyldigt")
    return value.strip()


def _check_time(claims: dict[str, Any], now: int) -> int:
    exp = claims.get("exp")
    if not isinstance(exp, int) or isinstance(exp, bool):
        raise _bad("feltet 'exp' mangler")
    if exp <= now:
        raise _bad("linket er udløbet")
    if exp - now > MAX_LIFETIME:
        raise _bad(f"linket gælder for længe (højst {MAX_LIFETIME} sekunder)")
    iat = claims.get("iat")
    if iat is not None and (not isinstance(iat, int) or iat > now + LEEWAY):
        raise _bad("feltet 'iat' ligger i fremtiden")
    if iat is not None and exp - iat > MAX_LIFETIME:
        raise _bad(f"linket gælder for længe (højst {MAX_LIFETIME} sekunder)")
    return exp


def _check_audience(claims: dict[str, Any], party: Party) -> None:
    aud = claims.get("aud")
    auds = aud if isinstance(aud, list) else [aud]
    if party.audience not in auds:
        raise _bad(f"forkert modtager (aud skal være {party.audience})")


def _person_claim(claims: dict[str, Any]) -> PersonRef | None:
    """Optional `person`: the staff member's id for the phonebook. A launch JWT travels in a
    URL, so a CPR number is refused here."""
    value = claims.get("person")
    if value is None:
        return None
    ref = StaffRef(id=value if isinstance(value, str) else "")
    try:
        normalise(ref, "person")
    except InvalidInput:
        raise _bad("feltet 'person' skal være et medarbejder-id (aldrig et CPR-nummer)") from None
    return ref


def _treatment_claim(claims: dict[str, Any]) -> bool:
    value = claims.get("treatment_relation", False)
    if not isinstance(value, bool):
        raise _bad("feltet 'treatment_relation' skal være true eller false")
    return value


def verify_launch(party: Party, token: str, now: datetime) -> LaunchClaims:
    """Signature, issuer, audience and lifetime; replay and meeting are checked by the caller."""
    if not token or len(token) > 8192:
        raise _bad("token mangler")
    key, claims = _decode(party, token)
    if claims.get("iss") != key.issuer:
        raise _bad("forkert udsteder (iss)")
    _check_audience(claims, party)
    exp = _check_time(claims, int(now.timestamp()))
    return LaunchClaims(
        meeting_id=_str_claim(claims, "meeting_id", 64),
        name=_str_claim(claims, "name", 80),
        jti=_str_claim(claims, "jti", 200),
        exp=exp,
        person=_person_claim(claims),
        treatment=_treatment_claim(claims),
        host_staff_id=(
            _str_claim(claims, "host_staff_id", 200) if "host_staff_id" in claims else None
        ),
    )
