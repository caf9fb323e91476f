"""Figures as a viewer sees them: suppression applied, rows of measures, groups and gaps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from partnership.outcomes import stats
from partnership.outcomes.analysis.counts import (
    GAPS,
    GROUP_BY_KEY,
    GROUPS,
    ZERO,
    CountKey,
    Counts,
    Group,
    MeasureSpec,
    three_years,
)
from partnership.outcomes.selectors import national_figures

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

    def missing(self, measures: Sequence[MeasureSpec], year: int) -> list[MeasureSpec]:
        """The measures with no national figure loaded for `year` (never estimated: shown as none)."""
        return [m for m in measures if m.national_statistic and self.get(m, year) is None]


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
    three years of figures and the change over them in words (`stats.describe_change`)."""

    measure: MeasureSpec
    figure: stats.Figure
    higher: stats.Figure | None
    history: list[tuple[int, stats.Figure]]
    trend: stats.Change | None

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
    change = stats.describe_change([shown_count(f) for _, f in history])
    return MeasureRow(measure, history[-1][1], higher, history, change)


def shown_count(figure: stats.Figure) -> stats.Count | None:
    """A figure's (successes, n) for describing a change; None when it is hidden or has no pupils, so
    a change is never described through a figure the viewer may not see."""
    if figure.suppressed or not figure.denominator or figure.numerator is None:
        return None
    return figure.numerator, figure.denominator


@dataclass
class GroupRow:
    group: Group
    figures: list[tuple[MeasureSpec, stats.Figure]]


@dataclass
class GapRow:
    label: str
    first: Group
    second: Group
    by_measure: list[tuple[MeasureSpec, float | None, stats.Change | None]]  # gap this year, change in its size


def group_rows(source: Source, measures: Sequence[MeasureSpec], year: int, nationals: Nationals) -> list[GroupRow]:
    return [
        GroupRow(group, [(m, source.figure(year, m, group.key, nationals.get(m, year))) for m in measures])
        for group in GROUPS
    ]


def gap_rows(
    source: Source, measures: Sequence[MeasureSpec], year: int, gaps: Sequence[tuple[str, str, str]] = GAPS
) -> list[GapRow]:
    """Gaps between groups this year, and how the size of each gap changed over three years
    (`stats.describe_gap_change`: "widening" only when the counts support it). Hidden where either
    group is hidden."""
    rows = []
    for first, second, label in gaps:
        by_measure = []
        for m in measures:
            pairs = [
                (source.figure(each, m, first, None), source.figure(each, m, second, None))
                for each in three_years(year)
            ]
            a, b = pairs[-1]
            gap = stats.figure_gap(a, b) if a.denominator and b.denominator else None
            change = stats.describe_gap_change([shown_count(x) for x, _ in pairs], [shown_count(y) for _, y in pairs])
            by_measure.append((m, gap, change))
        rows.append(GapRow(label, GROUP_BY_KEY[first], GROUP_BY_KEY[second], by_measure))
    return rows
