"""What a school's outcomes offer a self-evaluation as evidence (`core.registry.school_evidence`):
its headline measures against national, and the board's flags as concerns. The same figures the
school's outcomes page shows this viewer: suppression as there, nothing to a viewer who may not
see the school, and never a pupil."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from partnership.core import access, registry
from partnership.outcomes import analysis, stats
from partnership.outcomes.analysis import Viewpoint
from partnership.outcomes.selectors import suppression_threshold

# The shipped frameworks' areas that outcome figures bear on.
ACHIEVEMENT_AREAS = ("achievement", "quality-of-education", "quality-of-provision")
EARLY_YEARS_AREAS = ("early-years",)


def _areas(measure_key: str) -> tuple[str, ...]:
    return ACHIEVEMENT_AREAS + (EARLY_YEARS_AREAS if measure_key.startswith("eyfs") else ())


def school_outcome_evidence(user: Any, school: Any, academic_year: int) -> list[registry.SchoolEvidence]:
    """The school's headline measures (the latest results up to the summer before `academic_year`
    starts, or its latest year) and its flags, as this person may see them."""
    if not access.can(user, "view", school):
        return []
    coverage = analysis.year_coverage([school.pk])
    year = coverage.chosen(academic_year - 1)
    if year is None:
        return []
    view = Viewpoint(threshold=suppression_threshold(school), show_small=access.sees_unsuppressed(user, school.pk))
    outcomes = analysis.cached_school_outcomes(school, year, view)
    url = reverse("outcomes:school_outcomes", args=[school.slug]) + f"?year={year}"
    flagged = {flag.measure for flag in outcomes.flags}
    found: list[registry.SchoolEvidence] = []
    for row in outcomes.rows:
        if not row.measure.headline or row.figure.suppressed or not row.figure.denominator:
            continue
        national = f" (national {stats.format_pct(row.figure.national)})" if row.figure.national is not None else ""
        shown = f"{row.measure.label} {analysis.year_text(year)}: {stats.format_pct(row.figure.percentage)}"
        found.append(
            registry.SchoolEvidence(
                kind="measure",
                ref=f"{row.measure.key}:{year}",
                label=f"{shown}{national}",
                url=url,
                area_keys=_areas(row.measure.key),
                concern=row.figure.verdict == "below" or row.measure.key in flagged,
                detail=row.figure.verdict_label,
            )
        )
    for flag in outcomes.flags:
        found.append(
            registry.SchoolEvidence(
                kind="flag",
                ref=f"{flag.key}:{year}",
                label=flag.text,
                url=url,
                area_keys=_areas(flag.measure),
                concern=True,
                detail=analysis.FLAG_KINDS.get(flag.kind, ""),
            )
        )
    return found
