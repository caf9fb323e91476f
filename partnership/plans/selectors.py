"""Reads for improvement plans. Each selector owns its joins, so a page's query count does not grow
with the number of priorities, objectives, milestones, updates, actions or schools."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone

from partnership.accounts.models import User
from partnership.actions.models import Action
from partnership.core import access
from partnership.directory.models import Membership, Partnership, RoleAssignment, School
from partnership.plans.models import (
    ImprovementPlan,
    Milestone,
    Objective,
    Priority,
    ProgressUpdate,
    Rag,
    Term,
    Theme,
    current_academic_year,
)
from partnership.plans.terms import TERM_ORDER, term_dates

OPEN_STATUSES = [Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS]


# --- People -------------------------------------------------------------------------------------


def plan_people(plan: ImprovementPlan) -> QuerySet[User]:
    """Who can lead an item or own an action: the school's staff for a school plan; for a partnership
    plan, the staff of its current member schools and its coordinators and advisers."""
    people = User.objects.filter(is_active=True)
    if plan.kind == ImprovementPlan.Kind.SCHOOL:
        people = people.filter(school=plan.school_id)
    else:
        schools = Membership.objects.current().filter(partnership=plan.partnership_id).values("school_id")
        roles = RoleAssignment.objects.current().filter(partnership=plan.partnership_id).values("person_id")
        people = people.filter(Q(school_id__in=schools) | Q(pk__in=roles))
    return people.select_related("school").order_by("full_name", "email")


# --- Index --------------------------------------------------------------------------------------


@dataclass
class PlansIndex:
    school: School | None
    school_plans: list[ImprovementPlan]
    partnership_plans: list[ImprovementPlan]
    partnerships: list[Partnership]
    current_year: int
    can_start_school_plan: bool
    startable_partnerships: list[Partnership] = field(default_factory=list)


def _with_counts(qs: QuerySet[ImprovementPlan]) -> QuerySet[ImprovementPlan]:
    return qs.annotate(
        priority_count=Count("priorities", distinct=True),
        objective_count=Count("priorities__objectives", distinct=True),
    )


def plans_index(user: Any) -> PlansIndex:
    """My school's development plans by year and the plans of my partnerships."""
    principal = access.principal_for(user)
    year = current_academic_year()
    school = School.objects.filter(pk=principal.school_id).first() if principal.school_id else None
    visible = access.visible_to(user, ImprovementPlan)
    school_plans = (
        list(_with_counts(visible.filter(kind=ImprovementPlan.Kind.SCHOOL, school=school)).order_by("-academic_year"))
        if school
        else []
    )
    partnership_plans = list(
        _with_counts(visible.filter(kind=ImprovementPlan.Kind.PARTNERSHIP))
        .select_related("partnership")
        .order_by("partnership__name", "-academic_year")
    )
    partnerships = list(access.visible_to(user, Partnership).order_by("name"))
    has_current = {p.partnership_id for p in partnership_plans if p.academic_year == year}
    startable = [
        p for p in partnerships if p.pk not in has_current and access.can_within(user, "manage", p)
    ]  # coordinators start their partnership's plan
    can_start = (
        school is not None
        and not any(p.academic_year == year for p in school_plans)
        and access.can(user, "manage_plan", school)
    )
    return PlansIndex(
        school=school,
        school_plans=school_plans,
        partnership_plans=partnership_plans,
        partnerships=partnerships,
        current_year=year,
        can_start_school_plan=can_start,
        startable_partnerships=startable,
    )


# --- One plan -----------------------------------------------------------------------------------


def _history() -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.select_related("author").order_by("-recorded_at", "-id")


def _actions(user: Any) -> QuerySet[Action]:
    today = timezone.localdate()
    return (
        access.visible_to(user, Action)
        .select_related("owner")
        .annotate(overdue=ExpressionWrapper(Q(status__in=OPEN_STATUSES, due_on__lt=today), output_field=BooleanField()))
        .order_by("due_on", "id")
    )


def plan_priorities(plan: ImprovementPlan, user: Any) -> list[Any]:
    """The plan's priorities -> objectives -> milestones and actions, each with its history of
    progress updates (newest first) as `history` and the latest as `latest_update`; priorities also
    carry `priority_actions` (actions on the priority as a whole). A fixed number of queries."""
    objectives = Objective.objects.select_related("lead").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("term", "id")),
        Prefetch("updates", queryset=_history(), to_attr="history"),
        Prefetch("actions", queryset=_actions(user), to_attr="plan_actions"),
    )
    priorities: list[Any] = list(
        Priority.objects.filter(plan=plan)
        .select_related("lead")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            Prefetch("updates", queryset=_history(), to_attr="history"),
            Prefetch("objectives", queryset=objectives.order_by("number")),
            Prefetch("actions", queryset=_actions(user).filter(objective__isnull=True), to_attr="priority_actions"),
        )
        .order_by("number")
    )
    for priority in priorities:
        priority.plan = plan  # the caller's plan object: no query to follow it back
        priority.latest_update = priority.history[0] if priority.history else None
        objective: Any
        for objective in priority.objectives.all():
            objective.priority = priority
            objective.latest_update = objective.history[0] if objective.history else None
    return priorities


