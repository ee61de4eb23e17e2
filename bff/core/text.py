"""Text rules shared by every reader of structured input: msgspec's validation message split
into the field it names and what is wrong with it; what text a person is shown may hold."""

from __future__ import annotations

import re

import msgspec

from bff.core.errors import InvalidInput

CPR_LIKE = re.compile(r"\d{6}-?\d{4}")
# Control characters and bidi overrides: a display name must show what it says.
_UNSAFE_CHARACTERS = r"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
UNSAFE_TEXT = re.compile(f"[{_UNSAFE_CHARACTERS}]")
# What check_shown_text enforces, said in the API's schema too, so that schema-valid text is
# accepted: no CPR-like number, no control or bidi-override characters, not blank. Published
# only (the check gives the friendlier reason when it refuses), so the service that takes a
# shown_text field calls check_shown_text on it; `\d` and `\S` as Python's re reads them.
SAFE_TEXT = rf"^(?!.*{CPR_LIKE.pattern})(?=.*\S)[^{_UNSAFE_CHARACTERS}]+$"
SAFE_TEXT_SCHEMA = {"extra": {"pattern": SAFE_TEXT}}  # msgspec.Meta(extra_json_schema=...)


def shown_text(max_length: int, description: str | None, example: str) -> msgspec.Meta:
    """An API field holding text others are shown (check_shown_text's rules, published as
    SAFE_TEXT): 1 to `max_length` characters."""
    return msgspec.Meta(
        min_length=1,
        max_length=max_length,
        description=description,
        examples=[example],
        extra_json_schema=SAFE_TEXT_SCHEMA,
    )


# msgspec's words for a field of the wrong shape: "<what> - at `$.<path>`".
_AT = re.compile(r"^(?P<msg>.*) - at `\$(?P<path>[^`]*)`$")


def field_problem(exc: msgspec.ValidationError) -> tuple[str, str]:
    """(the field's dotted path, "" for the top level or when none is named; the problem)."""
    match = _AT.match(str(exc))
    return (match["path"].lstrip("."), match["msg"]) if match else ("", str(exc))


def file_field_problem(where: str, exc: msgspec.ValidationError) -> str:
    """ "<file>: <field>: <problem>" for a configuration file a person fixes."""
    if _AT.match(str(exc)) is None:
        return f"{where}: {exc}"
    field, message = field_problem(exc)
    return f"{where}: {field or '(top level)'}: {message}"


def check_shown_text(text: str, where: str) -> str:
    """A name or label others are shown (a guest's name, a device's label): no control
    characters, nothing like a CPR number, not blank. Returns it stripped."""
    if UNSAFE_TEXT.search(text):
        raise InvalidInput(f"{where}: must not contain control characters")
    if CPR_LIKE.search(text):
        raise InvalidInput(f"{where}: looks like a CPR number")
    if not text.strip():
        raise InvalidInput(f"{where}: must not be blank")
    return text.strip()
