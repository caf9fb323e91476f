"""What a viewer of a Raising Achievement Board can work out: no hidden figure, exactly.

The board shows, for one measure and year, every school's figure for every pupil group and the
partnership's. The viewer knows every shown number (pupils, and pupils meeting the measure) and every
relation between them: within a school or the partnership, the groups that add up (all pupils =
disadvantaged + not; SEN = SEN support + EHC plan...); across the board, the schools adding up to the
partnership, group by group. A hidden figure is worked out exactly when those linear equations fix
its value: when its unit vector lies in the row space of the equations restricted to the hidden
unknowns, that is when every solution of the homogeneous system leaves it unchanged (its row of a
null-space basis is zero). The check here uses scipy's null space, independently of the exact
arithmetic in `outcomes/stats.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import null_space

from partnership.outcomes import stats
from partnership.outcomes.analysis import (
    GROUPS,
    MEASURE_BY_KEY,
    PARTITIONS,
    Counts,
    Viewpoint,
    board_sources,
    school_source,
)

YEAR = 2024
MEASURE = MEASURE_BY_KEY["ks2_rwm"]
GROUP_KEYS = [g.key for g in GROUPS]


@dataclass(frozen=True)
class Pupil:
    disadvantaged: bool
    sen: str  # "N" none, "K" SEN support, "E" EHC plan
    eal: bool
    girl: bool
    summer_born: bool
    met: bool

    def groups(self) -> set[str]:
        found = {"all"}
        found.add("disadvantaged" if self.disadvantaged else "not_disadvantaged")
        found |= {"N": {"no_sen"}, "K": {"sen", "sen_support"}, "E": {"sen", "ehcp"}}[self.sen]
        found.add("eal" if self.eal else "not_eal")
        found.add("girls" if self.girl else "boys")
        found.add("summer_born" if self.summer_born else "not_summer_born")
        return found


def counts_of(pupils: list[Pupil]) -> dict[str, Counts]:
    counts = {g: Counts() for g in GROUP_KEYS}
    for pupil in pupils:
        for group in pupil.groups():
            counts[group] = counts[group] + Counts(1, int(pupil.met), 0)
    return counts


pupils = st.builds(
    Pupil,
    disadvantaged=st.booleans(),
    sen=st.sampled_from("NKE"),
    eal=st.booleans(),
    girl=st.booleans(),
    summer_born=st.booleans(),
    met=st.booleans(),
)


def relations(columns: int) -> list[tuple[tuple[int, str], list[tuple[int, str]]]]:
    """Every (whole, parts) the viewer knows holds: columns 0..columns-2 are schools, the last is the
    partnership."""
    partnership = columns - 1
    within = [
        ((c, parent), [(c, child) for child in children]) for c in range(columns) for parent, children in PARTITIONS
    ]
    across = [((partnership, g), [(c, g) for c in range(partnership)]) for g in GROUP_KEYS]
    return within + across


def worked_out(known: dict[tuple[int, str], int | None], truth: dict[tuple[int, str], int], columns: int) -> set:
    """The hidden cells (value None in `known`) whose value the equations fix."""
    cells = [(c, g) for c in range(columns) for g in GROUP_KEYS]
    index = {cell: i for i, cell in enumerate(cells)}
    matrix = np.zeros((len(relations(columns)), len(cells)))
    for row, (whole, parts) in enumerate(relations(columns)):
        matrix[row, index[whole]] = 1
        for part in parts:
            matrix[row, index[part]] -= 1
    # The modelled relations do hold for the real figures, and the shown figures are the real ones.
    assert not (matrix @ np.array([truth[cell] for cell in cells])).any()
    assert all(known[cell] in (None, truth[cell]) for cell in cells)
    hidden = [cell for cell in cells if known[cell] is None]
    if not hidden:
        return set()
    free = null_space(matrix[:, [index[cell] for cell in hidden]])
    if free.size == 0:
        return set(hidden)
    return {cell for cell, row in zip(hidden, free, strict=True) if np.abs(row).max() < 1e-9}


def shown(source, group: str) -> tuple[int | None, int | None]:
    figure = source.figure(YEAR, MEASURE, group, None)
    return figure.denominator, figure.numerator


def check_board(cohorts: list[list[Pupil]], thresholds: list[int], threshold: int, own: int | None) -> dict:
    """Build the board as the dashboard does, check everything a viewer sees of it, and return the
    figures shown: (pupils, meeting) or (None, None) by (column, group), the partnership last."""
    schools = len(cohorts)
    counts = [counts_of(cohort) for cohort in cohorts]
    table = {(i, YEAR, MEASURE.key, g): c for i, by_group in enumerate(counts) for g, c in by_group.items() if c.n}
    views = [Viewpoint(threshold=t, show_small=i == own) for i, t in enumerate(thresholds)]
    sources, partnership = board_sources(table, list(range(schools)), views, Viewpoint(threshold=threshold))
    columns = schools + 1
    whole = {g: sum((c[g] for c in counts), Counts()) for g in GROUP_KEYS}
    all_counts = [*counts, whole]

    figures = {(c, g): shown(source, g) for c, source in enumerate([*sources, partnership]) for g in GROUP_KEYS}
    # A partnership figure whose every school's figure is shown is their sum: the viewer knows it even
    # when it stays hidden (a small group all at the viewer's own school), so it counts as known.
    known_anyway = {
        (schools, g): tuple(sum(figures[c, g][i] for c in range(schools)) for i in (0, 1))
        for g in GROUP_KEYS
        if all(figures[c, g][0] is not None for c in range(schools))
    }
    for quantity, pick in (("pupils", 0), ("meeting the measure", 1)):
        known = {cell: pair[pick] for cell, pair in (figures | known_anyway).items()}
        truth = {
            (c, g): (all_counts[c][g].n, all_counts[c][g].expected)[pick] for c in range(columns) for g in GROUP_KEYS
        }
        leaks = worked_out(known, truth, columns)
        board = {c: {g: (all_counts[c][g].n, all_counts[c][g].expected) for g in GROUP_KEYS} for c in range(columns)}
        assert not leaks, f"hidden {quantity} worked out: {sorted(leaks)}; (pupils, meeting) by column: {board}"

    for c in range(schools):
        # A school is shown on the board exactly as on its own page, to the same viewer ...
        page = school_source(table, c, views[c])
        assert {g: shown(page, g) for g in GROUP_KEYS} == {g: figures[c, g] for g in GROUP_KEYS}
        # ... and only its own staff see its small groups.
        if c != own:
            assert all(figures[c, g] == (None, None) for g in GROUP_KEYS if 0 < counts[c][g].n < thresholds[c])
    # A small partnership group is always hidden, even when all its pupils are at the viewer's own school.
    assert all(figures[schools, g] == (None, None) for g in GROUP_KEYS if 0 < whole[g].n < threshold)
    return figures


@settings(max_examples=400, deadline=None)
@given(
    cohorts=st.lists(st.lists(pupils, max_size=24), min_size=1, max_size=4),
    data=st.data(),
    threshold=st.integers(6, 8),
)
def test_no_hidden_figure_on_a_board_can_be_worked_out(cohorts, data, threshold):
    """Random boards of 1-4 schools, 0-24 pupils each (so many groups of 0-10), each school's threshold at
    least the partnership's, seen by an outsider or by the staff of one school."""
    thresholds = [data.draw(st.integers(threshold, threshold + 3), label="school threshold") for _ in cohorts]
    own = data.draw(st.sampled_from([None, *range(len(cohorts))]), label="viewer's own school")
    check_board(cohorts, thresholds, threshold, own)


