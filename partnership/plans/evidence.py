"""What a school's development plan offers a self-evaluation as evidence
(`core.registry.school_evidence`): the plan's priorities for the year, each a concern the school
is working on, tagged with the framework areas it bears on. Only the priorities this person may
see (`plans.priority`'s scope). As a practice source (`core.registry.schools_practice`) the same
priorities for many schools at once, in two queries however many schools."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.text import slugify

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


# The good practice register's area keys (`SchoolEvidence.topics`): a theme named as one of them
# is about it.
TOPIC_KEYS = frozenset(
    "eal maths reading writing phonics eyfs send disadvantaged science pe arts music safeguarding attendance "
    "behaviour personal-development curriculum leadership governance".split()
)
# Themes people name in other words (lowercased, or their slug) -> the topics they are about.
THEME_TOPICS: dict[str, tuple[str, ...]] = {
    "english": ("reading", "writing"),
    "mathematics": ("maths",),
    "numeracy": ("maths",),
    "early years": ("eyfs",),
    "early-years": ("eyfs",),
    "sen": ("send",),
    "send": ("send",),
    "inclusion": ("send",),
    "pupil premium": ("disadvantaged",),
    "pupil-premium": ("disadvantaged",),
    "disadvantaged": ("disadvantaged",),
}
# A priority's `framework_area` -> the topics it is about.
FRAMEWORK_TOPICS: dict[str, tuple[str, ...]] = {
    "attendance_behaviour": ("attendance", "behaviour"),
    "early_years": ("eyfs",),
    "leadership_governance": ("leadership", "governance"),
    "safeguarding": ("safeguarding",),
    "personal_development": ("personal-development",),
    "inclusion": ("send",),
    "curriculum_teaching": ("curriculum",),
}


def theme_topics(name: str) -> tuple[str, ...]:
    """What a theme is about: its own name when that is a register area key, or the common word's
    topics ("English" is reading and writing)."""
    words = name.strip().lower()
    slug = slugify(words)
    if words in THEME_TOPICS:
        return THEME_TOPICS[words]
    if slug in THEME_TOPICS:
        return THEME_TOPICS[slug]
    return (slug,) if slug in TOPIC_KEYS else ()


def priority_topics(priority: Priority) -> tuple[str, ...]:
    """A priority's topics from its themes (prefetched) and its framework area, each once."""
    found: list[str] = []
    for theme in priority.themes.all():
        found.extend(theme_topics(theme.name))
    found.extend(FRAMEWORK_TOPICS.get(priority.framework_area, ()))
    return tuple(dict.fromkeys(found))


def _priority_item(priority: Priority) -> registry.SchoolEvidence:
    return registry.SchoolEvidence(
        kind="priority",
        ref=f"priority:{priority.pk}",
        label=f"Plan priority {priority.number}: {priority.title}",
        url=reverse("plans:detail", args=[priority.plan_id]),
        area_keys=AREA_KEYS.get(priority.framework_area, ()),
        concern=True,
        detail=priority.get_rag_display(),
        topics=priority_topics(priority),
    )


def schools_plan_practice(
    user: Any, schools: list[Any], academic_year: int
) -> dict[int, list[registry.SchoolEvidence]]:
    """The priorities of each school's development plan for `academic_year` that this person may
    see: {school id: items}, in priority order. Two queries (the priorities, their themes)."""
    found: dict[int, list[registry.SchoolEvidence]] = {school.pk: [] for school in schools}
    priorities = (
        access.visible_to(user, Priority)
        .filter(
            plan__school_id__in=list(found),
            plan__kind=ImprovementPlan.Kind.SCHOOL,
            plan__academic_year=academic_year,
        )
        .select_related("plan")
        .prefetch_related("themes")
        .order_by("plan__school_id", "number")
    )
    for priority in priorities:
        found[priority.plan.school_id].append(_priority_item(priority))
    return found


def school_plan_evidence(user: Any, school: Any, academic_year: int) -> list[registry.SchoolEvidence]:
    """The priorities of the school's development plan for `academic_year` that this person may see."""
    return schools_plan_practice(user, [school], academic_year)[school.pk]