def neighbour_plans(plan: ImprovementPlan) -> dict[str, ImprovementPlan | None]:
    """Last year's and next year's plan of the same school or partnership, if they exist. One query."""
    owner = Q(school_id=plan.school_id) if plan.school_id else Q(partnership_id=plan.partnership_id)
    years = {plan.academic_year - 1: "previous", plan.academic_year + 1: "next"}
    found: dict[str, ImprovementPlan | None] = {"previous": None, "next": None}
    for other in ImprovementPlan.objects.filter(owner, academic_year__in=list(years)):
        found[years[other.academic_year]] = other
    return found


def mark_permissions(priorities: list[Any], user: Any) -> None:
    """Set `can_update` on each priority and objective (record progress, tick milestones), no query per row."""
    for priority in priorities:
        priority.can_update = access.can_within(user, "update", priority)
        for objective in priority.objectives.all():
            objective.can_update = access.can_within(user, "update", objective)


def plan_summary(priorities: list[Any]) -> dict[str, Any]:
    """Counts for the top of the plan page: priorities and objectives by status, open and overdue actions."""
    objectives: list[Any] = [o for p in priorities for o in p.objectives.all()]
    actions = [a for p in priorities for a in p.priority_actions] + [a for o in objectives for a in o.plan_actions]
    open_actions = [a for a in actions if a.status in OPEN_STATUSES]
    return {
        "priorities": len(priorities),
        "objectives": len(objectives),
        "by_rag": [
            (value, label, sum(1 for item in [*priorities, *objectives] if item.rag == value))
            for value, label in Rag.choices
        ],
        "open_actions": len(open_actions),
        "overdue_actions": sum(1 for a in open_actions if a.overdue),
    }


# --- Termly review ------------------------------------------------------------------------------


@dataclass
class ReviewRow:
    """One priority or objective in the termly review."""

    item: Priority | Objective
    kind: str  # "priority" or "objective"
    label: str  # "1" or "1.2"
    milestones: list[Milestone]
    milestones_achieved: int
    open_actions: list[Action]
    overdue_actions: int
    updates: list[ProgressUpdate]


def termly_review(plan: ImprovementPlan, term: str, user: Any) -> dict[str, Any]:
    """For one term: each priority and objective with its current status, the milestones due that
    term and whether they are achieved, its open (and overdue) actions, and the progress updates
    recorded during the term."""
    start, end = term_dates(plan.academic_year, term)
    start_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    end_at = timezone.make_aware(datetime.datetime.combine(end, datetime.time.min))
    in_term = _history().filter(recorded_at__gte=start_at, recorded_at__lt=end_at)
    open_actions = _actions(user).filter(status__in=OPEN_STATUSES)
    objectives = Objective.objects.select_related("lead").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.filter(term=term).order_by("id"), to_attr="term_milestones"),
        Prefetch("updates", queryset=in_term, to_attr="term_updates"),
        Prefetch("actions", queryset=open_actions, to_attr="open_actions"),
    )
    priorities = (
        Priority.objects.filter(plan=plan)
        .select_related("lead")
        .prefetch_related(
            Prefetch("updates", queryset=in_term, to_attr="term_updates"),
            Prefetch("objectives", queryset=objectives.order_by("number")),
            Prefetch("actions", queryset=open_actions.filter(objective__isnull=True), to_attr="open_actions"),
        )
        .order_by("number")
    )
    rows = []
    objective: Any
    for priority in priorities:
        rows.append(_review_row(priority, "priority", str(priority.number), [], priority.open_actions))
        for objective in priority.objectives.all():
            rows.append(
                _review_row(
                    objective,
                    "objective",
                    f"{priority.number}.{objective.number}",
                    objective.term_milestones,
                    objective.open_actions,
                )
            )
    milestones = [m for r in rows for m in r.milestones]
    return {
        "term": term,
        "term_label": Term(term).label,
        "starts_on": start,
        "ends_on": end - datetime.timedelta(days=1),
        "rows": rows,
        "milestones_due": len(milestones),
        "milestones_achieved": sum(1 for m in milestones if m.achieved),
        "open_actions": sum(len(r.open_actions) for r in rows),
        "overdue_actions": sum(r.overdue_actions for r in rows),
        "updates": sum(len(r.updates) for r in rows),
        "terms": [(t, Term(t).label) for t in TERM_ORDER],
    }


