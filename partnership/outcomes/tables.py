"""The outcome tables as rows, shared by the Excel export, the PDF pack and the chart data tables.

Each table is (title, header, rows). A suppressed figure has no numbers at all, only its label
("fewer than 6 pupils"), so nothing hidden on a page can be recovered from an export.
Percentages are rounded to one decimal place here, for spreadsheets.
"""

from __future__ import annotations

from typing import Any

from partnership.outcomes import stats
from partnership.outcomes.analysis import (
    FLAG_KINDS,
    PartnershipOutcomes,
    SchoolOutcomes,
    TrackingCell,
    year_text,
)

Table = tuple[str, list[str], list[list[Any]]]

NO_RESULTS: Table = ("Outcomes", ["Outcomes"], [["No results have been imported yet."]])
FIGURE_HEADER = ["%", "Pupils", "95% interval low", "95% interval high"]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def change_words(change: stats.Change | None) -> str:
    """A change in the same words as the pages (`stats.describe_change`); blank when none is shown."""
    return change.words if change else ""


def figure_cells(figure: stats.Figure) -> list[Any]:
    if figure.suppressed:
        return [figure.label, None, None, None]
    return [_round(figure.percentage), figure.denominator, _round(figure.low), _round(figure.high)]


def school_tables(outcomes: SchoolOutcomes, tracking: dict[int, list[TrackingCell]] | None = None) -> list[Table]:
    year = year_text(outcomes.year)
    measures: list[list[Any]] = []
    for row in outcomes.rows:
        history = [_round(f.percentage) if not f.suppressed else f.label for _, f in row.history]
        measures.append(
            [
                row.measure.label,
                row.measure.statistic,
                *figure_cells(row.figure),
                row.figure.national,
                row.figure.verdict_label,
                *history,
                change_words(row.trend),
                *(figure_cells(row.higher)[:2] if row.higher else [None, None]),
                row.higher.national if row.higher else None,
            ]
        )
    history_header = [f"% {year_text(y)}" for y in range(outcomes.year - 2, outcomes.year + 1)]
    tables: list[Table] = [
        (
            f"Measures {year}",
            [
                "Measure",
                "Statistic",
                *FIGURE_HEADER,
                "National %",
                "Compared with national",
                *history_header,
                "Three-year change",
                "% higher standard",
                "Pupils (higher)",
                "National % higher",
            ],
            measures,
        )
    ]
    group_rows = []
    for group in outcomes.groups:
        for measure, figure in group.figures:
            group_rows.append([group.group.label, measure.label, *figure_cells(figure), figure.national])
    tables.append((f"Groups {year}", ["Group", "Measure", *FIGURE_HEADER, "National % (all pupils)"], group_rows))
    gap_rows = []
    for gap in outcomes.gaps:
        for measure, value, change in gap.by_measure:
            gap_rows.append([gap.label, measure.label, _round(value), change_words(change)])
    tables.append((f"Gaps {year}", ["Gap", "Measure", "Percentage points", "Three-year change in the gap"], gap_rows))
    if tracking is not None:
        tables.append(tracking_table(tracking))
    return tables


def tracking_table(tracking: dict[int, list[TrackingCell]]) -> Table:
    rows = []
    for year_group, cells in sorted(tracking.items()):
        for cell in cells:
            rows.append(
                [
                    year_group_label(year_group),
                    cell.term.title(),
                    cell.subject.title(),
                    *figure_cells(cell.expected),
                    *figure_cells(cell.greater_depth)[:2],
                ]
            )
    return (
        "In-year tracking",
        ["Year group", "Term", "Subject", "% expected or above", "Pupils", "Low", "High", "% greater depth", "Pupils"],
        rows,
    )


def year_group_label(year_group: int) -> str:
    return {-1: "Nursery", 0: "Reception"}.get(year_group, f"Year {year_group}")


def partnership_tables(outcomes: PartnershipOutcomes, partnership_name: str) -> list[Table]:
    year = year_text(outcomes.year)
    header = [
        "School",
        "Measure",
        *FIGURE_HEADER,
        "National %",
        "Compared with national",
        "Three-year change",
        "Disadvantaged gap (points)",
    ]
    rows: list[list[Any]] = []
    for column in outcomes.schools:
        for measure in outcomes.measures:
            row = column.rows[measure.key]
            rows.append(
                [
                    column.school.name,
                    measure.label,
                    *figure_cells(row.figure),
                    row.figure.national,
                    row.figure.verdict_label,
                    change_words(row.trend),
                    _round(column.disadvantaged_gap[measure.key]),
                ]
            )
    for measure in outcomes.measures:
        row = outcomes.partnership[measure.key]
        rows.append(
            [
                f"{partnership_name} (all schools)",
                measure.label,
                *figure_cells(row.figure),
                row.figure.national,
                row.figure.verdict_label,
                change_words(row.trend),
                _round(outcomes.partnership_gap[measure.key]),
            ]
        )
    flags = [[flag_kind_label(f.kind), f.text] for f in outcomes.flags]
    return [(f"Schools {year}", header, rows), ("Flags", ["Flag", "Detail"], flags)]


def flag_kind_label(kind: str) -> str:
    return FLAG_KINDS[kind]
