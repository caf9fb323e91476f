"""Access rules for improvement plans. Registered with `partnership.core.access`."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from partnership.core import access
from partnership.core.access import Principal, child_scope, everyone
from partnership.directory.policy import school_ids_in
from partnership.plans.models import ImprovementPlan, Objective


def _scope_plan(p: Principal) -> Q:
    # A school's whole plan is its own people's; a partnership plan is the partnership's.
    q = Q(kind="partnership", partnership_id__in=p.partnership_ids)
    if p.school_id:
        q |= Q(kind="school", school_id=p.school_id)
    return q


def _plans_of(p: Principal) -> Any:
    return ImprovementPlan.objects.filter(_scope_plan(p)).values("pk")


def _scope_priority(p: Principal) -> Q:
    # Priorities of a school plan that shares them are visible across the school's partnerships.
    shared = Q(plan__kind="school", plan__shares_priorities=True, plan__school_id__in=school_ids_in(p.partnership_ids))
    return Q(plan_id__in=_plans_of(p)) | shared


def _scope_objective(p: Principal) -> Q:
    return Q(priority__plan_id__in=_plans_of(p))


def _scope_progress(p: Principal) -> Q:
    return Q(priority_id__in=access.visible_rows(p, "plans.priority")) | Q(
        objective_id__in=access.visible_rows(p, "plans.objective")
    )


def manages_plan(p: Principal, plan: Any) -> bool:
    if plan.kind == "school":
        return p.school_id == plan.school_id and p.is_school_leader
    return plan.partnership_id in p.coordinates


def updates_priority(p: Principal, priority: Any) -> bool:
    return priority.lead_id == p.user_id or manages_plan(p, priority.plan)


def register() -> None:
    access.register(
        "plans.improvementplan",
        name="Improvement plan",
        scope=_scope_plan,
        rules={"manage": manages_plan},
        view="a school plan: people at that school; a partnership plan: people who can view the partnership",
        act="`manage`: a school plan's headteacher and senior leaders; a partnership plan's coordinators",
    )
    access.register(
        "plans.priority",
        name="Plan priority",
        scope=_scope_priority,
        rules={"update": updates_priority},
        view="as its plan; and, when the school shares its priorities, people who can view one of the "
        "school's partnerships",
        act="`update` (RAG progress): the priority's lead, or whoever manages the plan",
    )
    access.register(
        "plans.objective",
        name="Plan objective",
        scope=_scope_objective,
        rules={"update": lambda p, o: o.lead_id == p.user_id or updates_priority(p, o.priority)},
        view="as its plan (never shared with other schools)",
        act="`update` (RAG progress, milestones achieved): the objective's lead, or whoever may update its priority",
    )
    access.register(
        "plans.milestone",
        name="Milestone, progress update",
        scope=child_scope("plans.objective", "objective_id"),
        view="with their objective or priority",
        act="as their objective's or priority's rules",
    )
    access.register("plans.progressupdate", scope=_scope_progress)
    access.register("plans.theme", name="Theme", scope=everyone, view="anyone signed in", act="platform administrators")
    access.register(
        "directory.school",
        name="School (plans)",
        rules={"manage_plan": lambda p, o: p.school_id == o.pk and p.is_school_leader},
        view="as School",
        act="`manage_plan` (start a development plan): its headteacher and senior leaders",
    )
    # An action from a plan objective is seen only by those who may see the objective.
    access.register_action_place(
        "plans.objective", lambda p: Objective.objects.filter(_scope_objective(p)).values("pk")
    )
