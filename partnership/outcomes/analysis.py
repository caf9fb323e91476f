"""Outcome aggregates for pages, exports, PDFs and the API (C5).

Pupil-level rows never leave this module: `count_results` reads them in ONE grouped query (however
many schools, pupils or years) and returns counts per school, year, measure and pupil group. The
views turn counts into figures with `outcomes/stats.py`, suppressing small groups for anyone who is
not the school's own staff (`access.sees_unsuppressed`). Callers check that the viewer may view the
school or partnership first; what comes back from here is aggregates only.

A result is counted in its pupil's group *for that academic year* (disadvantaged, SEN, EAL are
recorded per year in `PupilYear`); sex and summer-born come from the pupil.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Func, IntegerField, Q
from django.db.models.lookups import Range

from partnership.outcomes import stats
from partnership.outcomes.models import Measure, Result, SenProvision, TeacherAssessment
from partnership.outcomes.rules import MTC_MAX
from partnership.outcomes.selectors import national_figures

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


def latest_year(school_ids: Iterable[int]) -> int | None:
    """The most recent academic year with any result for these schools (one query)."""
    years = Result.objects.filter(pupil__school_id__in=list(school_ids)).order_by("-academic_year")
    return years.values_list("academic_year", flat=True).first()


def three_years(year: int) -> list[int]:
    return [year - 2, year - 1, year]


def year_text(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


# --- figures as a viewer sees them --------------------------------------------------------------


@dataclass(frozen=True)
class Viewpoint:
    """How figures are shown: the suppression threshold and whether small groups may be shown
    (only to the school's own staff)."""

    threshold: int = stats.DEFAULT_SUPPRESSION_THRESHOLD
    show_small: bool = False


class Nationals:
    """National comparators by (measure, year, statistic), read once per page."""

    def __init__(self) -> None:
        self.values = national_figures()

    def get(self, measure: MeasureSpec, year: int, *, higher: bool = False) -> float | None:
        statistic = measure.higher_statistic if higher else measure.national_statistic
        value = self.values.get((measure.key, year, statistic)) if statistic else None
        return float(value) if value is not None else None


# Groups that add up: each parent is the sum of its children. If one part of a visible whole is
# hidden, another part must be hidden too, or the hidden one is the whole minus the rest
# (complementary suppression, as the Office for National Statistics practises it).
PARTITIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("all", ("disadvantaged", "not_disadvantaged")),
    ("all", ("sen", "no_sen")),
    ("sen", ("sen_support", "ehcp")),
    ("all", ("eal", "not_eal")),
    ("all", ("girls", "boys")),
    ("all", ("summer_born", "not_summer_born")),
)
HIDDEN_LABEL = "hidden to protect a small group"


def hidden_groups(n_by_group: dict[str, int], view: Viewpoint) -> set[str]:
    """The groups of one school to hide from this viewer (none from its own staff): those of 1 to
    threshold-1 pupils and every group that would let them be worked out (`stats.hidden_in_column`)."""
    if view.show_small:
        return set()
    return set(stats.hidden_in_column(n_by_group, PARTITIONS, view.threshold))


def figure(
    counts: Counts, national: float | None, view: Viewpoint, *, higher: bool = False, hidden: bool
) -> stats.Figure:
    """One group's figure. `hidden` (from `Source.hidden`, which hides every small group the viewer may
    not see) decides: a hidden figure carries no numbers at all, labelled "fewer than 6 pupils" or, when
    hidden only to protect a small group, HIDDEN_LABEL; a shown one is shown in full, with "no pupils"
    for none at all (an infant school has no KS2 results: there is nobody to identify)."""
    if hidden:
        small = 0 < counts.n < view.threshold
        label = stats.suppressed_label(view.threshold) if small else HIDDEN_LABEL
        return stats.Figure(None, None, None, None, None, national, None, True, label)
    successes = counts.higher if higher else counts.expected
    return stats.figure_for(successes, counts.n, national, suppressed_below=view.threshold, show_small=True)


CountsFor = Callable[[int, str, str], Counts]  # (year, measure, group) -> Counts