def boys(sen: str, count: int) -> list[Pupil]:
    return [Pupil(False, sen, False, False, False, False) for _ in range(count)]


def hidden_in(figures: dict, column: int) -> set[str]:
    return {g for g in GROUP_KEYS if figures[column, g] == (None, None)}


def test_a_total_that_is_the_sum_of_shown_schools_does_not_protect_anything():
    """Six SEN support pupils and two with no SEN at one school, one pupil with an EHC plan at another.
    The partnership's EHC plan total (1) is hidden. Hiding its SEN support total (6) beside it protected
    nothing, since both schools show theirs (6 and none), so SEN 7 minus 6 gave the 1 away: the SEN
    total is hidden instead, and with it no SEN (else all pupils minus no SEN would give SEN back)."""
    figures = check_board([boys("K", 6) + boys("N", 2), boys("E", 1)], [6, 6], 6, None)
    assert hidden_in(figures, 0) == {"sen", "ehcp", "no_sen"}  # the school's 2 with no SEN
    assert figures[1, "sen_support"] == figures[1, "no_sen"] == (0, 0)  # the other shows only its nones
    assert {"ehcp", "sen", "no_sen"} <= hidden_in(figures, 2)
    assert figures[2, "sen_support"] == (6, 0)
    # The lone pupil's school hides its "all pupils", so the partnership's does too (9 minus 8 would give it).
    assert "all" in hidden_in(figures, 1) and "all" in hidden_in(figures, 2)


