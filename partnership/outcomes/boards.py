"""A partnership's board for one viewer: the one place that decides which schools, which year,
which thresholds and whose small groups, so the dashboard, its Excel file, the RAB pack, a flag
turned into an action and the coordinator's home page all show the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnership.core import access
from partnership.directory.models import Partnership
from partnership.directory.selectors import partnership_schools
from partnership.outcomes import analysis
from partnership.outcomes.selectors import partnership_threshold, suppression_thresholds


@dataclass(frozen=True)
class Board:
    partnership: Partnership
    schools: list[Any]
    coverage: analysis.YearCoverage
    year: int
    threshold: int
    outcomes: analysis.PartnershipOutcomes
    key: tuple[Any, ...]  # what the figures were cached under: charts and the pack made from them too

    @property
    def missing_schools(self) -> list[Any]:
        return [s for s in self.schools if not self.coverage.has(s.pk, self.year)]


def partnership_board(user: Any, partnership: Partnership, asked_year: int | None = None) -> Board | None:
    """The board `user` sees for `partnership` in `asked_year` if it has results, else in the year
    most of its schools have (`YearCoverage.default_year`); None when no school has results. The
    figures are computed once and cached (`analysis.cached_partnership_outcomes`)."""
    schools = [membership.school for membership in partnership_schools(partnership)]
    coverage = analysis.year_coverage([s.pk for s in schools])
    year = coverage.chosen(asked_year)
    if year is None:
        return None
    threshold = partnership_threshold(partnership)
    school_thresholds = suppression_thresholds([s.pk for s in schools])
    unsuppressed = frozenset(s.pk for s in schools if access.sees_unsuppressed(user, s.pk))
    outcomes = analysis.cached_partnership_outcomes(
        schools, year, threshold=threshold, school_thresholds=school_thresholds, unsuppressed=unsuppressed
    )
    key = (partnership.pk, *analysis.board_key(schools, year, threshold, school_thresholds, unsuppressed))
    return Board(partnership, schools, coverage, year, threshold, outcomes, key)
