"""Flags for the board: below national, a significant fall, a significantly widening gap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from partnership.outcomes import stats
from partnership.outcomes.analysis.counts import year_text
from partnership.outcomes.analysis.figures import GapRow, MeasureRow

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
    "falling": "Falling over three years",
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
    trend or gap in a handful of pupils is noise, not something to act on. A fall or a widening gap
    flags only when it is significant (`stats.describe_change`): a large change too few pupils can
    confirm is described on the board but not flagged."""
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
        if row.trend and row.trend.kind == "falling" and all(_big_enough(f, threshold) for _, f in row.history):
            first, last = row.history[0][1], row.history[-1][1]
            found.append(
                Flag(
                    "falling",
                    school_id,
                    m.key,
                    f"{school_name}: {m.label} is {row.trend.words}, from {stats.format_pct(first.percentage)} "
                    f"in {year_text(row.history[0][0])} to {stats.format_pct(last.percentage)} in {year_text(year)}.",
                )
            )
    if disadvantaged_gaps is not None:
        for m, gap, change in disadvantaged_gaps.by_measure:
            if change and change.kind == "widening" and gap is not None and gap < 0:
                found.append(
                    Flag(
                        "gap",
                        school_id,
                        m.key,
                        f"{school_name}: the disadvantaged gap in {m.label} is {change.words}, "
                        f"to {stats.format_pct(gap).rstrip('%')} percentage points in {year_text(year)}.",
                    )
                )
    return found
