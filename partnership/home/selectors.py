from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from partnership.actions import selectors as action_selectors
from partnership.actions.models import Action
from partnership.core import access
from partnership.core.registry import HOME_PANELS
from partnership.core.roles import STAFF_ROLES, Role
from partnership.core.schoolyear import current_academic_year
from partnership.directory.models import Partnership, School
from partnership.directory.selectors import memorandum_status
from partnership.outcomes.analysis import year_text
from partnership.outcomes.boards import partnership_board
from partnership.plans.models import ImprovementPlan


@dataclass(frozen=True)
class ShownPanel:
    key: str
    template: str
    column: str
    context: dict[str, Any]


def panels_for(request: HttpRequest) -> list[ShownPanel]:
    """The home panels the apps declare, with this person's context; a panel whose context is None
    is not for this person."""
    shown = []
    for panel in HOME_PANELS:
        context = panel.context(request)
        if context is not None:
            shown.append(ShownPanel(panel.key, panel.template, panel.column, context))
    return shown


# --- The panels the home app itself offers: each role's way into its work ---------------------

GOVERNANCE_ROLES = frozenset({Role.GOVERNOR, Role.CLERK})


def school_work(request: HttpRequest) -> dict[str, Any] | None:
    """For people on the staff or governing board of a school: its development plan (the PDF for
    governors), its outcomes, the results import for those who may import, and its overdue actions
    for staff. None for people without a school."""
    principal = access.principal_for(request.user)
    if not principal.school_id:
        return None
    school = School.objects.filter(pk=principal.school_id).first()
    if school is None:
        return None
    is_staff = bool(principal.school_roles & STAFF_ROLES)
    overdue = action_selectors.action_filter(action_selectors.SCOPES["school"](request.user), overdue=True)
    return {
        "school": school,
        "plan": _school_plan(request.user, school),
        "can_start_plan": access.can_within(request.user, "manage_plan", school),
        "for_governors": not is_staff and bool(principal.school_roles & GOVERNANCE_ROLES),
        "can_import": access.can_within(request.user, "import_results", school),
        "overdue_count": overdue.count() if is_staff else None,
    }


def _school_plan(user: Any, school: School) -> ImprovementPlan | None:
    """The school's development plan for this academic year, else its most recent one (or, when it
    has only plans for years to come, the first of those)."""
    plans = access.visible_to(user, ImprovementPlan).filter(kind=ImprovementPlan.Kind.SCHOOL, school=school)
    year = current_academic_year()
    return (
        plans.filter(academic_year__lte=year).order_by("-academic_year").first()
        or plans.order_by("academic_year").first()
    )


@dataclass(frozen=True)
class PartnershipOverview:
    """One coordinated partnership at a glance: aggregate figures only."""

    partnership: Partnership
    year: int | None
    year_text: str
    can_raise: bool
    flags: list[Any]
    overdue: list[dict[str, Any]]
    overdue_count: int
    memorandum: dict[str, Any]
    not_agreed: list[str]


def partnership_overview(request: HttpRequest) -> dict[str, Any] | None:
    """For coordinators: each partnership they coordinate with the flags from the latest Raising
    Achievement Board, overdue partnership actions by school and who has agreed the current MoU.
    Flags come from the board's own analysis with its suppression, so they reveal nothing the
    board does not. The queries do not grow with the number of schools."""
    principal = access.principal_for(request.user)
    if not principal.coordinates:
        return None
    partnerships = list(
        access.visible_to(request.user, Partnership).filter(pk__in=principal.coordinates).order_by("name")
    )
    overdue = _overdue_by_school(request.user, [p.pk for p in partnerships])
    overviews = []
    for partnership in partnerships:
        year, flags = board_flags(request.user, partnership)
        rows = overdue.get(partnership.pk, [])
        mou = memorandum_status(partnership)
        overviews.append(
            PartnershipOverview(
                partnership=partnership,
                year=year,
                year_text=year_text(year) if year else "",
                can_raise=access.can_within(request.user, "manage", partnership),
                flags=flags,
                overdue=rows,
                overdue_count=sum(row["count"] for row in rows),
                memorandum=mou,
                not_agreed=[row["school"].name for row in mou["rows"] if not row["agreement"]],
            )
        )
    return {"overviews": overviews}


def board_flags(user: Any, partnership: Partnership) -> tuple[int | None, list[Any]]:
    """The year the partnership's board opens on and the flags it shows this user there (the
    board itself: the same year, thresholds, suppression and cached figures)."""
    board = partnership_board(user, partnership)
    if board is None:
        return None, []
    return board.year, board.outcomes.flags


def _overdue_by_school(user: Any, partnership_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Overdue partnership actions the user may see, counted by partnership and school (one query)."""
    overdue = action_selectors.action_filter(
        access.visible_to(user, Action).filter(partnership_id__in=partnership_ids), overdue=True
    )
    counts = (
        overdue.order_by()
        .values("partnership_id", "school__name")
        .annotate(count=Count("pk"))
        .order_by("partnership_id", "school__name")
    )
    grouped: dict[int, list[dict[str, Any]]] = {}
    for row in counts:
        grouped.setdefault(row["partnership_id"], []).append(
            {"school": row["school__name"] or "Across the partnership", "count": row["count"]}
        )
    return grouped
