"""Access matrix entries for plans (walked by core's test_access_matrix.py).

The written policy (partnership/core/access.py): a school's development plan (SDP), with its
objectives, milestones and actions, is visible to the people at that school and to nobody else,
even when the school shares its priorities (sharing shows the priorities' titles and themes in the
partnership's shared-priorities table, never the plan). Its headteacher and senior leaders manage
it; an item's lead may record progress on it. A partnership plan is visible to whoever can view
the partnership and is managed by its coordinators.

Objects per scope: the SDP of the own, the partner and the outside school (each with a priority
and an objective led by that school's teacher, a milestone and an action); partnership plans are
partnership-level, so "partner" is the same plan as "own".
"""

from __future__ import annotations

from typing import Any

from partnership.core.tests.matrix import COORDINATORS, SIGNED_IN, VIEW, Entry, grid, obj, post, school_slug
from partnership.directory.tests.factories import World
from partnership.plans.models import ImprovementPlan
from partnership.plans.tests import factories

#                       head     teacher  governor coord    adviser  out_head admin
# SDP "view": the people at that school (head, teacher and governor of own; outside_head of outside).
SDP_VIEW = grid(        "A..",   "A..",   "A..",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# SDP "manage": the school's headteacher and senior leaders. School "manage_plan" is the same.
SDP_MANAGE = grid(      "A..",   "...",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip
# Priority / objective "update": its lead (each scope's teacher leads its items) or a plan manager.
SDP_UPDATE = grid(      "A..",   "A..",   "...",   "...",   "...",   "..A",   "AAA")  # fmt: skip

HEADS = {"own": "head", "partner": "partner_head", "outside": "outside_head"}
TEACHERS = {"own": "teacher", "partner": "partner_teacher", "outside": "outside_teacher"}


def _sdp(w: World, scope: str, *, shares: bool = False) -> ImprovementPlan:
    school = {"own": w.own, "partner": w.partner, "outside": w.outside}[scope]
    return factories.full_school_plan(school, w[HEADS[scope]], w[TEACHERS[scope]], shares=shares)


def sdp_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sdp(w, scope).pk}


def shared_sdp_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sdp(w, scope, shares=True).pk}


def sdp_priority_pk(w: World, scope: str) -> dict[str, Any]:
    # Shared, so the priority itself is visible across the partnership: only its lead and the
    # school's leaders may still act on it.
    return {"pk": _sdp(w, scope, shares=True).priorities.get().pk}


def sdp_objective_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sdp(w, scope, shares=True).priorities.get().objectives.get().pk}


def sdp_milestone_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _sdp(w, scope).priorities.get().objectives.get().milestones.get().pk}


def _partnership_plan(w: World, scope: str) -> ImprovementPlan:
    if scope == "outside":
        return factories.partnership_plan(w.other, w["other_coordinator"])
    return factories.partnership_plan(w.home, w["coordinator"])


def partnership_plan_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": _partnership_plan(w, scope).pk}


def partnership_priority_pk(w: World, scope: str) -> dict[str, Any]:
    return {"pk": factories.priority(_partnership_plan(w, scope), "Attendance", themes=("Attendance",)).pk}


def partnership_slug(w: World, scope: str) -> dict[str, Any]:
    return {"slug": (w.other if scope == "outside" else w.home).slug}


def partnership_with_shared_reading(w: World, scope: str) -> dict[str, Any]:
    # The own and partner schools both share a reading priority: a column that can form a working party.
    factories.full_school_plan(w.own, w["head"], w["teacher"], shares=True)
    factories.full_school_plan(w.partner, w["partner_head"], w["partner_teacher"], shares=True)
    factories.full_school_plan(w.outside, w["outside_head"], w["outside_teacher"], shares=True)
    return partnership_slug(w, scope)


def _progress(w: World) -> dict[str, Any]:
    return {"rag": "amber", "note": "Two classes are behind the reading spine."}


