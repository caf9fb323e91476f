"""Honest statistics for small cohorts: the only place the outcome numbers are worked out (C5).

Pure functions with no Django imports, so they are easy to test and reuse (pages, API, exports,
PDFs all call these). See DOMAIN.md "Honest statistics for small cohorts":

- always show the cohort size and a 95% Wilson interval;
- compare with national using an exact two-sided binomial test;
- suppress figures for fewer than 6 pupils whenever they are shown outside the pupils' own school;
- describe a change over three years as rising or falling only when a two-proportion test on the
  counts says so, and say when a large change is too uncertain to call (`describe_change`).

Conventions: the interval and test functions take and return *fractions* (0-1); a `Figure` holds
*percentages* (0-100) because that is how every page shows them. Rounding happens only for
display, in `format_pct`; nothing else rounds.

The exact binomial and hypergeometric sums are computed here rather than with scipy so that
production does not depend on scipy; the tests cross-check every function against scipy.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from statistics import NormalDist
from typing import Literal

Verdict = Literal["above", "in line", "below"]

VERDICT_LABELS: dict[str, str] = {
    "above": "above national",
    "in line": "in line with national",
    "below": "below national",
}

DEFAULT_SUPPRESSION_THRESHOLD = 6

# scipy's binomtest treats probabilities within this relative error of the observed one as
# "as likely", so ties are not lost to floating point. Same value here so the p-values agree.
_RELATIVE_ERROR = 1 + 1e-7
# A tail sum stops once a term adds less than this share of the running total.
_NEGLIGIBLE = 1e-18


def _check(successes: int, n: int) -> None:
    if n < 0:
        raise ValueError("n must not be negative.")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n.")


# --- confidence intervals -------------------------------------------------------------------


@lru_cache(maxsize=16)
def _z(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level (1.959964 for 95%)."""
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion, as fractions (low, high).

        p = k/n, z = the normal quantile for the confidence level,
        centre = (p + z^2 / 2n) / (1 + z^2 / n)
        half   = z / (1 + z^2 / n) * sqrt(p(1 - p) / n + z^2 / 4n^2)

    Unlike the textbook "p +/- 1.96 SE" it never leaves [0, 1] and is not zero-width at 0 of n or
    n of n. With no pupils (n = 0) nothing is known: (0.0, 1.0).
    """
    _check(successes, n)
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1.")
    if n == 0:
        return 0.0, 1.0
    z = _z(confidence)
    p_hat = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p_hat + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p_hat * (1 - p_hat) / n + z2 / (4 * n * n))
    low = 0.0 if successes == 0 else min(max(centre - half, 0.0), p_hat)
    high = 1.0 if successes == n else max(min(centre + half, 1.0), p_hat)
    return low, high


def clopper_pearson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Clopper-Pearson ("exact") interval as fractions (low, high): the proportions p for which the
    observed count is not in either alpha/2 tail. Conservative (wider than Wilson); shown for
    comparison with published tables. With n = 0: (0.0, 1.0)."""
    _check(successes, n)
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1.")
    if n == 0:
        return 0.0, 1.0
    half_alpha = (1 - confidence) / 2
    p_hat = successes / n
    # P(X >= k | p) rises with p; P(X <= k | p) falls with p. Solve each by bisection.
    low = 0.0 if successes == 0 else _bisect(lambda p: _upper_tail(successes, n, p) - half_alpha, 0.0, p_hat)
    high = 1.0 if successes == n else _bisect(lambda p: half_alpha - _lower_tail(successes, n, p), p_hat, 1.0)
    return low, high


def _bisect(increasing: Callable[[float], float], low: float, high: float) -> float:
    """Root of an increasing function on [low, high], to floating-point resolution."""
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if increasing(middle) < 0:
            low = middle
        else:
            high = middle
    return (low + high) / 2


# --- exact binomial test ----------------------------------------------------------------------


def _log_pmf(k: int, n: int, p: float) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)


