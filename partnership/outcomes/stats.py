"""Honest statistics for small cohorts: the only place the outcome numbers are worked out (C5).

Pure functions with no Django imports, so they are easy to test and reuse (pages, API, exports,
PDFs all call these). See DOMAIN.md "Honest statistics for small cohorts":

- always show the cohort size and a 95% Wilson interval;
- compare with national using an exact two-sided binomial test;
- suppress figures for fewer than 6 pupils whenever they are shown outside the pupils' own school.

Conventions: the interval and test functions take and return *fractions* (0-1); a `Figure` holds
*percentages* (0-100) because that is how every page shows them. Rounding happens only for
display, in `format_pct`; nothing else rounds.

The exact binomial sums are computed here rather than with scipy so that production does not
depend on scipy; the tests cross-check every function against scipy.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from statistics import NormalDist
from typing import Literal

Verdict = Literal["above", "in line", "below"]
Trend = Literal["rising", "falling", "stable"]

VERDICT_LABELS: dict[str, str] = {
    "above": "above national",
    "in line": "in line with national",
    "below": "below national",
}

DEFAULT_SUPPRESSION_THRESHOLD = 6
DEFAULT_TREND_TOLERANCE = 2.0  # percentage points; see `trend`

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


# --- gaps and trends --------------------------------------------------------------------------


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


def trend(values: Sequence[float | None], tolerance: float = DEFAULT_TREND_TOLERANCE) -> Trend | None:
    """Classify a run of yearly values (oldest first, normally three years) by the signs of the
    successive differences:

    - a difference counts as up (or down) only when it is more than `tolerance` (default 2
      percentage points: in a class of 30 one pupil is 3.3 points, so smaller moves are noise);
    - "rising" when every year-on-year difference is up, "falling" when every one is down;
    - "stable" otherwise: no real change, or no consistent direction (up then down).

    None when there are fewer than two values or any value is missing (suppressed): a trend is
    never drawn through a gap.
    """
    if len(values) < 2 or any(value is None for value in values):
        return None
    numbers = [float(value) for value in values if value is not None]
    signs = []
    for before, after in zip(numbers, numbers[1:], strict=False):
        difference = after - before
        signs.append(1 if difference > tolerance else -1 if difference < -tolerance else 0)
    if all(sign == 1 for sign in signs):
        return "rising"
    if all(sign == -1 for sign in signs):
        return "falling"
    return "stable"


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
