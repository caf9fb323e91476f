"""Reads for outcomes (C5): national comparators, and later the aggregates the pages and API show.

Selectors return plain data; the numbers themselves are worked out in `outcomes/stats.py`.
"""

from __future__ import annotations

from decimal import Decimal

from partnership.outcomes.models import NationalFigure


def national_figures() -> dict[tuple[str, int, str], Decimal]:
    """Every national figure as {(measure, academic_year, statistic): value}, in one query.

    e.g. `national_figures()[("ks2_rwm", 2024, "expected_pct")] == Decimal("62.00")`.
    A missing key means no confirmed national figure for that year: show none, never a guess.
    """
    rows = NationalFigure.objects.values_list("measure", "academic_year", "statistic", "value")
    return {(measure, year, statistic): value for measure, year, statistic, value in rows}
