"""What a school's development plan offers a self-evaluation as evidence
(`core.registry.school_evidence`): the plan's priorities for the year, each a concern the school
is working on, tagged with the framework areas it bears on. Only the priorities this person may
see (`plans.priority`'s scope)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from partnership.core import access, registry
from partnership.plans.models import ImprovementPlan, Priority

# A priority's `framework_area` (Ofsted's report-card areas) -> the shipped frameworks' area keys
# it bears on: the report card's own, the 2019 framework's and the peer-review scale's.
AREA_KEYS: dict[str, tuple[str, ...]] = {
    "inclusion": ("inclusion", "disadvantaged-send"),
    "curriculum_teaching": ("curriculum-teaching", "quality-of-education", "curriculum", "quality-of-provision"),
    "achievement": ("achievement", "quality-of-education", "quality-of-provision"),
    "attendance_behaviour": ("attendance-behaviour", "behaviour-attitudes"),
    "personal_development": ("personal-development",),
    "leadership_governance": ("leadership-governance", "leadership-management", "leadership"),
    "early_years": ("early-years",),
    "safeguarding": ("safeguarding",),
}


def school_plan_evidence(user: Any, school: Any, academic_year: int) -> list[registry.SchoolEvidence]:
    """The priorities of the school's development plan for `academic_year` that this person may see."""
    priorities = (
        access.visible_to(user, Priority)
        .filter(plan__school=school, plan__kind=ImprovementPlan.Kind.SCHOOL, plan__academic_year=academic_year)
        .select_related("plan")
        .order_by("number")
    )
    return [
        registry.SchoolEvidence(
            kind="priority",
            ref=f"priority:{priority.pk}",
            label=f"Plan priority {priority.number}: {priority.title}",
            url=reverse("plans:detail", args=[priority.plan_id]),
            area_keys=AREA_KEYS.get(priority.framework_area, ()),
            concern=True,
            detail=priority.get_rag_display(),
        )
        for priority in priorities
    ]
