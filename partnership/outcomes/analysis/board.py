"""One school's outcomes and a partnership's board, as pages, exports, the PDF and the API show them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from partnership.core import memo
from partnership.outcomes import stats
from partnership.outcomes.analysis.counts import (
    GAPS,
    GROUPS,
    HEADLINE_MEASURES,
    MEASURES,
    CountKey,
    Counts,
    MeasureSpec,
    count_results,
    three_years,
    total,
)
from partnership.outcomes.analysis.figures import (
    PARTITIONS,
    GapRow,
    GroupRow,
    MeasureRow,
    Nationals,
    Source,
    Viewpoint,
    gap_rows,
    group_rows,
    measure_row,
    school_source,
)
from partnership.outcomes.analysis.flags import Flag, flags_for
from partnership.outcomes.models import FIGURES_GENERATION

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


# --- computed once ------------------------------------------------------------------------------

FIGURES = FIGURES_GENERATION


def cached_school_outcomes(school: Any, year: int, view: Viewpoint) -> SchoolOutcomes:
    """`school_outcomes`, computed once per school, year and viewpoint until results, national
    figures or the school change (`outcomes.services.figures_changed`)."""
    return memo.cached(FIGURES, ("school", school.pk, year, view), lambda: school_outcomes(school, year, view))


def board_key(
    schools: Sequence[Any], year: int, threshold: int, school_thresholds: dict[int, int], unsuppressed: frozenset[int]
) -> tuple[Any, ...]:
    """What a board's figures depend on besides the data behind the generation: the member schools,
    the year, the thresholds and whose small groups the viewer may see. Charts and the RAB pack made
    from the board are cached under it too."""
    return (
        "board",
        tuple(s.pk for s in schools),
        year,
        threshold,
        tuple(sorted(school_thresholds.items())),
        tuple(sorted(unsuppressed)),
    )


def cached_partnership_outcomes(
    schools: Sequence[Any],
    year: int,
    *,
    threshold: int,
    school_thresholds: dict[int, int],
    unsuppressed: frozenset[int],
) -> PartnershipOutcomes:
    """`partnership_outcomes` for a board, computed once per set of member schools, year,
    thresholds and viewer's own school (whose small groups they may see), until the data changes.
    Membership and thresholds are in the key, so joining, leaving or a new threshold never shows
    an old board."""
    return memo.cached(
        FIGURES,
        board_key(schools, year, threshold, school_thresholds, unsuppressed),
        lambda: partnership_outcomes(
            schools,
            year,
            threshold=threshold,
            school_thresholds=school_thresholds,
            sees_unsuppressed=unsuppressed.__contains__,
        ),
    )
