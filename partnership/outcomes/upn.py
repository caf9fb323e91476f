"""Unique pupil numbers (UPNs) and their check letter, as the DfE's UPN guidance defines them.

A UPN is 13 characters: a check letter, the LA number (3 digits), the DfE establishment number (4),
the two-digit year of allocation and a three-digit serial. A temporary UPN has a letter instead of
the last digit of the serial. The check letter: multiply each of characters 2 to 13 by its position
(2 to 13), a temporary UPN's final letter counting as its place in the letter table (A=0 ... Z=22);
add them up; the remainder on division by 23 is the check letter's place in the same table, which
leaves out I, O and S.

Every import path, the model field and the synthetic data use these functions, so a UPN that is
stored always has the right check letter.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S
UPN_LENGTH = 13
_SHAPE = re.compile(rf"^[{CHECK_LETTERS}]\d{{11}}[0-9{CHECK_LETTERS}]$")
_BODY = re.compile(rf"^\d{{11}}[0-9{CHECK_LETTERS}]$")


class UpnError(ValueError):
    """A UPN that is the wrong shape or has the wrong check letter; the message says which, in words."""


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (LA, establishment, year, serial)."""
    if not _BODY.fullmatch(body):
        raise UpnError(
            f"'{body[:20]}' is not the 12 characters after a UPN's check letter: 11 digits, then a digit or letter"
        )
    total = sum(
        (int(char) if char.isdigit() else CHECK_LETTERS.index(char)) * position
        for position, char in enumerate(body, start=2)
    )
    return CHECK_LETTERS[total % 23]


def check_upn(value: str) -> str:
    """`value` as a UPN (trimmed, upper case). Raises UpnError saying what is wrong."""
    upn = value.strip().upper()
    if not _SHAPE.fullmatch(upn):
        raise UpnError(
            f"'{upn[:40]}' is not a UPN: a UPN is 13 characters, a check letter (not I, O or S), 11 digits, "
            "then a digit or letter"
        )
    expected = upn_check_letter(upn[1:])
    if upn[0] != expected:
        raise UpnError(f"UPN check letter is wrong: character 1 of {upn} should be {expected}, not {upn[0]}")
    return upn


def validate_upn(value: str) -> None:
    """Model and form validator: the UPN as stored, exactly (upper case, no spaces), with its check letter."""
    try:
        upn = check_upn(value)
    except UpnError as exc:
        raise ValidationError(str(exc), code="invalid_upn") from None
    if upn != value:
        raise ValidationError("A UPN is stored in capitals with no spaces.", code="invalid_upn")


def make_upn(la: str | int, estab: str | int, year: int, serial: int | str) -> str:
    """A valid UPN from its parts: LA number, establishment number, year of allocation (2 or 4 digits:
    2019 and 19 both mean 2019) and a serial (0-999, or a temporary UPN's two digits and a letter)."""
    serial_text = f"{serial % 1000:03d}" if isinstance(serial, int) else serial
    body = f"{int(la) % 1000:03d}{int(estab) % 10_000:04d}{year % 100:02d}{serial_text}"
    return upn_check_letter(body) + body
