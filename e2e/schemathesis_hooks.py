"""Schemathesis hooks (SCHEMATHESIS_HOOKS=e2e.schemathesis_hooks) for the cross-field rules
a JSON Schema cannot state, so positive cases are what the API documents as acceptable.

CreateMeeting: `end` after `start` and in the future, at most 24 hours long, `start` at most
366 days ahead (the schema's descriptions say so), and no phone number twice in one booking.
Negative cases are left as generated.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import schemathesis
from schemathesis import GenerationMode


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
            if isinstance(guest, dict) and guest.get("phone") in seen:
                guest["phone"] = None
            elif isinstance(guest, dict) and guest.get("phone"):
                seen.add(guest["phone"])
    return case