def test_a_chain_across_schools_and_groups_gives_nothing_away():
    """Three SEN support pupils and two with no SEN at one school, three SEN support pupils at another:
    every group is small, so each school hides all it has. The partnership hid its 2 no-SEN pupils, its
    SEN total and (for form) its EHC plan total, but showed SEN support (6): both schools show no EHC
    plans, so SEN = SEN support + 0, all pupils (8) minus SEN gave the 2 with no SEN, and with the other
    school's none, the first school's 2. SEN support is hidden now, and the EHC plan total, known to be
    none anyway, is shown."""
    figures = check_board([boys("K", 3) + boys("N", 2), boys("K", 3)], [6, 6], 6, None)
    assert hidden_in(figures, 0) == {"all", "not_disadvantaged", "sen", "sen_support", "no_sen"} | {
        "not_eal",
        "boys",
        "not_summer_born",
    }
    assert figures[2, "all"] == (8, 0) and figures[2, "ehcp"] == (0, 0)
    assert {"no_sen", "sen", "sen_support"} <= hidden_in(figures, 2)


def test_the_exact_arithmetic_agrees_with_scipy_for_every_set_of_hidden_groups():
    """`stats` works modulo a prime, which is exact only because every matrix it reduces has entries -1,
    0 or 1: check that for each of the 2**13 sets of hidden groups of one school, its free directions
    are of that form, satisfy the partitions and are as many as the null space has dimensions, and that
    the groups it finds worked out are those scipy finds."""
    layout = stats._layout(tuple(GROUP_KEYS), PARTITIONS)
    matrix = np.array(layout.equations, dtype=float)
    for mask in range(1 << len(GROUP_KEYS)):
        hidden = frozenset(g for i, g in enumerate(GROUP_KEYS) if mask >> i & 1)
        directions = np.array(stats._null_space(layout, hidden), dtype=float).reshape(-1, len(GROUP_KEYS))
        columns = [i for i, g in enumerate(GROUP_KEYS) if g in hidden]
        free = null_space(matrix[:, columns]) if columns else np.zeros((0, 0))
        assert set(np.unique(directions)) <= {-1.0, 0.0, 1.0}
        assert not (directions @ matrix.T).any()
        assert len(directions) == free.shape[1]
        fixed = {GROUP_KEYS[c] for c, row in zip(columns, free, strict=True) if np.abs(row).max(initial=0) < 1e-9}
        assert set(stats._worked_out_in_column(layout, set(hidden))) == fixed, sorted(hidden)
