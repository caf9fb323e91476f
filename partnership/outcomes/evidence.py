"""What a school's outcomes offer a self-evaluation as evidence (`core.registry.school_evidence`):
its headline measures against national, and the board's flags as concerns. The same figures the
school's outcomes page shows this viewer: suppression as there, nothing to a viewer who may not
see the school, and never a pupil.

As a practice source (`core.registry.schools_practice`) it offers many schools at once: each
school's headline measures significantly above national (strengths) and below (concerns) and its
board flags, from the board's figures (`analysis.cached_partnership_outcomes`), so the queries do
not grow with the schools."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from partnership.core import access, registry
from partnership.directory.models import School
from partnership.outcomes import analysis, stats
from partnership.outcomes.analysis import Viewpoint
from partnership.outcomes.selectors import suppression_threshold, suppression_thresholds

# The shipped frameworks' areas that outcome figures bear on.
ACHIEVEMENT_AREAS = ("achievement", "quality-of-education", "quality-of-provision")
EARLY_YEARS_AREAS = ("early-years",)


def _areas(measure_key: str) -> tuple[str, ...]:
    return ACHIEVEMENT_AREAS + (EARLY_YEARS_AREAS if measure_key.startswith("eyfs") else ())


def measure_topics(measure_key: str) -> tuple[str, ...]:
    """What a measure is about in the good practice register's words (`SchoolEvidence.topics`)."""
    if measure_key.startswith("eyfs"):
        return ("eyfs",)
    if measure_key.startswith("phonics"):
        return ("phonics",)
    if measure_key == "ks2_rwm":
        return ("reading", "writing", "maths")
    if measure_key.endswith("_reading"):
        return ("reading",)
    if measure_key.endswith("_writing") or measure_key == "ks2_gps":
        return ("writing",)
    if measure_key.endswith("_maths") or measure_key == "mtc":
        return ("maths",)
    return ()


def flag_topics(flag: analysis.Flag) -> tuple[str, ...]:
    """A flag's measure's topics; a widening disadvantaged gap is about disadvantaged pupils too."""
    return measure_topics(flag.measure) + (("disadvantaged",) if flag.kind == "gap" else ())


def _outcomes_url(school: Any, year: int) -> str:
    return reverse("outcomes:school_outcomes", args=[school.slug]) + f"?year={year}"


def _measure_item(row: analysis.MeasureRow, year: int, url: str, *, concern: bool) -> registry.SchoolEvidence:
    national = f" (national {stats.format_pct(row.figure.national)})" if row.figure.national is not None else ""
    shown = f"{row.measure.label} {analysis.year_text(year)}: {stats.format_pct(row.figure.percentage)}"
    return registry.SchoolEvidence(
        kind="measure",
        ref=f"{row.measure.key}:{year}",
        label=f"{shown}{national}",
        url=url,
        area_keys=_areas(row.measure.key),
        concern=concern,
        detail=row.figure.verdict_label,
        topics=measure_topics(row.measure.key),
        strength=row.figure.verdict == "above",
    )


def _flag_item(flag: analysis.Flag, year: int, url: str) -> registry.SchoolEvidence:
    return registry.SchoolEvidence(
        kind="flag",
        ref=f"{flag.key}:{year}",
        label=flag.text,
        url=url,
        area_keys=_areas(flag.measure),
        concern=True,
        detail=analysis.FLAG_KINDS.get(flag.kind, ""),
        topics=flag_topics(flag),
    )


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
    url = _outcomes_url(school, year)
    flagged = {flag.measure for flag in outcomes.flags}
    found: list[registry.SchoolEvidence] = []
    for row in outcomes.rows:
        if not row.measure.headline or row.figure.suppressed or not row.figure.denominator:
            continue
        found.append(_measure_item(row, year, url, concern=row.figure.verdict == "below" or row.measure.key in flagged))
    found.extend(_flag_item(flag, year, url) for flag in outcomes.flags)
    return found


def _results_year(coverage: analysis.YearCoverage, school_id: int, asked: int) -> int | None:
    """The year `school_outcome_evidence` picks for one school: `asked` if it has results then,
    else its latest year."""
    if coverage.has(school_id, asked):
        return asked
    years = [year for year in coverage.years if coverage.has(school_id, year)]
    return years[0] if years else None


def _compared_years() -> set[int]:
    """The years the national comparators cover (one query)."""
    from partnership.outcomes.models import NationalFigure

    return set(NationalFigure.objects.values_list("academic_year", flat=True).distinct())


def _compared_year(coverage: analysis.YearCoverage, school_id: int, asked: int, compared: set[int]) -> int | None:
    """For strengths and needs: the school's latest results up to `asked` that national figures
    cover (until the national figures for a summer are published, nothing is above or below
    national), else the year `school_outcome_evidence` picks."""
    years = [year for year in coverage.years if year <= asked and year in compared and coverage.has(school_id, year)]
    return max(years) if years else _results_year(coverage, school_id, asked)


def schools_outcome_practice(
    user: Any, schools: list[Any], academic_year: int
) -> dict[int, list[registry.SchoolEvidence]]:
    """For each school this person may see: its headline measures significantly above national
    (strengths), those significantly below (concerns) and its board flags, for its latest results
    year that national figures cover (`_compared_year`), suppressed as on its outcomes page. The schools of one year
    are one board (`analysis.cached_partnership_outcomes`): queries grow with the years, never
    with the schools."""
    found: dict[int, list[registry.SchoolEvidence]] = {school.pk: [] for school in schools}
    visible = set(access.visible_to(user, School).filter(pk__in=list(found)).values_list("pk", flat=True))
    shown = [school for school in schools if school.pk in visible]
    if not shown:
        return found
    coverage = analysis.year_coverage([school.pk for school in shown])
    compared = _compared_years()
    by_year: dict[int, list[Any]] = {}
    for school in shown:
        year = _compared_year(coverage, school.pk, academic_year - 1, compared)
        if year is not None:
            by_year.setdefault(year, []).append(school)
    if not by_year:
        return found
    thresholds = suppression_thresholds([school.pk for school in shown])
    for year, group in sorted(by_year.items()):
        outcomes = analysis.cached_partnership_outcomes(
            group,
            year,
            threshold=stats.DEFAULT_SUPPRESSION_THRESHOLD,
            school_thresholds={school.pk: thresholds[school.pk] for school in group},
            unsuppressed=frozenset(school.pk for school in group if access.sees_unsuppressed(user, school.pk)),
        )
        for column in outcomes.schools:
            url = _outcomes_url(column.school, year)
            items = found[column.school.pk]
            for measure in outcomes.measures:
                row = column.rows[measure.key]
                if row.figure.suppressed or not row.figure.denominator:
                    continue
                if row.figure.verdict in ("above", "below"):
                    items.append(_measure_item(row, year, url, concern=row.figure.verdict == "below"))
            items.extend(_flag_item(flag, year, url) for flag in column.flags)
    return found
