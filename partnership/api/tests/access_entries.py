"""Access matrix entries for the outcomes API (discovered for the `partnership.api` app; walked by
core's test_access_matrix.py). The directory endpoints of v1 are listed in that file itself.

Policy (access.py): outcome aggregates of a school or partnership are for whoever may `view` it
(small groups are suppressed for all but the school's own staff; test_outcomes_api.py checks the
figures). Pupil rows are for `view_pupils` on the school only: its head, senior leaders, data lead
and SENCO, no administrator bypass; the same grid as the pupil pages.

The aggregates take their school or partnership as a query parameter, so each scope is an entry of
its own (`+school_own`, `+partnership_outside`, ...) with that scope's column of the grid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnership.core.tests.matrix import API, OBJECT, VIEW, Entry, obj, partnership_slug, school_slug
from partnership.directory.tests.factories import World
from partnership.outcomes.tests.access_entries import VIEW_PUPILS, pupil_of_school


def by_query(
    name: str, param: str, slug_of: Callable[[World, str], dict[str, Any]], allow: dict[str, str]
) -> dict[str, Entry]:
    """One entry per scope for a URL whose object is named in the query string (`?param=<slug>`)."""
    entries = {}
    for index, scope in enumerate(OBJECT):
        entries[f"{name}+{param}_{scope}"] = Entry(
            name,
            {role: cells[index] for role, cells in allow.items()},
            anonymous=API,
            data=lambda w, scope=scope: {param: slug_of(w, scope)["slug"]},
        )
    return entries


ENTRIES: dict[str, Entry] = {
    **by_query("v1:outcome-aggregates", "school", school_slug, VIEW),
    **by_query("v1:outcome-aggregates", "partnership", partnership_slug, VIEW),
    "v1:school-pupil-list": obj("v1:school-pupil-list", school_slug, VIEW_PUPILS, anonymous=API),
    "v1:school-pupil-detail": obj("v1:school-pupil-detail", pupil_of_school, VIEW_PUPILS, anonymous=API),
}
