"""Schemathesis hooks (SCHEMATHESIS_HOOKS=e2e.schemathesis_hooks) for the cross-field rules
a JSON Schema cannot state, so positive cases are what the API documents as acceptable.

CreateMeeting: `end` after `start` and in the future, at most 24 hours long, `start` at most
366 days ahead (the schema's descriptions say so), phone numbers that are numbers (the pattern
admits "000000"; bff.core.phones decides), and no phone number twice in one booking.
Negative cases are left as generated.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import schemathesis
from joserfc.jwk import ECKey
from phonenumbers import PhoneNumberFormat, format_number
from schemathesis import GenerationMode

from bff.core.phones import parse_phone
from bff.stats.controller import MAX_MONTHS


def _positive(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


@schemathesis.hook
def map_case(context: schemathesis.HookContext, case: Any) -> Any:
    operation = case.operation
    if (
        operation.method.upper() == "POST"
        and operation.path == "/api/v1/meetings"
        and isinstance(case.body, dict)
        and _positive(case)
    ):
        start = datetime.now(UTC) + timedelta(minutes=10)
        case.body["start"] = start.isoformat(timespec="seconds")
        case.body["end"] = (start + timedelta(minutes=45)).isoformat(timespec="seconds")
        seen: set[str] = set()
        for guest in case.body.get("guests") or []:
            phone = guest.get("phone") if isinstance(guest, dict) else None
            if not isinstance(phone, str):
                continue
            number = parse_phone(phone)  # the schema's pattern admits what no number is
            e164 = format_number(number, PhoneNumberFormat.E164) if number else None
            if e164 is None or e164 in seen:
                guest["phone"] = None
            else:
                seen.add(e164)
    elif (
        operation.method.upper() == "PUT"
        and operation.path == "/api/v1/phonebook/presence"
        and isinstance(case.body, dict)
        and _positive(case)
        and case.body.get("ends_at") is not None
    ):  # within the next 24 hours, as its description says
        case.body["ends_at"] = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    elif (
        operation.method.upper() == "POST"
        and operation.path == "/api/device/v1/enrol"
        and isinstance(case.body, dict)
        and _positive(case)
    ):  # a point on the curve: the pattern admits any 43 base64url characters
        case.body["public_key"] = {"kty": "EC", "crv": "P-256", **_fresh_point()}
    elif (
        operation.method.upper() == "PUT"
        and operation.path.endswith("/phonebook/policy")
        and isinstance(case.body, dict)
        and _positive(case)
    ):  # party ids that exist: the pattern admits any slug, the service knows the parties
        for field in ("lookup_from", "join_from", "move_from", "dial_from"):
            if isinstance(case.body.get(field), list):
                case.body[field] = ["*" for _ in case.body[field][:1]]
    elif operation.path.endswith("/stats") and _positive(case) and isinstance(case.query, dict):
        _within_max_months(case.query)
    return case


def _fresh_point() -> dict[str, str]:
    jwk = ECKey.generate_key("P-256").as_dict(private=False)
    return {"x": str(jwk["x"]), "y": str(jwk["y"])}


def _months(year_month: str) -> int:
    return int(year_month[:4]) * 12 + int(year_month[5:7]) - 1


def _within_max_months(query: dict[str, Any]) -> None:
    """`from`..`to` spans at most MAX_MONTHS (to defaults to this month), from before to."""
    today = datetime.now(UTC)
    to = query.get("to") or f"{today.year:04d}-{today.month:02d}"
    if not isinstance(to, str):
        return
    first = query.get("from")
    if not isinstance(first, str):  # `from` defaults to eleven months before this month
        first = f"{today.year:04d}-{today.month:02d}"
        if not 0 <= _months(to) - _months(first) + 11 < MAX_MONTHS:
            query["from"] = to
        return
    if not 0 <= _months(to) - _months(first) < MAX_MONTHS:
        query["from"] = to
