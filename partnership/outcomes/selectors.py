"""Reads for outcomes (C5): national comparators and the suppression threshold the pages and API use.

Selectors return plain data; the numbers themselves are worked out in `outcomes/stats.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from partnership.directory.models import Membership, Partnership, School
from partnership.outcomes.models import NationalFigure
from partnership.outcomes.stats import DEFAULT_SUPPRESSION_THRESHOLD


def national_figures() -> dict[tuple[str, int, str], Decimal]:
    """Every national figure as {(measure, academic_year, statistic): value}, in one query.

    e.g. `national_figures()[("ks2_rwm", 2024, "expected_pct")] == Decimal("62.00")`.
    A missing key means no confirmed national figure for that year: show none, never a guess.
    """
    rows = NationalFigure.objects.values_list("measure", "academic_year", "statistic", "value")
    return {(measure, year, statistic): value for measure, year, statistic, value in rows}


def suppression_threshold(school: School) -> int:
    """The suppression threshold for one school's figures: the strictest (largest) threshold of the
    school's current partnerships, and never below the default of 6. One query.

    The partnership's figures as a whole use `partnership_threshold`; each school's figures on a
    partnership's dashboard use `suppression_thresholds`, so a school is never shown more openly on
    one partnership's pages than on its own.
    """
    thresholds = (
        Membership.objects.current().filter(school=school).values_list("partnership__suppression_threshold", flat=True)
    )
    return max([DEFAULT_SUPPRESSION_THRESHOLD, *thresholds])


def suppression_thresholds(school_ids: Iterable[int]) -> dict[int, int]:
    """`suppression_threshold` for many schools in one query: {school id: threshold}."""
    thresholds = {school_id: DEFAULT_SUPPRESSION_THRESHOLD for school_id in school_ids}
    rows = (
        Membership.objects.current()
        .filter(school_id__in=list(thresholds))
        .values_list("school_id", "partnership__suppression_threshold")
    )
    for school_id, threshold in rows:
        thresholds[school_id] = max(thresholds[school_id], threshold)
    return thresholds


def partnership_threshold(partnership: Partnership) -> int:
    """The threshold for the partnership's own totals: its setting, never below the default of 6."""
    return max(DEFAULT_SUPPRESSION_THRESHOLD, partnership.suppression_threshold)
