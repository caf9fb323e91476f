"""Access matrix entries for the outcomes, plans and meetings API (discovered for the `partnership.api`
app; walked by core's test_access_matrix.py). The directory endpoints of v1 are listed in that file
itself.

Policy (access.py): outcome aggregates of a school or partnership are for whoever may `view` it
(small groups are suppressed for all but the school's own staff; test_outcomes_api.py checks the
figures). Pupil rows are for `view_pupils` on the school only: its head, senior leaders, data lead
and SENCO, no administrator bypass; the same grid as the pupil pages.

Plans, priorities, objectives and progress updates follow the plans' grids: a school plan and its
objectives for the people at that school (sharing never opens them), a partnership plan for whoever
may view the partnership, a shared priority (and its progress) for whoever may view one of the
school's partnerships. Meetings and their agenda items follow the meetings' grid: the network's
members and the partnership's coordinators. Lists are for anyone signed in (scoped; see
test_plans_meetings_api.py).

The aggregates take their school or partnership as a query parameter, so each scope is an entry of
its own (`+school_own`, `+partnership_outside`, ...) with that scope's column of the grid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnership.api.tests.access_goodpractice import ENTRIES as GOODPRACTICE_ENTRIES
from partnership.api.tests.access_moderation import ENTRIES as MODERATION_ENTRIES
from partnership.core.tests.matrix import (
    API,
    OBJECT,
    SIGNED_IN,
    VIEW,
    Entry,
    obj,
    partnership_slug,
    school_slug,
)
from partnership.directory.tests.factories import World
from partnership.meetings.tests.access_entries import MEMBERS, item_of_scope, meeting_pk
from partnership.outcomes.tests.access_entries import VIEW_PUPILS, pupil_of_school
from partnership.plans.models import ImprovementPlan, Objective, Priority, ProgressUpdate, Rag
from partnership.plans.tests.access_entries import (
    SDP_VIEW,
    partnership_plan_pk,
    partnership_priority_pk,
    sdp_objective_pk,
    sdp_pk,
    sdp_priority_pk,
    shared_sdp_pk,
)


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


def unshared_priority_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": ImprovementPlan.objects.get(**sdp_pk(w, scope)).priorities.get().pk}


def _update(priority: Priority | None = None, objective: Objective | None = None) -> dict[str, Any]:
    target = priority or objective
    assert target is not None
    author = target.lead
    update = ProgressUpdate.objects.create(priority=priority, objective=objective, rag=Rag.AMBER, author=author)
    return {"pk": update.pk}


def shared_priority_update_pk(w: World, scope: str) -> dict[str, Any]:
    return _update(priority=Priority.objects.get(**sdp_priority_pk(w, scope)))


def objective_update_pk(w: World, scope: str) -> dict[str, Any]:
    return _update(objective=Objective.objects.get(**sdp_objective_pk(w, scope)))


def agenda_item_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": item_of_scope(w, scope)["item_pk"]}


def api_list(name: str) -> Entry:
    return Entry(name, SIGNED_IN, anonymous=API)


ENTRIES: dict[str, Entry] = {
    "v1:plan-list": api_list("v1:plan-list"),
    "v1:plan-detail": obj("v1:plan-detail", sdp_pk, SDP_VIEW, anonymous=API),
    "v1:plan-detail+shared": obj("v1:plan-detail", shared_sdp_pk, SDP_VIEW, anonymous=API),
    "v1:plan-detail+partnership": obj("v1:plan-detail", partnership_plan_pk, VIEW, anonymous=API),
    "v1:priority-list": api_list("v1:priority-list"),
    "v1:priority-detail": obj("v1:priority-detail", sdp_priority_pk, VIEW, anonymous=API),  # shared
    "v1:priority-detail+unshared": obj("v1:priority-detail", unshared_priority_pk, SDP_VIEW, anonymous=API),
    "v1:priority-detail+partnership": obj("v1:priority-detail", partnership_priority_pk, VIEW, anonymous=API),
    "v1:objective-list": api_list("v1:objective-list"),
    "v1:objective-detail": obj("v1:objective-detail", sdp_objective_pk, SDP_VIEW, anonymous=API),
    "v1:progress-update-list": api_list("v1:progress-update-list"),
    "v1:progress-update-detail": obj("v1:progress-update-detail", shared_priority_update_pk, VIEW, anonymous=API),
    "v1:progress-update-detail+objective": obj(
        "v1:progress-update-detail", objective_update_pk, SDP_VIEW, anonymous=API
    ),
    "v1:meeting-list": api_list("v1:meeting-list"),
    "v1:meeting-detail": obj("v1:meeting-detail", meeting_pk, MEMBERS, anonymous=API),
    "v1:agenda-item-list": api_list("v1:agenda-item-list"),
    "v1:agenda-item-detail": obj("v1:agenda-item-detail", agenda_item_pk, MEMBERS, anonymous=API),
    **by_query("v1:outcome-aggregates", "school", school_slug, VIEW),
    **by_query("v1:outcome-aggregates", "partnership", partnership_slug, VIEW),
    "v1:school-pupil-list": obj("v1:school-pupil-list", school_slug, VIEW_PUPILS, anonymous=API),
    "v1:school-pupil-detail": obj("v1:school-pupil-detail", pupil_of_school, VIEW_PUPILS, anonymous=API),
}

# Moderation and comparative judgement (their objects are built in access_moderation.py).
ENTRIES.update(MODERATION_ENTRIES)

# Good practice: the register, needs and matches, support requests and sessions, ledgers, buddy
# pairs (their objects are built in access_goodpractice.py).
ENTRIES.update(GOODPRACTICE_ENTRIES)
