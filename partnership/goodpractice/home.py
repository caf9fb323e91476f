"""The home page's card for support: requests waiting on this person's school, support under way
and the person's own buddies."""

from __future__ import annotations

from typing import Any

from partnership.goodpractice import selectors
from partnership.goodpractice.buddy_queries import my_buddies


def home_support(request: Any) -> dict[str, Any] | None:
    """No card for someone whose school has no request waiting or under way and who has no buddy.
    Three queries."""
    found = selectors.my_requests(request.user)
    buddies = my_buddies(request.user)
    if not found["waiting"] and not found["open"] and not buddies:
        return None
    return {"waiting": found["waiting"][:5], "open": found["open"][:5], "buddies": buddies[:5]}