class Source:
    """The counts for one school, or for the partnership as a whole, as one viewer may see them:
    every figure shown anywhere is made here, so suppression is applied the same way everywhere.
    A school's hidden groups are its own (`hidden_groups`); `hidden_by(year, measure)` decides them
    instead for the partnership as a whole, whose figures depend on the schools' (`board_sources`)."""

    def __init__(
        self, counts: CountsFor, view: Viewpoint, hidden_by: Callable[[int, str], set[str]] | None = None
    ) -> None:
        self.counts = counts
        self.view = view
        self.hidden_by = hidden_by
        self._hidden: dict[tuple[int, str], set[str]] = {}

    def n_by_group(self, year: int, measure: str) -> dict[str, int]:
        return {g.key: self.counts(year, measure, g.key).n for g in GROUPS}

    def hidden(self, year: int, measure: str) -> set[str]:
        key = (year, measure)
        if key not in self._hidden:
            if self.hidden_by is not None:
                self._hidden[key] = self.hidden_by(year, measure)
            else:
                self._hidden[key] = hidden_groups(self.n_by_group(year, measure), self.view)
        return self._hidden[key]

    def figure(
        self, year: int, measure: MeasureSpec, group: str, national: float | None, *, higher: bool = False
    ) -> stats.Figure:
        return figure(
            self.counts(year, measure.key, group),
            national,
            self.view,
            higher=higher,
            hidden=group in self.hidden(year, measure.key),
        )


def school_source(table: dict[CountKey, Counts], school_id: int, view: Viewpoint) -> Source:
    """One school's figures from `count_results`, as this viewer sees them: the same on the school's
    own page, on every partnership's board and in the API."""

    def counts(each: int, measure: str, group: str) -> Counts:
        return table.get((school_id, each, measure, group), ZERO)

    return Source(counts, view)


@dataclass
class MeasureRow:
    """One measure for one school (or the partnership): this year's figure, the higher standard,
    three years of figures and their trend."""

    measure: MeasureSpec
    figure: stats.Figure
    higher: stats.Figure | None
    history: list[tuple[int, stats.Figure]]
    trend: stats.Trend | None

    @property
    def gap_to_national(self) -> float | None:
        return stats.gap_to_national(self.figure)


def measure_row(source: Source, measure: MeasureSpec, year: int, nationals: Nationals) -> MeasureRow:
    # Only this year is compared with national (the exact test is the costly part); earlier years show
    # their percentages for the trend.
    history = [
        (each, source.figure(each, measure, "all", nationals.get(measure, each) if each == year else None))
        for each in three_years(year)
    ]
    higher = None
    if measure.higher_statistic:
        higher = source.figure(year, measure, "all", nationals.get(measure, year, higher=True), higher=True)
    values = [f.percentage if f.denominator else None for _, f in history]
    return MeasureRow(measure, history[-1][1], higher, history, stats.trend(values))


@dataclass
class GroupRow:
    group: Group
    figures: list[tuple[MeasureSpec, stats.Figure]]


@dataclass
class GapRow:
    label: str
    first: Group
    second: Group
    by_measure: list[tuple[MeasureSpec, float | None, stats.Trend | None]]  # gap this year, trend of the gap


def group_rows(source: Source, measures: Sequence[MeasureSpec], year: int, nationals: Nationals) -> list[GroupRow]:
    return [
        GroupRow(group, [(m, source.figure(year, m, group.key, nationals.get(m, year))) for m in measures])
        for group in GROUPS
    ]


def gap_rows(
    source: Source, measures: Sequence[MeasureSpec], year: int, gaps: Sequence[tuple[str, str, str]] = GAPS
) -> list[GapRow]:
    """Gaps between groups this year, and whether each gap is widening (its trend over three years
    is falling: the first group falling further behind). Hidden where either group is hidden."""
    rows = []
    for first, second, label in gaps:
        by_measure = []
        for m in measures:
            values = []
            for each in three_years(year):
                a = source.figure(each, m, first, None)
                b = source.figure(each, m, second, None)
                values.append(stats.figure_gap(a, b) if a.denominator and b.denominator else None)
            by_measure.append((m, values[-1], stats.trend(values)))
        rows.append(GapRow(label, GROUP_BY_KEY[first], GROUP_BY_KEY[second], by_measure))
    return rows


