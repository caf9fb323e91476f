"""The home page's card for support: requests waiting on this person's school and support under way."""

from __future__ import annotations

from typing import Any

from partnership.goodpractice import selectors


def home_support(request: Any) -> dict[str, Any] | None:
    """No card for someone whose school has no request waiting or under way. Two queries."""
    found = selectors.my_requests(request.user)
    if not found["waiting"] and not found["open"]:
        return None
    return {"waiting": found["waiting"][:5], "open": found["open"][:5]}
