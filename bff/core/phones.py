"""Phone numbers as Danish staff type them, normalised with `phonenumbers` (Google's
libphonenumber metadata): "+45 12 34 56 78", "12345678", "0045 1234 5678", "(+45) 12-34-56-78"
all become E.164 "+4512345678". A number without a country code is Danish."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from bff.core.errors import InvalidInput

DEFAULT_REGION = "DK"
# What may be typed: digits, one leading "+", spaces, dots, dashes, parentheses.
ALLOWED = r"^[+(]?[0-9 ().\-+]{6,30}$"


def parse_phone(text: str) -> phonenumbers.PhoneNumber | None:
    """The number, or None when it cannot be one (wrong length, letters, no digits)."""
    raw = text.strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def normalise_phone(text: str, where: str) -> str:
    """E.164, or InvalidInput naming the field with a reason a person can act on."""
    number = parse_phone(text)
    if number is None:
        raise InvalidInput(
            f"{where}: not a phone number we can send an SMS to; write 8 digits for a Danish "
            "number (e.g. 12 34 56 78) or + and the country code (e.g. +46 70 123 45 67)"
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


@lru_cache(maxsize=256)  # a party's own few numbers, on every page it serves
def display_phone(e164: str) -> str:
    """As people write it: national format at home ("33 66 33 66"), international abroad."""
    number = phonenumbers.parse(e164, DEFAULT_REGION)
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
