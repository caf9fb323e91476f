"""Measures, pupil groups and the one grouped query that counts results (pupil rows never leave it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Q
from django.db.models.lookups import Range

from partnership.core.schoolyear import academic_year_label
from partnership.outcomes.models import Measure, Result, SenProvision
from partnership.outcomes.rules import MTC_MAX

# --- measures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSpec:
    key: str
    label: str
    short: str
    statistic: str  # what the percentage is, in words
    national_statistic: str  # NationalFigure.statistic of the comparator
    higher_statistic: str = ""  # NationalFigure.statistic of the higher standard, where there is one
    headline: bool = False


MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec("eyfs_gld", "EYFS good level of development", "GLD", "% GLD", "expected_pct", headline=True),
    MeasureSpec("phonics_y1", "Phonics screening check, Year 1", "Phonics Y1", "% met", "expected_pct", headline=True),
    MeasureSpec("phonics_y2", "Phonics, Year 2 retake", "Phonics Y2", "% met", "expected_pct"),
    MeasureSpec("ks1_reading", "KS1 reading", "KS1 R", "% expected+", "expected_pct"),
    MeasureSpec("ks1_writing", "KS1 writing", "KS1 W", "% expected+", "expected_pct"),
    MeasureSpec("ks1_maths", "KS1 maths", "KS1 M", "% expected+", "expected_pct"),
    MeasureSpec("mtc", "Multiplication tables check", "MTC", "% full marks", "full_marks_pct", headline=True),
    MeasureSpec("ks2_reading", "KS2 reading", "Reading", "% expected+", "expected_pct", "higher_pct", True),
    MeasureSpec("ks2_writing", "KS2 writing", "Writing", "% expected+", "expected_pct", "higher_pct", True),
    MeasureSpec("ks2_maths", "KS2 maths", "Maths", "% expected+", "expected_pct", "higher_pct", True),
    MeasureSpec("ks2_gps", "KS2 grammar, punctuation and spelling", "GPS", "% expected+", "expected_pct", "higher_pct"),
    MeasureSpec("ks2_rwm", "KS2 reading, writing and maths", "RWM", "% expected+", "expected_pct", "higher_pct", True),
)
MEASURE_BY_KEY = {m.key: m for m in MEASURES}
HEADLINE_MEASURES = tuple(m for m in MEASURES if m.headline)
assert set(MEASURE_BY_KEY) == set(Measure.values)


# --- pupil groups -----------------------------------------------------------------------------

_YEAR = "pupil__years__"  # the pupil's characteristics, joined for the result's own academic year


class Month(Func):
    """The month of a date. On SQLite (dates stored as 'YYYY-MM-DD' text) characters 6-7: Django's
    `__month` calls back into Python for every row there, which dominated the dashboard's query."""

    template = "EXTRACT(MONTH FROM %(expressions)s)"
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        template = "CAST(SUBSTR(%(expressions)s, 6, 2) AS INTEGER)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


_SUMMER = Q(Range(Month("pupil__date_of_birth"), (4, 8)))


@dataclass(frozen=True)
class Group:
    """A pupil group. `where` selects it in the grouped query; a group with `whole` and `minus`
    instead is counted as that group less others (not disadvantaged = all - disadvantaged), which
    keeps the query to half the columns; it is exact because every pupil is in one part or the other."""

    key: str
    label: str
    where: Q | None = None
    whole: tuple[str, ...] = ()
    minus: tuple[str, ...] = ()


GROUPS: tuple[Group, ...] = (
    Group("all", "All pupils", Q()),
    Group("disadvantaged", "Disadvantaged", Q(**{f"{_YEAR}disadvantaged": True})),
    Group("not_disadvantaged", "Not disadvantaged", whole=("all",), minus=("disadvantaged",)),
    Group("sen", "SEN support or EHC plan", whole=("sen_support", "ehcp")),
    Group("sen_support", "SEN support", Q(**{f"{_YEAR}sen_provision": SenProvision.SEN_SUPPORT})),
    Group("ehcp", "EHC plan", Q(**{f"{_YEAR}sen_provision": SenProvision.EHCP})),
    Group("no_sen", "No SEN", whole=("all",), minus=("sen_support", "ehcp")),
    Group("eal", "EAL", Q(**{f"{_YEAR}eal": True})),
    Group("not_eal", "English first language", whole=("all",), minus=("eal",)),
    Group("girls", "Girls", Q(pupil__sex="F")),
    Group("boys", "Boys", whole=("all",), minus=("girls",)),
    Group("summer_born", "Summer-born", _SUMMER),
    Group("not_summer_born", "Born September to March", whole=("all",), minus=("summer_born",)),
)
GROUP_BY_KEY = {g.key: g for g in GROUPS}

