"""Numbers read from a page's query string. A value that is not a plain number in range is treated
as absent (the page ignores that filter), so a hand-edited or crafted URL is never a server error."""

from __future__ import annotations

import re

# Database ids are 64-bit; no real id comes near this, and it keeps every lookup in range.
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def int_param(raw: str | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """`raw` as an int if it is ASCII digits between `low` and `high`, else None."""
    value = (raw or "").strip()
    if not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if low <= number <= high else None