# --- flags ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """Something the board should look at. Worked out only from figures the viewer can see, so a
    flag never reveals a suppressed group."""

    kind: str  # "below", "falling", "gap"
    school_id: int
    measure: str
    text: str

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.school_id}:{self.measure}"


FLAG_KINDS = {
    "below": "Significantly below national",
    "falling": "Falling three-year trend",
    "gap": "Widening disadvantaged gap",
}


def _big_enough(figure: stats.Figure, threshold: int) -> bool:
    return not figure.suppressed and (figure.denominator or 0) >= threshold


def flags_for(
    school_id: int,
    school_name: str,
    rows: Sequence[MeasureRow],
    disadvantaged_gaps: GapRow | None,
    year: int,
    threshold: int,
) -> list[Flag]:
    """Flags only from groups of at least `threshold` pupils, even for a school's own staff: a
    trend or gap in a handful of pupils is noise, not something to act on."""
    found = []
    for row in rows:
        m = row.measure
        if not _big_enough(row.figure, threshold):
            continue
        if row.figure.verdict == "below":
            found.append(
                Flag(
                    "below",
                    school_id,
                    m.key,
                    f"{school_name}: {m.label} {year_text(year)} {row.figure.label}, "
                    f"significantly below national ({stats.format_pct(row.figure.national)}).",
                )
            )
        if row.trend == "falling" and all(_big_enough(f, threshold) for _, f in row.history):
            first, last = row.history[0][1], row.history[-1][1]
            found.append(
                Flag(
                    "falling",
                    school_id,
                    m.key,
                    f"{school_name}: {m.label} has fallen each year, from {stats.format_pct(first.percentage)} "
                    f"in {year_text(row.history[0][0])} to {stats.format_pct(last.percentage)} in {year_text(year)}.",
                )
            )
    if disadvantaged_gaps is not None:
        for m, gap, gap_trend in disadvantaged_gaps.by_measure:
            if gap_trend == "falling" and gap is not None and gap < 0:
                found.append(
                    Flag(
                        "gap",
                        school_id,
                        m.key,
                        f"{school_name}: the disadvantaged gap in {m.label} has widened each year, "
                        f"to {gap:.0f} percentage points in {year_text(year)}.",
                    )
                )
    return found


# --- one school, one partnership ------------------------------------------------------------------


@dataclass
class SchoolOutcomes:
    year: int
    rows: list[MeasureRow]
    groups: list[GroupRow]
    gaps: list[GapRow]
    flags: list[Flag]
    view: Viewpoint
    measures: list[MeasureSpec] = field(default_factory=list)


def school_outcomes(school: Any, year: int, view: Viewpoint, *, nationals: Nationals | None = None) -> SchoolOutcomes:
    """Every measure the school has results for, its groups, gaps and flags (two queries)."""
    nationals = nationals or Nationals()
    table = count_results([school.pk], three_years(year))
    source = school_source(table, school.pk, view)
    strict = school_source(table, school.pk, Viewpoint(threshold=view.threshold))  # flags ignore small groups
    present = {key[2] for key in table}
    measures = [m for m in MEASURES if m.key in present]
    rows = [measure_row(source, m, year, nationals) for m in measures]
    gaps = gap_rows(source, measures, year)
    strict_gaps = gap_rows(strict, measures, year, GAPS[:1])
    flags = flags_for(school.pk, school.name, rows, strict_gaps[0] if strict_gaps else None, year, view.threshold)
    return SchoolOutcomes(year, rows, group_rows(source, measures, year, nationals), gaps, flags, view, measures)


def board_sources(
    table: dict[CountKey, Counts], school_ids: Sequence[int], views: Sequence[Viewpoint], whole: Viewpoint
) -> tuple[list[Source], Source]:
    """A board of schools side by side and the partnership as a whole: each school's figures exactly as
    on its own page (`views`, one per school), and the partnership's (`whole`: nobody's own school),
    hidden further wherever it would let the viewer work out a figure hidden on the board
    (`stats.hidden_in_total`)."""
    sources = [school_source(table, pk, view) for pk, view in zip(school_ids, views, strict=True)]
    ids = list(school_ids)

    def summed(each: int, measure: str, group: str) -> Counts:
        return total(table, ids, each, measure, group)

    def hidden_in_total(each: int, measure: str) -> set[str]:
        schools = [(s.n_by_group(each, measure), s.hidden(each, measure), s.view.threshold) for s in sources]
        whole_n = {g.key: summed(each, measure, g.key).n for g in GROUPS}
        return set(stats.hidden_in_total(schools, whole_n, PARTITIONS, whole.threshold))

    return sources, Source(summed, whole, hidden_by=hidden_in_total)


@dataclass
class SchoolColumn:
    school: Any
    rows: dict[str, MeasureRow]
    disadvantaged_gap: dict[str, float | None]
    flags: list[Flag]


@dataclass
class PartnershipOutcomes:
    year: int
    measures: list[MeasureSpec]
    schools: list[SchoolColumn]
    partnership: dict[str, MeasureRow]
    partnership_gap: dict[str, float | None]
    national: dict[str, float | None]
    flags: list[Flag]


def partnership_outcomes(
    schools: Sequence[Any],
    year: int,
    *,
    threshold: int,
    sees_unsuppressed: Any,
    school_thresholds: dict[int, int] | None = None,
    measures: Sequence[MeasureSpec] = HEADLINE_MEASURES,
    nationals: Nationals | None = None,
) -> PartnershipOutcomes:
    """Every school side by side and the partnership as a whole, in two queries however many
    schools. `sees_unsuppressed(school_id) -> bool` says whose small groups the viewer may see;
    `threshold` is the partnership's, `school_thresholds` each school's own (never less strict)."""
    school_thresholds = school_thresholds or {}
    nationals = nationals or Nationals()
    ids = [s.pk for s in schools]
    table = count_results(ids, three_years(year), [m.key for m in measures])
    views = [
        Viewpoint(
            threshold=max(threshold, school_thresholds.get(school.pk, threshold)),
            show_small=bool(sees_unsuppressed(school.pk)),
        )
        for school in schools
    ]
    sources, partnership = board_sources(table, ids, views, Viewpoint(threshold=threshold))
    columns = []
    all_flags: list[Flag] = []
    for school, source, view in zip(schools, sources, views, strict=True):
        rows = {m.key: measure_row(source, m, year, nationals) for m in measures}
        gaps = gap_rows(source, measures, year, GAPS[:1])[0]
        strict_view = Viewpoint(threshold=view.threshold)  # flags ignore small groups
        strict = gap_rows(school_source(table, school.pk, strict_view), measures, year, GAPS[:1])[0]
        flags = flags_for(school.pk, school.name, list(rows.values()), strict, year, view.threshold)
        all_flags.extend(flags)
        columns.append(SchoolColumn(school, rows, {m.key: gap for m, gap, _ in gaps.by_measure}, flags))

    partnership_rows = {m.key: measure_row(partnership, m, year, nationals) for m in measures}
    partnership_gaps = gap_rows(partnership, measures, year, GAPS[:1])[0]
    return PartnershipOutcomes(
        year=year,
        measures=list(measures),
        schools=columns,
        partnership=partnership_rows,
        partnership_gap={m.key: gap for m, gap, _ in partnership_gaps.by_measure},
        national={m.key: nationals.get(m, year) for m in measures},
        flags=all_flags,
    )


# --- in-year tracking ---------------------------------------------------------------------------


@dataclass
class TrackingCell:
    term: str
    subject: str
    expected: stats.Figure
    greater_depth: stats.Figure


def tracking(school: Any, year: int, view: Viewpoint) -> dict[int, list[TrackingCell]]:
    """Termly teacher assessments by year group: % at expected or above and % at greater depth,
    per term and subject (one query)."""
    met = Q(judgement__in=[TeacherAssessment.Judgement.EXPECTED, TeacherAssessment.Judgement.GREATER_DEPTH])
    rows = (
        TeacherAssessment.objects.filter(
            pupil__school_id=school.pk, academic_year=year, pupil__years__academic_year=year
        )
        .values("pupil__years__year_group", "term", "subject")
        .annotate(
            n=Count("pk"),
            met=Count("pk", filter=met),
            gds=Count("pk", filter=Q(judgement=TeacherAssessment.Judgement.GREATER_DEPTH)),
        )
        .order_by()
    )
    terms = [t.value for t in TeacherAssessment.Term]
    subjects = [s.value for s in TeacherAssessment.Subject]
    by_year: dict[int, list[TrackingCell]] = defaultdict(list)
    for row in sorted(
        rows,
        key=lambda r: (r["pupil__years__year_group"], terms.index(r["term"]), subjects.index(r["subject"])),
    ):

        def fig(successes: int, n: int = row["n"]) -> stats.Figure:
            return stats.figure_for(successes, n, suppressed_below=view.threshold, show_small=view.show_small)

        by_year[row["pupil__years__year_group"]].append(
            TrackingCell(row["term"], row["subject"], fig(row["met"]), fig(row["gds"]))
        )
    return dict(by_year)


TERMS = [(t.value, t.label) for t in TeacherAssessment.Term]


def tracking_grid(cells: Sequence[TrackingCell]) -> list[tuple[str, list[TrackingCell | None]]]:
    """One year group's cells as rows of subjects by columns of terms (None where not assessed)."""
    by_key = {(c.subject, c.term): c for c in cells}
    return [
        (label, [by_key.get((subject, term)) for term, _ in TERMS])
        for subject, label in TeacherAssessment.Subject.choices
        if any((subject, term) in by_key for term, _ in TERMS)
    ]
