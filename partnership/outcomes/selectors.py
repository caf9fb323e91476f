"""Reads for outcomes (C5): national comparators and the suppression threshold the pages and API use.

Selectors return plain data; the numbers themselves are worked out in `outcomes/stats.py`.
"""

from __future__ import annotations

from decimal import Decimal

from partnership.directory.models import Membership, School
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

    A partnership's own views (its dashboard, its API aggregates) use `partnership.suppression_threshold`.
    """
    thresholds = (
        Membership.objects.current().filter(school=school).values_list("partnership__suppression_threshold", flat=True)
    )
    return max([DEFAULT_SUPPRESSION_THRESHOLD, *thresholds])
