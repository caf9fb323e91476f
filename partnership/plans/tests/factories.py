"""Plans named by state, built on the directory's `World`."""

from __future__ import annotations

import datetime
from typing import Any

from partnership.actions.models import Action
from partnership.actions.services import action_create
from partnership.directory.models import Partnership, School
from partnership.plans.models import (
    ImprovementPlan,
    Milestone,
    Objective,
    Priority,
    Rag,
    Term,
    Theme,
    current_academic_year,
)


def theme(name: str) -> Theme:
    from django.utils.text import slugify

    found, _ = Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    return found


def school_plan(
    school: School, created_by: Any, *, shares: bool = False, year: int | None = None, title: str = ""
) -> ImprovementPlan:
    return ImprovementPlan.objects.create(
        kind=ImprovementPlan.Kind.SCHOOL,
        school=school,
        academic_year=year or current_academic_year(),
        shares_priorities=shares,
        title=title,
        created_by=created_by,
    )


def partnership_plan(partnership: Partnership, created_by: Any, *, year: int | None = None) -> ImprovementPlan:
    return ImprovementPlan.objects.create(
        kind=ImprovementPlan.Kind.PARTNERSHIP,
        partnership=partnership,
        academic_year=year or current_academic_year(),
        created_by=created_by,
    )


def priority(
    plan: ImprovementPlan,
    title: str = "Raise attainment in reading",
    *,
    themes: tuple[str, ...] = (),
    lead: Any = None,
    rag: str = Rag.NOT_STARTED,
) -> Priority:
    number = plan.priorities.count() + 1
    row = Priority.objects.create(plan=plan, number=number, title=title, lead=lead, rag=rag)
    row.themes.set([theme(name) for name in themes])
    return row


def objective(
    parent: Priority, title: str = "Daily reading in Year 1", *, lead: Any = None, rag: str = Rag.NOT_STARTED
) -> Objective:
    number = parent.objectives.count() + 1
    return Objective.objects.create(
        priority=parent, number=number, title=title, success_criteria="85% pass the phonics check", lead=lead, rag=rag
    )


def milestone(parent: Objective, term: str = Term.AUTUMN, *, achieved: bool = False) -> Milestone:
    return Milestone.objects.create(
        objective=parent, term=term, description=f"{term.title()} milestone", achieved=achieved
    )


def objective_action(
    parent: Objective,
    owner: Any,
    *,
    title: str = "Buy decodable books",
    due_on: datetime.date | None = None,
    status: str = Action.Status.NOT_STARTED,
) -> Action:
    plan = parent.priority.plan
    action = action_create(
        title=title,
        owner=owner,
        created_by=owner,
        school=plan.school,
        partnership=plan.partnership,
        due_on=due_on,
        objective=parent,
        source=parent,
    )
    if status != Action.Status.NOT_STARTED:
        Action.objects.filter(pk=action.pk).update(status=status)
        action.refresh_from_db()
    return action


def full_school_plan(
    school: School, head: Any, lead: Any, *, shares: bool = False, themes=("Reading",)
) -> ImprovementPlan:  # type: ignore[no-untyped-def]
    """An SDP with one priority, one objective (led by `lead`), a milestone and an action."""
    plan = school_plan(school, head, shares=shares)
    p = priority(plan, f"Reading at {school.name}", themes=themes, lead=lead)
    o = objective(p, lead=lead)
    milestone(o)
    objective_action(o, lead)
    return plan
