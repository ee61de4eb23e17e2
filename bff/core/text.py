"""Text rules shared by every reader of structured input: msgspec's validation message split
into the field it names and what is wrong with it."""

from __future__ import annotations

import re

import msgspec

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