def _review_row(item: Any, kind: str, label: str, milestones: list[Milestone], actions: list[Any]) -> ReviewRow:
    return ReviewRow(
        item=item,
        kind=kind,
        label=label,
        milestones=milestones,
        milestones_achieved=sum(1 for m in milestones if m.achieved),
        open_actions=actions,
        overdue_actions=sum(1 for a in actions if a.overdue),
        updates=item.term_updates,
    )


# --- Shared priorities --------------------------------------------------------------------------


def _shared_priorities(partnership: Partnership, academic_year: int) -> QuerySet[Priority]:
    """Priorities of the current member schools' development plans that the schools share."""
    members = Membership.objects.current().filter(partnership=partnership).values("school_id")
    return Priority.objects.filter(
        plan__kind=ImprovementPlan.Kind.SCHOOL,
        plan__shares_priorities=True,
        plan__academic_year=academic_year,
        plan__school_id__in=members,
    )


def shared_priority_years(partnership: Partnership) -> list[int]:
    """The academic years with something on the shared priorities page: a member school's shared
    plan or the partnership's own plan. One query; the page's year links stop at these."""
    members = Membership.objects.current().filter(partnership=partnership).values("school_id")
    years = (
        ImprovementPlan.objects.filter(
            Q(kind=ImprovementPlan.Kind.SCHOOL, shares_priorities=True, school_id__in=members)
            | Q(kind=ImprovementPlan.Kind.PARTNERSHIP, partnership=partnership)
        )
        .values_list("academic_year", flat=True)
        .order_by("academic_year")
        .distinct()
    )
    return list(years)


def shared_theme_column(*, partnership: Partnership, theme: Theme, academic_year: int) -> dict[School, list[Priority]]:
    """For one theme: each school sharing a priority with that theme -> those priorities (with leads)."""
    column: dict[School, list[Priority]] = {}
    priorities = (
        _shared_priorities(partnership, academic_year)
        .filter(themes=theme)
        .select_related("plan__school", "lead")
        .order_by("plan__school__name", "number")
    )
    for priority in priorities:
        column.setdefault(priority.plan.school, []).append(priority)  # type: ignore[arg-type]
    return column


@dataclass
class ThemeColumn:
    theme: Theme
    school_count: int
    partnership_priorities: list[Priority]


@dataclass
class SchoolRow:
    school: School
    shares: bool  # whether the school shares any priorities this year
    cells: list[list[Priority]]  # one cell per column, in column order


def shared_priorities_matrix(partnership: Partnership, user: Any, academic_year: int) -> dict[str, Any]:
    """Member schools x themes: where schools share a priority. Columns are the themes of shared
    school priorities and of the partnership plan, the most shared first."""
    schools = [m.school for m in Membership.objects.current().filter(partnership=partnership).select_related("school")]
    themes_qs = Theme.objects.order_by("name")
    shared = list(
        access.visible_to(user, Priority)
        .filter(pk__in=_shared_priorities(partnership, academic_year).values("pk"))
        .select_related("plan", "lead")
        .prefetch_related(Prefetch("themes", queryset=themes_qs))
        .order_by("number")
    )
    partnership_priorities = list(
        access.visible_to(user, Priority)
        .filter(plan__kind=ImprovementPlan.Kind.PARTNERSHIP, plan__partnership=partnership)
        .filter(plan__academic_year=academic_year)
        .prefetch_related(Prefetch("themes", queryset=themes_qs))
        .order_by("number")
    )
    by_school_theme: dict[tuple[int, int], list[Priority]] = defaultdict(list)
    themes: dict[int, Theme] = {}
    sharing_schools: set[int] = set()
    for priority in shared:
        sharing_schools.add(priority.plan.school_id)  # type: ignore[arg-type]
        for theme in priority.themes.all():
            themes[theme.pk] = theme
            by_school_theme[(priority.plan.school_id, theme.pk)].append(priority)  # type: ignore[index]
    partnership_by_theme: dict[int, list[Priority]] = defaultdict(list)
    for priority in partnership_priorities:
        for theme in priority.themes.all():
            themes[theme.pk] = theme
            partnership_by_theme[theme.pk].append(priority)
    member_ids = {s.pk for s in schools}
    counts = {
        theme_id: sum(1 for school_id in member_ids if by_school_theme.get((school_id, theme_id)))
        for theme_id in themes
    }
    ordered = sorted(themes.values(), key=lambda t: (-counts[t.pk], t.name.lower()))
    columns = [
        ThemeColumn(theme=t, school_count=counts[t.pk], partnership_priorities=partnership_by_theme[t.pk])
        for t in ordered
    ]
    rows = [
        SchoolRow(
            school=school,
            shares=school.pk in sharing_schools,
            cells=[by_school_theme.get((school.pk, t.pk), []) for t in ordered],
        )
        for school in schools
    ]
    return {
        "columns": columns,
        "rows": rows,
        "sharing_count": len(sharing_schools & member_ids),
        "school_count": len(schools),
        "has_partnership_priorities": bool(partnership_priorities),
    }
