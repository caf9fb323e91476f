"""Which academic years have results, school by school, and which year a page opens on.

Results season: schools import their new year's results over several weeks. A partnership's board
must not jump to a year that only the first school to import has (every other school would show
"no results"); it opens on the latest year that most of its schools have, and says which schools
have which years so a reader can pick the new year once enough have imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from partnership.outcomes.models import Result


@dataclass(frozen=True)
class YearCoverage:
    """For a set of schools: {academic year: the ids of the schools with results that year}."""

    school_ids: tuple[int, ...]
    schools_by_year: dict[int, frozenset[int]] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        """The years with any results, newest first: the only years a page offers."""
        return sorted(self.schools_by_year, reverse=True)

    def count(self, year: int) -> int:
        return len(self.schools_by_year.get(year, ()))

    def has(self, school_id: int, year: int) -> bool:
        return school_id in self.schools_by_year.get(year, ())

    @property
    def default_year(self) -> int | None:
        """The latest year with results for most of the schools (more than half); when no year has
        that many, the year with results for the most schools (the latest of those). For one school,
        its latest year."""
        if not self.schools_by_year:
            return None
        majority = len(self.school_ids) // 2 + 1
        most = [year for year in self.years if self.count(year) >= majority]
        if most:
            return most[0]
        return max(self.years, key=lambda year: (self.count(year), year))

    def chosen(self, asked: int | None) -> int | None:
        """The year asked for if it has results, else the default."""
        return asked if asked in self.schools_by_year else self.default_year

    def missing(self, year: int) -> list[int]:
        """The schools (ids, in the order given) without results in `year`."""
        return [pk for pk in self.school_ids if not self.has(pk, year)]


def year_coverage(school_ids: Iterable[int]) -> YearCoverage:
    """Which schools have results in which years: one query, however many schools or pupils."""
    ids = tuple(school_ids)
    rows = (
        Result.objects.filter(pupil__school_id__in=ids)
        .values_list("academic_year", "pupil__school_id")
        .order_by()
        .distinct()
    )
    found: dict[int, set[int]] = {}
    for year, school_id in rows:
        found.setdefault(year, set()).add(school_id)
    return YearCoverage(ids, {year: frozenset(pks) for year, pks in found.items()})


def coverage_rows(schools: Sequence[object], coverage: YearCoverage) -> list[tuple[object, list[bool]]]:
    """For a table of schools x years (newest first): whether each school has results each year."""
    return [(school, [coverage.has(school.pk, year) for year in coverage.years]) for school in schools]  # type: ignore[attr-defined]