# Each gap is first minus second, in percentage points (negative: the first group is behind).
GAPS: tuple[tuple[str, str, str], ...] = (
    ("disadvantaged", "not_disadvantaged", "Disadvantaged gap"),
    ("sen", "no_sen", "SEN gap"),
    ("eal", "not_eal", "EAL gap"),
    ("boys", "girls", "Boys compared with girls"),
    ("summer_born", "not_summer_born", "Summer-born gap"),
)

# In the denominator: results with a met/not-met outcome; MTC: pupils who took the check.
_COUNTED = (Q(met_expected__isnull=False) & ~Q(measure=Measure.MTC)) | Q(measure=Measure.MTC, score__isnull=False)
_MET = Q(met_expected=True) | Q(measure=Measure.MTC, score=MTC_MAX)
_HIGHER = Q(met_higher=True)


@dataclass(frozen=True)
class Counts:
    n: int = 0
    expected: int = 0
    higher: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.n + other.n, self.expected + other.expected, self.higher + other.higher)


CountKey = tuple[int, int, str, str]  # school id, academic year, measure, group
ZERO = Counts()


def count_results(
    school_ids: Iterable[int], years: Iterable[int], measures: Iterable[str] | None = None
) -> dict[CountKey, Counts]:
    """Pupils counted, meeting expected and meeting higher per (school, year, measure, group), in
    one query. Keys with no pupils are absent (read with `.get(key, ZERO)`)."""
    columns: dict[str, Any] = {}
    counted = [g for g in GROUPS if g.where is not None]
    for group in counted:
        where = _COUNTED & group.where  # type: ignore[operator]
        columns[f"n_{group.key}"] = Count("pk", filter=where)
        columns[f"e_{group.key}"] = Count("pk", filter=where & _MET)
        columns[f"h_{group.key}"] = Count("pk", filter=where & _HIGHER)
    rows = Result.objects.filter(
        pupil__school_id__in=list(school_ids),
        academic_year__in=list(years),
        pupil__years__academic_year=F("academic_year"),
    )
    if measures is not None:
        rows = rows.filter(measure__in=list(measures))
    grouped = rows.values("pupil__school_id", "academic_year", "measure").annotate(**columns).order_by()
    table: dict[CountKey, Counts] = {}
    for row in grouped:
        found = {g.key: Counts(row[f"n_{g.key}"], row[f"e_{g.key}"], row[f"h_{g.key}"]) for g in counted}
        for group in GROUPS:
            if group.where is None:
                found[group.key] = _combine(found, group)
        place = (row["pupil__school_id"], row["academic_year"], row["measure"])
        for key, counts in found.items():
            if counts.n:
                table[(*place, key)] = counts
    return table


def _combine(found: dict[str, Counts], group: Group) -> Counts:
    n = expected = higher = 0
    for key in group.whole:
        n, expected, higher = n + found[key].n, expected + found[key].expected, higher + found[key].higher
    for key in group.minus:
        n, expected, higher = n - found[key].n, expected - found[key].expected, higher - found[key].higher
    return Counts(n, expected, higher)


def total(table: dict[CountKey, Counts], school_ids: Iterable[int], year: int, measure: str, group: str) -> Counts:
    """Counts for several schools added together (the partnership as a whole)."""
    result = ZERO
    for school_id in school_ids:
        result = result + table.get((school_id, year, measure, group), ZERO)
    return result


def three_years(year: int) -> list[int]:
    return [year - 2, year - 1, year]


year_text = academic_year_label
