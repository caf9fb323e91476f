"""Flags for the board: below national, falling, widening gap."""

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
