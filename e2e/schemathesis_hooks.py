"""Schemathesis hooks (SCHEMATHESIS_HOOKS=e2e.schemathesis_hooks) for the cross-field rules
a JSON Schema cannot state, so positive cases are what the API documents as acceptable.

CreateMeeting: `end` after `start` and in the future, at most 24 hours long, `start` at most
366 days ahead (the schema's descriptions say so), phone numbers that are numbers (the pattern
admits "000000"; bff.core.phones decides), and no phone number twice in one booking.
Negative cases are left as generated.

The app's own cookie-bound API (the staff portal's, the meeting session's, the host's device
calls) is tested logged in, as a browser is (BrowserLogin): the staff member `lise` (roles
staff and scheduler) logs in through the party's OpenID provider's login page, reads her
CSRF token (StaffSession), books a meeting and opens it as host (the join session's cookie);
every request then carries both cookies, X-CSRF-Token and the app's own Origin. What ends
them is done again before the next request, as she would: logged out, she logs in; having
left, she opens her meeting again; having ended it, she books another.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin

import httpx
import schemathesis
from joserfc.jwk import ECKey
from phonenumbers import PhoneNumberFormat, format_number
from schemathesis import GenerationMode

from bff.core.phones import parse_phone
from bff.stats.controller import MAX_MONTHS

BFF = os.environ.get("BV_SCHEMATHESIS_BFF", "")  # the stack under test (e2e/test_hostile_input)
PARTY, ACCOUNT = "kobenhavn", "lise"  # devstack.oidc: her roles map to staff and scheduler
STAFF_API = "/api/staff/v1/parties/{party_id}"
LOGOUT = ("POST", STAFF_API + "/logout")  # ends the login and the host session it opened
LEAVE = ("DELETE", "/api/session")  # ends the join session
END_MEETING = ("POST", "/api/session/end-meeting")  # ends the meeting: its sessions too


# InstallPlugin's body is a zip: the bytes generated go as they are, like any binary body.
schemathesis.serializer.alias("application/zip", "application/octet-stream")


@dataclass
class Browser:
    """A logged-in browser: its cookie jar (the provider's, the staff login's, the join
    session's), the login's CSRF token, the meeting it hosts and what still holds."""

    client: httpx.Client
    csrf: str = ""
    meeting: str = ""
    logged_in: bool = False
    hosting: bool = False

    def ready(self) -> Browser:
        if not self.logged_in:
            self._log_in()
            self.logged_in, self.hosting, self.meeting = True, False, ""
        if not self.hosting:
            if not self.meeting:
                self.meeting = self._book()
            self._host()
            self.hosting = True
        return self

    def cookies(self) -> dict[str, str]:
        return {
            name: value
            for name in ("bv_staff", "bv_session")
            if (value := self.client.cookies.get(name)) is not None
        }

    def _log_in(self) -> None:
        """The staff login through the provider's login page, then her CSRF token."""
        self.client.cookies.clear()
        start = self.client.get(f"{BFF}/{PARTY}/staff/login")
        assert start.status_code == 303, start.text
        page = self.client.get(start.headers["location"], follow_redirects=True)
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action is not None, page.text
        self.client.post(
            urljoin(str(page.url), action[1]), data={"login": ACCOUNT}, follow_redirects=True
        )
        me = self.client.get(f"{self._staff}/session")
        assert me.status_code == 200, me.text
        self.csrf = me.json()["csrf_token"]

    def _book(self) -> str:
        begins = datetime.now(UTC) + timedelta(minutes=10)
        booking = {
            "subject": "Schemathesis",
            "start": begins.isoformat(),
            "end": (begins + timedelta(minutes=45)).isoformat(),
            "guests": [{"display_name": "Borger"}],
        }
        booked = self.client.post(f"{self._staff}/meetings", json=booking, headers=self._changing)
        assert booked.status_code == 201, booked.text
        return str(booked.json()["id"])

    def _host(self) -> None:
        """Her meeting opened as host: the join session's cookie."""
        host = self.client.post(
            f"{self._staff}/meetings/{self.meeting}/host", headers=self._changing
        )
        assert host.status_code == 200, host.text

    @property
    def _staff(self) -> str:
        return f"{BFF}{STAFF_API.format(party_id=PARTY)}"

    @property
    def _changing(self) -> dict[str, str]:
        return {"X-CSRF-Token": self.csrf, "Origin": BFF}


_browser: list[Browser] = []


@schemathesis.auth(refresh_interval=None).apply_to(path_regex="^/api/(staff/v1|session)")
class BrowserLogin:
    """The cookies of a logged-in browser (staff login, host's join session). Logging in is
    what a person does once; it happens again only after something ended it (after_call)."""

    def get(self, case: Any, context: Any) -> Browser:
        if not _browser:
            _browser.append(Browser(httpx.Client(timeout=15)))
        return _browser[0].ready()

    def set(self, case: Any, data: Browser, context: Any) -> None:
        case.cookies = {**(case.cookies or {}), **data.cookies()}
        case.headers = {**(case.headers or {}), "X-CSRF-Token": data.csrf, "Origin": BFF}


@schemathesis.hook
def after_call(context: schemathesis.HookContext, case: Any, response: Any) -> None:
    if not _browser or not 200 <= response.status_code < 300:
        return
    done = (case.operation.method.upper(), case.operation.path)
    browser = _browser[0]
    if done == LOGOUT:
        browser.logged_in = False
    elif done == LEAVE:
        browser.hosting = False  # her meeting goes on: she opens it again
    elif done == END_MEETING:
        browser.hosting, browser.meeting = False, ""


def _positive(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    return meta is None or meta.generation.mode == GenerationMode.POSITIVE


@schemathesis.hook
def map_case(context: schemathesis.HookContext, case: Any) -> Any:
    operation = case.operation
    if operation.path.startswith(STAFF_API) and _positive(case):
        case.path_parameters = {**(case.path_parameters or {}), "party_id": PARTY}  # hers
        if isinstance(case.body, dict) and case.body.get("team") is not None:
            case.body["team"] = None  # a team of her login's (the default: her first)
    if (
        operation.method.upper() == "POST"
        and operation.path in ("/api/v1/meetings", STAFF_API + "/meetings")
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