def _pmf(k: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 1.0 if k == 0 else 0.0
    if p >= 1.0:
        return 1.0 if k == n else 0.0
    return math.exp(_log_pmf(k, n, p))


def _mode(n: int, p: float) -> int:
    return min(int((n + 1) * p), n)


def _sum_down(k: int, n: int, p: float) -> float:
    """P(X <= k), summing from k downwards; accurate when k is at or below the mode."""
    term = _pmf(k, n, p)
    total = 0.0
    ratio_base = (1 - p) / p
    for i in range(k, -1, -1):
        total += term
        if i == 0 or term <= total * _NEGLIGIBLE:
            break
        term *= i * ratio_base / (n - i + 1)  # pmf(i - 1) from pmf(i)
    return total


def _sum_up(k: int, n: int, p: float) -> float:
    """P(X >= k), summing from k upwards; accurate when k is at or above the mode."""
    term = _pmf(k, n, p)
    total = 0.0
    ratio_base = p / (1 - p)
    for i in range(k, n + 1):
        total += term
        if i == n or term <= total * _NEGLIGIBLE:
            break
        term *= (n - i) * ratio_base / (i + 1)  # pmf(i + 1) from pmf(i)
    return total


def _lower_tail(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n or p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    if k <= _mode(n, p):
        return min(_sum_down(k, n, p), 1.0)
    return max(1.0 - _sum_up(k + 1, n, p), 0.0)


def _upper_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    if k >= _mode(n, p):
        return min(_sum_up(k, n, p), 1.0)
    return max(1.0 - _sum_down(k - 1, n, p), 0.0)


def binomial_p_value(successes: int, n: int, p: float) -> float:
    """Exact two-sided binomial test of `successes` out of `n` against proportion `p` (a fraction).

    The p-value is the total probability of every outcome no more likely than the one observed
    (the "minimum likelihood" method, as scipy.stats.binomtest and R's binom.test). With n = 0
    there is no evidence either way: 1.0.
    """
    _check(successes, n)
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be a fraction between 0 and 1.")
    if n == 0:
        return 1.0
    if p == 0.0:
        return 1.0 if successes == 0 else 0.0
    if p == 1.0:
        return 1.0 if successes == n else 0.0
    expected = n * p
    if successes == expected:
        return 1.0
    threshold = _pmf(successes, n, p) * _RELATIVE_ERROR
    if successes < expected:
        # The pmf falls on [ceil(np), n]: find the first outcome there no more likely than ours.
        low, high = math.ceil(expected), n + 1
        while low < high:
            middle = (low + high) // 2
            if _pmf(middle, n, p) <= threshold:
                high = middle
            else:
                low = middle + 1
        other_tail = _sum_up(low, n, p) if low <= n else 0.0
        value = _sum_down(successes, n, p) + other_tail
    else:
        # The pmf rises on [0, floor(np)]: find the last outcome there no more likely than ours.
        low, high = -1, math.floor(expected)
        while low < high:
            middle = (low + high + 1) // 2
            if _pmf(middle, n, p) <= threshold:
                low = middle
            else:
                high = middle - 1
        other_tail = _sum_down(low, n, p) if low >= 0 else 0.0
        value = _sum_up(successes, n, p) + other_tail
    return min(value, 1.0)


def verdict(successes: int, n: int, national_fraction: float, alpha: float = 0.05) -> Verdict:
    """ "above", "in line" or "below" national: significantly different only when the exact
    two-sided p-value is below `alpha`. Show it with `VERDICT_LABELS`."""
    if binomial_p_value(successes, n, national_fraction) >= alpha:
        return "in line"
    return "above" if successes / n > national_fraction else "below"


# --- suppression and figures ------------------------------------------------------------------


def suppress(n: int, threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> bool:
    """True when a group of `n` pupils is too small to show outside the pupils' own school."""
    return n < threshold


def hidden_parts_revealed(hidden_sizes: Sequence[int], threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> bool:
    """True when the parts hidden from a total that is shown can be worked out from it (complementary
    suppression over sets). The viewer knows the total minus the shown parts, which is the sum of the
    hidden ones: one hidden part is then known exactly, and several hidden parts that together hold fewer
    than `threshold` pupils are a small group in their own right (three schools' EHCP pupils, 1 + 1 + 2,
    all meeting the standard). Either way more must be hidden: the total, or one more part."""
    return len(hidden_sizes) == 1 or (len(hidden_sizes) > 1 and sum(hidden_sizes) < threshold)


# --- suppression over a board of groups and schools ---------------------------------------------
#
# A board is columns (schools, then the partnership as a whole) by pupil groups. The viewer knows
# every shown figure and every relation: within a column the groups that add up (a whole is the sum
# of its parts: all pupils = disadvantaged + not), and across the board the schools adding up to the
# partnership, group by group. Those are linear equations in the hidden figures; a hidden figure is
# worked out exactly when they fix its value, i.e. when its unit vector lies in the row space of the
# equations restricted to the hidden unknowns. Pupils, pupils meeting a measure and pupils at the
# higher standard obey the same equations with the same figures hidden, so one check covers them all.
#
# The arithmetic is exact, over the integers modulo a prime. Every matrix reduced here has entries
# -1, 0 or 1 (`_null_space` checks it) and at most 14 columns, so by Hadamard's bound every minor is
# at most 14**7 in size, far below the prime: a minor is zero modulo the prime exactly when it is
# zero, so ranks and solvability are those over the rationals.

Partition = tuple[str, tuple[str, ...]]  # a whole and the parts it is the sum of
_PRIME = 2**61 - 1


def _echelon(rows: list[list[int]], width: int) -> tuple[list[list[int]], list[int]]:
    """Reduced row echelon form (modulo `_PRIME`) on the first `width` columns; columns after them
    (right-hand sides) are carried along. Returns the rows and the pivot columns, in order."""
    rows = [[value % _PRIME for value in row] for row in rows]
    pivots: list[int] = []
    for column in range(width):
        rank = len(pivots)
        found = next((i for i in range(rank, len(rows)) if rows[i][column]), None)
        if found is None:
            continue
        rows[rank], rows[found] = rows[found], rows[rank]
        inverse = pow(rows[rank][column], -1, _PRIME)
        pivot_row = [value * inverse % _PRIME for value in rows[rank]]
        rows[rank] = pivot_row
        for i, row in enumerate(rows):
            if i != rank and row[column]:
                factor = row[column]
                rows[i] = [(a - factor * b) % _PRIME for a, b in zip(row, pivot_row, strict=True)]
        pivots.append(column)
        if len(pivots) == len(rows):
            break
    return rows, pivots


def _solvable(rows: list[list[int]], width: int, targets: int) -> list[list[int] | None]:
    """For rows [A | B] with `targets` right-hand-side columns B: for each column b of B, whether A x = b
    has a solution, and if so the columns of A that one solution uses (None when it has none)."""
    reduced, pivots = _echelon(rows, width)
    found: list[list[int] | None] = []
    for j in range(width, width + targets):
        if any(row[j] for row in reduced[len(pivots) :]):
            found.append(None)
        else:
            found.append([pivot for i, pivot in enumerate(pivots) if reduced[i][j]])
    return found


@dataclass(frozen=True, eq=False)  # one per (groups, partitions), from `_layout`: hashed by identity
class _Layout:
    """The groups of a column, their index, and each partition as a row: +1 for the whole, -1 for each part."""

    groups: tuple[str, ...]
    index: dict[str, int]
    equations: tuple[tuple[int, ...], ...]
    headline: frozenset[str]  # wholes that are no group's part ("all pupils")


@lru_cache(maxsize=64)
def _layout(groups: tuple[str, ...], partitions: tuple[Partition, ...]) -> _Layout:
    index = {group: i for i, group in enumerate(groups)}
    equations = []
    for whole, parts in partitions:
        row = [0] * len(groups)
        row[index[whole]] = 1
        for part in parts:
            row[index[part]] = -1
        equations.append(tuple(row))
    parts_anywhere = {part for _, parts in partitions for part in parts}
    headline = frozenset(whole for whole, _ in partitions if whole not in parts_anywhere)
    return _Layout(groups, index, tuple(equations), headline)


def _preference(layout: _Layout, sizes: dict[str, int]) -> Callable[[str], tuple[bool, int, int]]:
    """The order in which to hide one more figure: never a headline total while anything else will do,
    then the smallest group, then the groups' own order."""
    return lambda group: (group in layout.headline, sizes.get(group, 0), layout.index[group])


def _worked_out_in_column(layout: _Layout, hidden: set[str]) -> dict[str, list[str]]:
    """Hidden groups of one column that its partitions fix, each with the shown groups its value is
    worked out from (in the groups' order)."""
    unknown = [g for g in layout.groups if g in hidden]
    known = [g for g in layout.groups if g not in hidden]
    order = unknown + known
    rows = [[equation[layout.index[g]] for g in order] for equation in layout.equations]
    reduced, pivots = _echelon(rows, len(order))
    found: dict[str, list[str]] = {}
    for row, pivot in zip(reduced, pivots, strict=False):
        if pivot < len(unknown) and not any(row[j] for j in range(len(unknown)) if j != pivot):
            found[unknown[pivot]] = [known[j - len(unknown)] for j in range(len(unknown), len(order)) if row[j]]
    return dict(sorted(found.items(), key=lambda item: layout.index[item[0]]))


def _close_over_sets(
    layout: _Layout,
    partitions: tuple[Partition, ...],
    sizes: dict[str, int],
    hidden: set[str],
    threshold: int,
    known: Callable[[str], bool] = lambda group: False,
) -> bool:
    """Complementary suppression over sets, in one column: a shown whole may have no hidden part, or at
    least two that together hold at least `threshold` pupils (`hidden_parts_revealed`); otherwise one
    more part is hidden (the smallest), or when every part is hidden, the whole. A hidden whole whose
    parts are all shown has a part hidden. Groups the viewer knows anyway (`known`) are hidden for this
    only when nothing else will do, since hiding them protects nothing. True when anything was hidden."""
    prefer = _preference(layout, sizes)
    added = False
    changed = True
    while changed:
        changed = False
        for whole, parts in partitions:
            hidden_sizes = [sizes.get(part, 0) for part in parts if part in hidden]
            if whole in hidden:
                revealed = not hidden_sizes
            else:
                revealed = hidden_parts_revealed(hidden_sizes, threshold)
            if not revealed:
                continue
            shown = sorted((p for p in parts if p not in hidden), key=prefer)
            whole_shown = [] if whole in hidden else [whole]
            candidates = [p for p in shown if not known(p)] + [w for w in whole_shown if not known(w)]
            candidates += [p for p in shown if known(p)] + [w for w in whole_shown if known(w)]
            hidden.add(candidates[0])
            changed = added = True
    return added


def _choose(
    candidates: list[str],
    headline: frozenset[str],
    still_worked_out: Callable[[set[str]], bool],
    involved: Sequence[str],
) -> str:
    """Which candidate to hide so that a figure can no longer be worked out: the first (in order of
    preference) that is enough alone; else, while hiding other groups than headlines could be enough,
    the first of those the working-out uses; a headline total only when nothing else will do."""
    others = [c for c in candidates if c not in headline]
    for candidate in others:
        if not still_worked_out({candidate}):
            return candidate
    if others and not still_worked_out(set(others)):
        return next((c for c in others if c in involved), others[0])
    for candidate in candidates:
        if not still_worked_out({candidate}):
            return candidate
    return next((c for c in candidates if c in involved), candidates[0])


def hidden_in_column(sizes: dict[str, int], partitions: Sequence[Partition], threshold: int) -> frozenset[str]:
    """The groups of one school to hide from anyone but its own staff, given the pupils in each group
    (every group of the partitions, in a fixed order). Groups of 1 to threshold-1 pupils are hidden,
    and then, until nothing changes: complementary suppression over sets (`_close_over_sets`),
    and, while any hidden group could be worked out exactly from the shown ones and the partitions,
    one more group hidden (`_choose`: the smallest that stops it, never the headline "all pupils"
    unless nothing else will). Deterministic: the same sizes always hide the same groups."""
    return _hidden_in_column(tuple(sizes.items()), tuple(partitions), threshold)


@lru_cache(maxsize=4096)
def _hidden_in_column(
    sizes_items: tuple[tuple[str, int], ...], partitions: tuple[Partition, ...], threshold: int
) -> frozenset[str]:
    sizes = dict(sizes_items)
    layout = _layout(tuple(sizes), partitions)
    hidden = {g for g, n in sizes.items() if 0 < n < threshold}
    while True:
        _close_over_sets(layout, partitions, sizes, hidden, threshold)
        worked_out = _worked_out_in_column(layout, hidden)
        if not worked_out:
            return frozenset(hidden)
        target, involved = next(iter(worked_out.items()))
        candidates = sorted((g for g in layout.groups if g not in hidden), key=_preference(layout, sizes))

        def still_worked_out(more: set[str], target: str = target) -> bool:
            return target in _worked_out_in_column(layout, hidden | more)

        hidden.add(_choose(candidates, layout.headline, still_worked_out, involved))


@lru_cache(maxsize=4096)
def _null_space(layout: _Layout, hidden: frozenset[str]) -> tuple[tuple[int, ...], ...]:
    """A basis of the ways one column's hidden figures can change together and still add up (vectors
    over all the groups, zero where shown): the free directions of its partitions."""
    unknown = [g for g in layout.groups if g in hidden]
    rows = [[equation[layout.index[g]] for g in unknown] for equation in layout.equations]
    reduced, pivots = _echelon(rows, len(unknown))
    basis = []
    for free in (j for j in range(len(unknown)) if j not in pivots):
        vector = [0] * len(layout.groups)
        vector[layout.index[unknown[free]]] = 1
        for i, pivot in enumerate(pivots):
            value = -reduced[i][free] % _PRIME
            value = value - _PRIME if value > _PRIME // 2 else value
            if value not in (-1, 0, 1):  # the partitions form a tree, so this cannot happen
                raise ValueError("Partitions whose free directions are not -1, 0 or 1.")
            vector[layout.index[unknown[pivot]]] = value
        basis.append(tuple(vector))
    return tuple(basis)


class _Board:
    """The schools' hidden figures (fixed: each school is hidden as on its own page) and what a set of
    hidden partnership figures lets the viewer work out, by the structure of the equations: a school's
    figures can move only along its own free directions (`_null_space`), and a shown partnership figure
    for a group fixes the sum of the schools' moves in that group. So a hidden partnership figure for
    group g is worked out when, for every school's free direction d, d[g] is the same combination of
    d[h] over the shown partnership groups h; a hidden school figure when its school's free directions
    meet that test against its own group and every other school's directions are combinations summing
    to zero there. Schools hidden alike (the same groups) are one pattern: a figure of a school whose
    pattern another school shares can always be offset by that school, so is never worked out."""

    def __init__(self, layout: _Layout, hidden_by_school: Sequence[frozenset[str]]) -> None:
        self.layout = layout
        self.patterns: dict[frozenset[str], list[int]] = {}
        for school, hidden in enumerate(hidden_by_school):
            if hidden:
                self.patterns.setdefault(hidden, []).append(school)
        self.order = list(self.patterns)
        self.directions = {pattern: _null_space(layout, pattern) for pattern in self.order}
        width = len(layout.groups)
        every = [list(d) for pattern in self.order for d in self.directions[pattern]]
        self.spanned, _ = _echelon(every, width) if every else ([], [])
        # The directions of every pattern but one, for the patterns that only one school has.
        before: list[list[list[int]]] = [[]]
        for pattern in self.order:
            rows = before[-1] + [list(d) for d in self.directions[pattern]]
            before.append(self._basis(rows))
        after: list[list[list[int]]] = [[]]
        for pattern in reversed(self.order):
            rows = after[-1] + [list(d) for d in self.directions[pattern]]
            after.append(self._basis(rows))
        after.reverse()
        self.others = {
            pattern: self._basis(before[i] + after[i + 1])
            for i, pattern in enumerate(self.order)
            if len(self.patterns[pattern]) == 1
        }

    def _basis(self, rows: list[list[int]]) -> list[list[int]]:
        reduced, pivots = _echelon(rows, len(self.layout.groups))
        return reduced[: len(pivots)]

    def worked_out(self, hidden_total: set[str]) -> dict[tuple[int | None, str], list[str]]:
        """Hidden figures the viewer can work out, as (school or None for the partnership, group), each
        with the shown partnership groups used; partnership figures first, then schools, in order."""
        index = self.layout.index
        shown = [g for g in self.layout.groups if g not in hidden_total]
        hidden = [g for g in self.layout.groups if g in hidden_total]
        found: dict[tuple[int | None, str], list[str]] = {}
        rows = [[row[index[g]] for g in shown] + [row[index[g]] for g in hidden] for row in self.spanned]
        for group, used in zip(hidden, _solvable(rows, len(shown), len(hidden)) if rows else [], strict=True):
            if used is not None:
                found[(None, group)] = [shown[j] for j in used]
        if not rows:
            found.update({(None, group): [] for group in hidden})
        for pattern, others in self.others.items():
            (school,) = self.patterns[pattern]
            targets = [g for g in self.layout.groups if g in pattern]
            rows = [[row[index[g]] for g in shown] + [0] * len(targets) for row in others]
            rows += [[d[index[g]] for g in shown] + [d[index[g]] for g in targets] for d in self.directions[pattern]]
            for group, used in zip(targets, _solvable(rows, len(shown), len(targets)), strict=True):
                if used is not None:
                    found[(school, group)] = [shown[j] for j in used]
        return found


def hidden_in_total(
    schools: Sequence[tuple[dict[str, int], Iterable[str], int]],
    total: dict[str, int],
    partitions: Sequence[Partition],
    threshold: int,
) -> frozenset[str]:
    """The groups of a partnership total to hide, given each school as (pupils by group, the groups
    hidden from this viewer as on the school's own page, the school's threshold) and the total's
    pupils by group (every group, in a fixed order). The schools' hidden groups stay as they are, so a
    school is shown the same on every page; only the total is hidden further:

    1. every group of 1 to threshold-1 pupils is hidden;
    2. until nothing changes: a total whose schools' hidden figures are one school, or several that
       together have fewer pupils than the strictest of their thresholds, is hidden
       (`hidden_parts_revealed`); complementary suppression over sets within the total
       (`_close_over_sets`); and while any hidden figure, a school's or the total's, could be worked
       out exactly from the shown figures and the relations across the board, one more total hidden
       (`_choose`, as for a column).

    A total the viewer knows anyway (no school's figure for the group is hidden from them, so it is the
    sum of figures they see) is hidden when small or by the rule over sets (a small one is possible only
    when all its pupils are at the viewer's own school), but it protects nothing: the exact working-out
    counts it as known and never hides another total for it. Hiding every other total leaves each
    school's figures bound only by its own partitions, so the loop always ends with nothing that can
    be worked out."""
    layout = _layout(tuple(total), tuple(partitions))
    hidden_by_school = [frozenset(hidden) for _, hidden, _ in schools]
    hideable = {g for g in layout.groups if any(g in hidden for hidden in hidden_by_school)}
    hidden = {g for g in layout.groups if 0 < total[g] < threshold}
    board = _Board(layout, hidden_by_school)
    prefer = _preference(layout, total)
    while True:
        for group in layout.groups:
            if group in hidden or group not in hideable:
                continue
            parts = [(sizes[group], own) for sizes, hidden_here, own in schools if group in hidden_here]
            strictest = max([threshold] + [own for _, own in parts])
            if hidden_parts_revealed([n for n, _ in parts], strictest):
                hidden.add(group)
        if _close_over_sets(layout, tuple(partitions), total, hidden, threshold, lambda group: group not in hideable):
            continue
        worked_out = board.worked_out(hidden & hideable)
        if not worked_out:
            return frozenset(hidden)
        target, involved = next(iter(worked_out.items()))
        candidates = sorted(hideable - hidden, key=prefer)

        def still_worked_out(more: set[str], target: tuple[int | None, str] = target) -> bool:
            return target in board.worked_out((hidden | more) & hideable)

        hidden.add(_choose(candidates, layout.headline, still_worked_out, involved))


def suppressed_label(threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> str:
    return f"fewer than {threshold} pupils"


@dataclass(frozen=True)
class Figure:
    """One figure as shown: percentages 0-100, unrounded. A suppressed figure carries no numbers
    at all (not even the cohort size), only its label, so nothing can be worked back from it."""

    numerator: int | None
    denominator: int | None
    percentage: float | None
    low: float | None
    high: float | None
    national: float | None
    verdict: Verdict | None
    suppressed: bool
    label: str

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict] if self.verdict else ""


@lru_cache(maxsize=65536)
def figure_for(
    successes: int,
    n: int,
    national: float | Decimal | None = None,
    *,
    suppressed_below: int = DEFAULT_SUPPRESSION_THRESHOLD,
    show_small: bool = False,
) -> Figure:
    """The figure for `successes` of `n` pupils, with its 95% Wilson interval and, when a national
    percentage is given (e.g. 72 for 72%, as `NationalFigure.value`), the verdict against it.

    Suppressed when n < `suppressed_below` unless `show_small` (the caller decides that from the
    access policy: only the school's own staff see small groups, `access.sees_unsuppressed`).
    Cached: a dashboard asks for the same few hundred (successes, n, national) many times over,
    and a Figure is immutable.
    """
    _check(successes, n)
    national_pct = float(national) if national is not None else None
    if not show_small and suppress(n, suppressed_below):
        return Figure(None, None, None, None, None, national_pct, None, True, suppressed_label(suppressed_below))
    if n == 0:
        return Figure(0, 0, None, None, None, national_pct, None, False, "no pupils")
    low, high = wilson_interval(successes, n)
    percentage = 100 * successes / n
    outcome = verdict(successes, n, national_pct / 100) if national_pct is not None else None
    pupils = "pupil" if n == 1 else "pupils"
    return Figure(
        numerator=successes,
        denominator=n,
        percentage=percentage,
        low=100 * low,
        high=100 * high,
        national=national_pct,
        verdict=outcome,
        suppressed=False,
        label=f"{format_pct(percentage)} of {n} {pupils}",
    )


# --- gaps -----------------------------------------------------------------------------------


def percentage_gap(first: float | None, second: float | None) -> float | None:
    """first - second in percentage points; None when either is missing (suppressed)."""
    if first is None or second is None:
        return None
    return float(first) - float(second)


def figure_gap(first: Figure, second: Figure) -> float | None:
    """Gap between two figures (e.g. disadvantaged minus others) in percentage points; None when
    either side is suppressed or has no pupils, so a hidden figure cannot be worked back out."""
    if first.suppressed or second.suppressed:
        return None
    return percentage_gap(first.percentage, second.percentage)


def gap_to_national(figure: Figure) -> float | None:
    """Figure minus national in percentage points; None when suppressed or no national figure."""
    if figure.suppressed:
        return None
    return percentage_gap(figure.percentage, figure.national)


# --- three-year change ------------------------------------------------------------------------
#
# How a run of yearly figures (oldest first, normally three years) is put into words. The change is
# the latest year against the earliest, worked out from the counts (pupils meeting the measure and
# pupils counted), never from rounded percentages:
#
# - "rising" / "falling" when a two-proportion test of the earliest and latest years gives
#   p < CHANGE_ALPHA (0.05): the change is bigger than chance in cohorts of that size explains;
# - otherwise, "uncertain_up" / "uncertain_down" when the change is at least SMALL_CHANGE (5)
#   points: a large change that the cohorts are too small to confirm, and the words say so;
# - otherwise "mixed" when the three years still spread over SMALL_CHANGE points or more (up one
#   year, down the next), and "little change" only when every year is within SMALL_CHANGE points.
#
# A gap between two groups gets the same treatment on its size (`describe_gap_change`).

ChangeKind = Literal[
    "rising",
    "falling",
    "uncertain_up",
    "uncertain_down",
    "widening",
    "narrowing",
    "uncertain_widening",
    "uncertain_narrowing",
    "mixed",
    "little_change",
]
Count = tuple[int, int]  # (successes, n)

CHANGE_ALPHA = 0.05
SMALL_CHANGE = 5.0  # percentage points: a change of less than this is "little change"
_MIN_EXPECTED = 5  # the z-test needs every expected count to be at least this, else Fisher's exact
UNSURE = "too few pupils to be sure"


@dataclass(frozen=True)
class Change:
    """A change over the years as shown everywhere (pages, Excel, PDF, API, flags): `kind` for
    code, `words` for people, `points` the change in percentage points (latest minus earliest;
    for a gap, the change in its size, positive when it widened) and the test's `p_value`."""

    kind: ChangeKind
    points: float
    words: str
    p_value: float

    @property
    def significant(self) -> bool:
        return self.kind in ("rising", "falling", "widening", "narrowing")


def _log_hypergeometric(x: int, total: int, successes: int, drawn: int) -> float:
    """log P(X = x) for X the successes among `drawn` of `total`, `successes` of them successes."""

    def log_choose(n: int, k: int) -> float:
        return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)

    return log_choose(successes, x) + log_choose(total - successes, drawn - x) - log_choose(total, drawn)


def fisher_exact_p_value(k1: int, n1: int, k2: int, n2: int) -> float:
    """Fisher's exact two-sided test of k1 of n1 against k2 of n2: the total probability, with both
    margins fixed, of every table no more likely than the one observed (as scipy.stats.fisher_exact).
    """
    _check(k1, n1)
    _check(k2, n2)
    total, successes = n1 + n2, k1 + k2
    if n1 == 0 or n2 == 0 or successes in (0, total):
        return 1.0
    low, high = max(0, successes - n2), min(successes, n1)
    observed = _log_hypergeometric(k1, total, successes, n1)
    limit = observed + math.log(_RELATIVE_ERROR)
    value = sum(
        math.exp(log_p)
        for log_p in (_log_hypergeometric(x, total, successes, n1) for x in range(low, high + 1))
        if log_p <= limit
    )
    return min(value, 1.0)


def z_test_p_value(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided z-test of two proportions with the pooled standard error: the same p-value as a
    chi-square test of the 2x2 table without continuity correction."""
    _check(k1, n1)
    _check(k2, n2)
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = (k1 + k2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance == 0:
        return 1.0
    z = abs(k1 / n1 - k2 / n2) / math.sqrt(variance)
    return min(2 * NormalDist().cdf(-z), 1.0)


@lru_cache(maxsize=65536)
def two_proportion_p_value(k1: int, n1: int, k2: int, n2: int) -> float:
    """Whether k1 of n1 and k2 of n2 differ by more than chance: the z-test when every expected count
    of the 2x2 table is at least 5 (the usual rule for the normal approximation), Fisher's exact
    test otherwise (small cohorts, or results near 0% or 100%)."""
    _check(k1, n1)
    _check(k2, n2)
    total, successes = n1 + n2, k1 + k2
    if total == 0:
        return 1.0
    smallest_expected = min(n1, n2) * min(successes, total - successes) / total
    if smallest_expected >= _MIN_EXPECTED:
        return z_test_p_value(k1, n1, k2, n2)
    return fisher_exact_p_value(k1, n1, k2, n2)


def _points_text(points: float) -> str:
    """ "9 points", "1 point"; "less than 1 point" rather than "0 points" for a tiny (but significant,
    in a very large cohort) change."""
    amount = format_pct(abs(points)).rstrip("%")
    if amount == "0":
        return "less than 1 point"
    return f"{amount} point{'' if amount == '1' else 's'}"


def _percentage(successes: int, n: int) -> Fraction:
    """Exactly, so that a change of exactly SMALL_CHANGE points is never 4.9999 in floating point."""
    return Fraction(100 * successes, n)


def _usable(counts: Sequence[Count | None]) -> list[Count] | None:
    if len(counts) < 2 or any(count is None or count[1] == 0 for count in counts):
        return None
    return [count for count in counts if count is not None]


def describe_change(counts: Sequence[Count | None]) -> Change | None:
    """The change from the earliest to the latest of yearly (successes, n), oldest first, in words
    (see the rule above): "rising (up 9 points)", "down 14 points; too few pupils to be sure",
    "little change". None when fewer than two years, or any year is missing, suppressed (None) or
    has no pupils: a change is never described through a gap."""
    usable = _usable(counts)
    if usable is None:
        return None
    (k1, n1), (k2, n2) = usable[0], usable[-1]
    exact = _percentage(k2, n2) - _percentage(k1, n1)
    points = float(exact)
    p_value = two_proportion_p_value(k1, n1, k2, n2)
    direction = "up" if points > 0 else "down"
    if p_value < CHANGE_ALPHA:
        kind: ChangeKind = "rising" if points > 0 else "falling"
        return Change(kind, points, f"{kind} ({direction} {_points_text(points)})", p_value)
    if abs(exact) >= SMALL_CHANGE:
        kind = "uncertain_up" if points > 0 else "uncertain_down"
        return Change(kind, points, f"{direction} {_points_text(points)}; {UNSURE}", p_value)
    return _little(points, p_value, [_percentage(k, n) for k, n in usable])


def _little(points: float, p_value: float, values: Sequence[Fraction]) -> Change:
    if max(values) - min(values) >= SMALL_CHANGE:
        return Change("mixed", points, "up and down; little change overall", p_value)
    return Change("little_change", points, "little change", p_value)


def _adjusted_variance(successes: int, n: int) -> float:
    """Variance of a proportion estimated with one success and one failure added, so a group at 0%
    or 100% still counts as uncertain (the Agresti-Caffo adjustment)."""
    p = (successes + 1) / (n + 2)
    return p * (1 - p) / n


def gap_change_p_value(earliest: tuple[Count, Count], latest: tuple[Count, Count]) -> float:
    """Two-sided p-value for a change in the size of the gap between two groups, each year given as
    (first group, second group) counts. The gap is first minus second; its size |gap| may change by
    at most the change in the gap itself, so z = (|latest gap| - |earliest gap|) / SE, with SE the
    standard error of the change in the gap (four independent groups, `_adjusted_variance`), is a
    cautious test of widening or narrowing, also when the gap changes sign."""
    groups = [*earliest, *latest]
    for k, n in groups:
        _check(k, n)
    if any(n == 0 for _, n in groups):
        return 1.0

    def gap(pair: tuple[Count, Count]) -> float:
        (ka, na), (kb, nb) = pair
        return ka / na - kb / nb

    change = abs(gap(latest)) - abs(gap(earliest))
    se = math.sqrt(sum(_adjusted_variance(k, n) for k, n in groups))
    return min(2 * NormalDist().cdf(-abs(change) / se), 1.0)


def describe_gap_change(first: Sequence[Count | None], second: Sequence[Count | None]) -> Change | None:
    """The change in the size of a gap between two groups (first minus second), from the earliest to
    the latest year, each group as yearly (successes, n), oldest first. "widening" or "narrowing"
    only when `gap_change_p_value` < 0.05; a change of SMALL_CHANGE points or more that the groups are
    too small to confirm is "widened 9 points; too few pupils to be sure"; otherwise as
    `describe_change`, on the size of the gap (a gap of -4 that becomes +6 has grown by 2 points).
    None when either group is missing in any year."""
    a, b = _usable(first), _usable(second)
    if a is None or b is None or len(a) != len(b):
        return None
    gaps = [_percentage(ka, na) - _percentage(kb, nb) for (ka, na), (kb, nb) in zip(a, b, strict=True)]
    exact = abs(gaps[-1]) - abs(gaps[0])
    points = float(exact)
    p_value = gap_change_p_value((a[0], b[0]), (a[-1], b[-1]))
    verb = "widened" if points > 0 else "narrowed"
    if p_value < CHANGE_ALPHA:
        kind: ChangeKind = "widening" if points > 0 else "narrowing"
        return Change(kind, points, f"{kind} (by {_points_text(points)})", p_value)
    if abs(exact) >= SMALL_CHANGE:
        kind = "uncertain_widening" if points > 0 else "uncertain_narrowing"
        return Change(kind, points, f"{verb} {_points_text(points)}; {UNSURE}", p_value)
    return _little(points, p_value, [abs(gap) for gap in gaps])


# --- display ----------------------------------------------------------------------------------


def format_pct(value: float | Decimal | None, decimals: int = 0) -> str:
    """A percentage (0-100) for display, rounded half up ("64%", "45.8%"); an en dash when missing.
    The only place figures are rounded."""
    if value is None:
        return "\u2013"
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0%"
    return f"{rounded}%"