ENTRIES: dict[str, Entry] = {
    "plans:index": Entry("plans:index", SIGNED_IN),
    "plans:school_plan_create": post("plans:school_plan_create", school_slug, SDP_MANAGE),  # School "manage_plan"
    "plans:partnership_plan_create": post("plans:partnership_plan_create", partnership_slug, COORDINATORS),
    "plans:detail": obj("plans:detail", sdp_pk, SDP_VIEW),
    "plans:detail+shared": obj("plans:detail", shared_sdp_pk, SDP_VIEW),  # sharing never opens the plan
    "plans:detail+partnership": obj("plans:detail", partnership_plan_pk, VIEW),
    "plans:edit": obj("plans:edit", sdp_pk, SDP_MANAGE),
    "plans:edit+save": post("plans:edit", sdp_pk, SDP_MANAGE, data=lambda w: {"title": "Our plan"}),
    "plans:sharing": post("plans:sharing", sdp_pk, SDP_MANAGE, data=lambda w: {"shares": "1"}),
    "plans:roll_forward": post("plans:roll_forward", sdp_pk, SDP_MANAGE),
    "plans:roll_forward+partnership": post("plans:roll_forward", partnership_plan_pk, COORDINATORS),
    "plans:review": obj("plans:review", sdp_pk, SDP_VIEW),
    "plans:review+shared": obj("plans:review", shared_sdp_pk, SDP_VIEW),
    "plans:export_pdf": obj("plans:export_pdf", shared_sdp_pk, SDP_VIEW),
    "plans:export_xlsx": obj("plans:export_xlsx", shared_sdp_pk, SDP_VIEW),
    "plans:export_xlsx+partnership": obj("plans:export_xlsx", partnership_plan_pk, VIEW),
    "plans:priority_create": obj("plans:priority_create", sdp_pk, SDP_MANAGE),
    "plans:priority_create+add": post(
        "plans:priority_create", sdp_pk, SDP_MANAGE, data=lambda w: {"title": "Writing", "themes": "writing"}
    ),
    "plans:priority_create+partnership": post(
        "plans:priority_create", partnership_plan_pk, COORDINATORS, data=lambda w: {"title": "Attendance"}
    ),
    "plans:priority_edit": obj("plans:priority_edit", sdp_priority_pk, SDP_MANAGE),
    "plans:priority_edit+save": post(
        "plans:priority_edit", sdp_priority_pk, SDP_MANAGE, data=lambda w: {"title": "Reading", "themes": "reading"}
    ),
    "plans:priority_progress": obj("plans:priority_progress", sdp_priority_pk, SDP_UPDATE),
    "plans:priority_progress+record": post("plans:priority_progress", sdp_priority_pk, SDP_UPDATE, data=_progress),
    "plans:priority_progress+partnership": post(
        "plans:priority_progress", partnership_priority_pk, COORDINATORS, data=_progress
    ),
    "plans:objective_create": obj("plans:objective_create", sdp_priority_pk, SDP_MANAGE),
    "plans:objective_create+add": post(
        "plans:objective_create", sdp_priority_pk, SDP_MANAGE, data=lambda w: {"title": "Phonics catch-up"}
    ),
    "plans:objective_edit": obj("plans:objective_edit", sdp_objective_pk, SDP_MANAGE),
    "plans:objective_edit+save": post(
        "plans:objective_edit", sdp_objective_pk, SDP_MANAGE, data=lambda w: {"title": "Phonics"}
    ),
    "plans:objective_progress": obj("plans:objective_progress", sdp_objective_pk, SDP_UPDATE),
    "plans:objective_progress+record": post("plans:objective_progress", sdp_objective_pk, SDP_UPDATE, data=_progress),
    "plans:milestone_create": obj("plans:milestone_create", sdp_objective_pk, SDP_MANAGE),
    "plans:milestone_create+add": post(
        "plans:milestone_create",
        sdp_objective_pk,
        SDP_MANAGE,
        data=lambda w: {"term": "spring", "description": "Reading spine agreed"},
    ),
    "plans:milestone_edit": obj("plans:milestone_edit", sdp_milestone_pk, SDP_MANAGE),
    "plans:milestone_edit+save": post(
        "plans:milestone_edit",
        sdp_milestone_pk,
        SDP_MANAGE,
        data=lambda w: {"term": "summer", "description": "Reading spine in use", "achieved": "on"},
    ),
    "plans:milestone_achieved": post(
        "plans:milestone_achieved", sdp_milestone_pk, SDP_UPDATE, data=lambda w: {"achieved": "1"}
    ),
    "plans:action_create": obj("plans:action_create", sdp_objective_pk, SDP_MANAGE),
    "plans:action_create+add": post(
        "plans:action_create",
        sdp_objective_pk,
        SDP_MANAGE,
        data=lambda w: {"title": "Audit book bands", "owner": w["teacher"].pk},
    ),
    "plans:shared_priorities": obj("plans:shared_priorities", partnership_with_shared_reading, VIEW),
    "plans:working_party_create": post(
        "plans:working_party_create",
        partnership_with_shared_reading,
        COORDINATORS,
        data=lambda w: {"theme": "reading"},
    ),
}
