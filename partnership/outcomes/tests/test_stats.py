"""The statistics module against DOMAIN.md's worked example and, property by property, against scipy."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnership.outcomes import stats

try:  # scipy is a test-only cross-check (dev extra); production code never imports it.
    from scipy import stats as scipy_stats
except ImportError:  # pragma: no cover
    scipy_stats = None

needs_scipy = pytest.mark.skipif(scipy_stats is None, reason="scipy (dev extra) is not installed")


@st.composite
def counts(draw, max_n: int = 2000) -> tuple[int, int]:
    n = draw(st.integers(min_value=1, max_value=max_n))
    return draw(st.integers(min_value=0, max_value=n)), n


proportions = st.floats(min_value=0.001, max_value=0.999, allow_nan=False)


class TestWorkedExample:
    """DOMAIN.md: 18 of 28 met, national 72%."""

    def test_wilson(self):
        low, high = stats.wilson_interval(18, 28)
        assert (round(low, 4), round(high, 4)) == (0.4583, 0.7929)
        assert (stats.format_pct(100 * low, 1), stats.format_pct(100 * high, 1)) == ("45.8%", "79.3%")

    def test_clopper_pearson(self):
        low, high = stats.clopper_pearson_interval(18, 28)
        assert (round(low, 4), round(high, 4)) == (0.4407, 0.8136)
        assert (stats.format_pct(100 * low, 1), stats.format_pct(100 * high, 1)) == ("44.1%", "81.4%")

    def test_exact_p_value(self):
        p_value = stats.binomial_p_value(18, 28, 0.72)
        # scipy.stats.binomtest(18, 28, 0.72).pvalue == 0.40001555465822963
        assert p_value == pytest.approx(0.40001555465822963, abs=1e-12)
        assert round(p_value, 2) == 0.40

    def test_verdict(self):
        assert stats.verdict(18, 28, 0.72) == "in line"
        assert stats.VERDICT_LABELS[stats.verdict(18, 28, 0.72)] == "in line with national"

    def test_figure(self):
        figure = stats.figure_for(18, 28, Decimal("72"))
        assert not figure.suppressed
        assert (figure.numerator, figure.denominator) == (18, 28)
        assert figure.percentage == pytest.approx(64.2857, abs=1e-4)
        assert (round(figure.low, 1), round(figure.high, 1)) == (45.8, 79.3)
        assert figure.national == 72.0
        assert figure.verdict == "in line"
        assert figure.verdict_label == "in line with national"
        assert figure.label == "64% of 28 pupils"


class TestEdgeCases:
    def test_no_pupils(self):
        assert stats.wilson_interval(0, 0) == (0.0, 1.0)
        assert stats.clopper_pearson_interval(0, 0) == (0.0, 1.0)
        assert stats.binomial_p_value(0, 0, 0.7) == 1.0
        assert stats.figure_for(0, 0, show_small=True).label == "no pupils"
        assert stats.figure_for(0, 0).suppressed

    @needs_scipy
    @pytest.mark.parametrize("n", [1, 6, 28, 500])
    def test_none_met(self, n):
        low, high = stats.wilson_interval(0, n)
        assert low == 0.0
        assert high == pytest.approx(float(scipy_stats.binomtest(0, n).proportion_ci(method="wilson").high), abs=1e-12)
        assert stats.clopper_pearson_interval(0, n)[0] == 0.0

    @needs_scipy
    @pytest.mark.parametrize("n", [1, 6, 28, 500])
    def test_all_met(self, n):
        low, high = stats.wilson_interval(n, n)
        assert high == 1.0
        assert low == pytest.approx(float(scipy_stats.binomtest(n, n).proportion_ci(method="wilson").low), abs=1e-12)
        assert stats.clopper_pearson_interval(n, n)[1] == 1.0

    def test_national_of_0_or_100(self):
        assert stats.binomial_p_value(0, 10, 0.0) == 1.0
        assert stats.binomial_p_value(1, 10, 0.0) == 0.0
        assert stats.binomial_p_value(10, 10, 1.0) == 1.0

    @pytest.mark.parametrize(("successes", "n"), [(-1, 5), (6, 5), (0, -1)])
    def test_impossible_counts(self, successes, n):
        with pytest.raises(ValueError):
            stats.wilson_interval(successes, n)

    @needs_scipy
    def test_large_cohort_matches_scipy(self):
        # A partnership-wide figure: tails are summed, not the whole distribution.
        assert stats.binomial_p_value(15000, 30000, 0.49) == pytest.approx(
            scipy_stats.binomtest(15000, 30000, 0.49).pvalue, rel=1e-9
        )


class TestAgainstScipy:
    @needs_scipy
    @settings(max_examples=300, deadline=None)
    @given(counts())
    def test_wilson_matches_scipy(self, count):
        successes, n = count
        expected = scipy_stats.binomtest(successes, n).proportion_ci(method="wilson")
        low, high = stats.wilson_interval(successes, n)
        assert low == pytest.approx(float(expected.low), abs=1e-9)
        assert high == pytest.approx(float(expected.high), abs=1e-9)

    @needs_scipy
    @settings(max_examples=200, deadline=None)
    @given(counts())
    def test_clopper_pearson_matches_scipy(self, count):
        successes, n = count
        expected = scipy_stats.binomtest(successes, n).proportion_ci(method="exact")
        low, high = stats.clopper_pearson_interval(successes, n)
        assert low == pytest.approx(float(expected.low), abs=1e-9)
        assert high == pytest.approx(float(expected.high), abs=1e-9)

    @needs_scipy
    @settings(max_examples=300, deadline=None)
    @given(counts(), proportions)
    def test_p_value_matches_scipy(self, count, national):
        successes, n = count
        expected = scipy_stats.binomtest(successes, n, national).pvalue
        assert stats.binomial_p_value(successes, n, national) == pytest.approx(expected, abs=1e-9)

    @settings(max_examples=300, deadline=None)
    @given(counts(), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
    def test_intervals_contain_the_observed_proportion(self, count, confidence):
        successes, n = count
        p_hat = successes / n
        for interval in (stats.wilson_interval, stats.clopper_pearson_interval):
            low, high = interval(successes, n, confidence)
            assert 0.0 <= low <= p_hat <= high <= 1.0

    @settings(max_examples=200, deadline=None)
    @given(st.integers(min_value=1, max_value=50), st.integers(min_value=0, max_value=50), st.integers(2, 10))
    def test_interval_narrows_as_cohort_grows(self, n, successes, factor):
        successes = min(successes, n)
        low, high = stats.wilson_interval(successes, n)
        bigger_low, bigger_high = stats.wilson_interval(successes * factor, n * factor)
        assert bigger_high - bigger_low < high - low


class TestVerdicts:
    @pytest.mark.parametrize(
        ("successes", "n", "national", "expected"),
        [
            (28, 28, 0.6, "above"),  # everyone met, national 60%: p < 0.001
            (27, 30, 0.6, "above"),
            (5, 30, 0.72, "below"),
            (10, 30, 0.72, "below"),
            (18, 28, 0.72, "in line"),
            (4, 6, 0.72, "in line"),  # tiny cohort: almost nothing is significant
            (0, 6, 0.72, "below"),
            (720, 1000, 0.72, "in line"),
        ],
    )
    def test_verdict(self, successes, n, national, expected):
        assert stats.verdict(successes, n, national) == expected

    def test_alpha(self):
        # p = 0.40: significant only at a (silly) 50% level.
        assert stats.verdict(18, 28, 0.72, alpha=0.5) == "below"

    def test_labels(self):
        assert [stats.VERDICT_LABELS[v] for v in ("above", "in line", "below")] == [
            "above national",
            "in line with national",
            "below national",
        ]


class TestSuppression:
    @pytest.mark.parametrize(("n", "suppressed"), [(0, True), (1, True), (5, True), (6, False), (7, False)])
    def test_threshold_six(self, n, suppressed):
        assert stats.suppress(n, 6) is suppressed
        assert stats.figure_for(min(3, n), n, 72).suppressed is suppressed

    def test_suppressed_figure_has_no_numbers(self):
        figure = stats.figure_for(5, 5, 72)
        assert figure.suppressed
        assert figure.label == "fewer than 6 pupils"
        assert figure.numerator is figure.denominator is figure.percentage is None
        assert figure.low is figure.high is figure.verdict is None

    def test_threshold_is_configurable(self):
        assert stats.figure_for(5, 9, suppressed_below=10).label == "fewer than 10 pupils"
        assert not stats.figure_for(5, 9, suppressed_below=5).suppressed

    def test_own_school_sees_small_groups(self):
        figure = stats.figure_for(3, 5, 72, show_small=True)
        assert not figure.suppressed
        assert (figure.numerator, figure.denominator, figure.label) == (3, 5, "60% of 5 pupils")


class TestGapsAndTrends:
    def test_gap(self):
        disadvantaged = stats.figure_for(9, 20, 60)
        others = stats.figure_for(30, 40, 60)
        assert stats.figure_gap(disadvantaged, others) == pytest.approx(-30.0)
        assert stats.gap_to_national(disadvantaged) == pytest.approx(-15.0)
        assert stats.percentage_gap(75, Decimal("72")) == pytest.approx(3.0)

    def test_gap_with_a_suppressed_side_is_none(self):
        small = stats.figure_for(2, 4, 60)
        large = stats.figure_for(30, 40, 60)
        assert stats.figure_gap(small, large) is None
        assert stats.figure_gap(large, small) is None
        assert stats.gap_to_national(small) is None
        assert stats.gap_to_national(stats.figure_for(30, 40)) is None
        assert stats.percentage_gap(None, 50) is None


def scipy_two_proportion(k1: int, n1: int, k2: int, n2: int) -> float:
    """The oracle: chi-square without continuity correction (the z-test) when every expected count
    is at least 5, Fisher's exact test otherwise."""
    table = [[k1, n1 - k1], [k2, n2 - k2]]
    if k1 + k2 in (0, n1 + n2):
        return 1.0  # one column is empty: scipy's chi-square refuses, Fisher gives 1
    if scipy_stats.contingency.expected_freq(table).min() >= 5:
        return float(scipy_stats.chi2_contingency(table, correction=False).pvalue)
    return float(scipy_stats.fisher_exact(table).pvalue)


def oracle_kind(k1: int, n1: int, k2: int, n2: int) -> str:
    """The kind of change the documented rule gives, with scipy's p-value (two years)."""
    points = 100 * (k2 * n1 - k1 * n2) / (n1 * n2)
    if scipy_two_proportion(k1, n1, k2, n2) < 0.05:
        return "rising" if points > 0 else "falling"
    if abs(k2 * n1 - k1 * n2) * 100 >= 5 * n1 * n2:
        return "uncertain_up" if points > 0 else "uncertain_down"
    return "little_change"


@needs_scipy
class TestChange:
    """Three-year changes in words (the rule in stats.py and docs/outcomes.md), scipy as the oracle."""

    @settings(max_examples=300, deadline=None)
    @given(counts(max_n=300), counts(max_n=300))
    def test_two_proportion_p_value_matches_scipy(self, first, second):
        (k1, n1), (k2, n2) = first, second
        assert stats.two_proportion_p_value(k1, n1, k2, n2) == pytest.approx(
            scipy_two_proportion(k1, n1, k2, n2), rel=1e-9, abs=1e-12
        )

    @settings(max_examples=200, deadline=None)
    @given(counts(max_n=200), counts(max_n=200))
    def test_fisher_and_z_test_match_scipy(self, first, second):
        (k1, n1), (k2, n2) = first, second
        table = [[k1, n1 - k1], [k2, n2 - k2]]
        fisher = scipy_stats.fisher_exact(table).pvalue
        assert stats.fisher_exact_p_value(k1, n1, k2, n2) == pytest.approx(fisher, rel=1e-9, abs=1e-12)
        if 0 < k1 + k2 < n1 + n2:
            chi2 = scipy_stats.chi2_contingency(table, correction=False).pvalue
            assert stats.z_test_p_value(k1, n1, k2, n2) == pytest.approx(chi2, rel=1e-9, abs=1e-12)

    @settings(max_examples=300, deadline=None)
    @given(counts(max_n=120), counts(max_n=120))
    def test_kind_follows_the_rule_with_scipy(self, first, second):
        (k1, n1), (k2, n2) = first, second
        change = stats.describe_change([first, second])
        assert change is not None
        assert change.kind == oracle_kind(k1, n1, k2, n2)

    @pytest.mark.parametrize(
        ("counts_by_year", "kind", "words"),
        [
            # 50% -> 77% of 30: p = 0.032 (z-test), significant.
            ([(15, 30), (19, 30), (23, 30)], "rising", "rising (up 27 points)"),
            # 50% -> 73% of 30: p = 0.063, just not: large, but too few pupils to be sure.
            ([(15, 30), (18, 30), (22, 30)], "uncertain_up", "up 23 points; too few pupils to be sure"),
            # Of 60: 30 -> 41 is just significant (p = 0.041), 30 -> 40 just not (p = 0.064).
            ([(30, 60), (35, 60), (41, 60)], "rising", "rising (up 18 points)"),
            ([(30, 60), (35, 60), (40, 60)], "uncertain_up", "up 17 points; too few pupils to be sure"),
            # Fisher's exact for small counts: 100% -> 50% of 10 is significant (p = 0.033),
            # 100% -> 60% is not (p = 0.087).
            ([(10, 10), (8, 10), (5, 10)], "falling", "falling (down 50 points)"),
            ([(10, 10), (8, 10), (6, 10)], "uncertain_down", "down 40 points; too few pupils to be sure"),
            # Exactly 5 points is not small (30% -> 35%: 0.35 - 0.3 is 4.999... in floating point).
            ([(6, 20), (6, 20), (7, 20)], "uncertain_up", "up 5 points; too few pupils to be sure"),
            ([(7, 20), (7, 20), (6, 20)], "uncertain_down", "down 5 points; too few pupils to be sure"),
            # Under 5 points, every year: little change.
            ([(20, 41), (20, 41), (22, 41)], "little_change", "little change"),
            # Little change overall, but a middle year 10 points away: not "little change".
            ([(18, 30), (21, 30), (19, 30)], "mixed", "up and down; little change overall"),
            # A small change in a very large cohort is significant, and says how small.
            ([(1500, 3000), (1560, 3000), (1620, 3000)], "rising", "rising (up 4 points)"),
            # One pupil: everything is uncertain.
            ([(1, 1), (1, 1), (0, 1)], "uncertain_down", "down 100 points; too few pupils to be sure"),
            ([(1, 1), (0, 1)], "uncertain_down", "down 100 points; too few pupils to be sure"),
            # 0% and 100%.
            ([(0, 30), (0, 30), (0, 30)], "little_change", "little change"),
            ([(30, 30), (30, 30), (30, 30)], "little_change", "little change"),
            ([(0, 30), (10, 30), (30, 30)], "rising", "rising (up 100 points)"),
            ([(0, 6), (3, 6), (6, 6)], "rising", "rising (up 100 points)"),
            ([(0, 3), (1, 3), (3, 3)], "uncertain_up", "up 100 points; too few pupils to be sure"),
        ],
    )
    def test_boundaries(self, counts_by_year, kind, words):
        change = stats.describe_change(counts_by_year)
        assert change is not None
        assert (change.kind, change.words) == (kind, words)
        (k1, n1), (k2, n2) = counts_by_year[0], counts_by_year[-1]
        assert change.p_value == pytest.approx(scipy_two_proportion(k1, n1, k2, n2), rel=1e-9, abs=1e-12)
        assert change.points == pytest.approx(100 * (k2 / n2 - k1 / n1))
        if kind != "mixed":
            assert kind == oracle_kind(k1, n1, k2, n2)
        assert change.significant == (kind in ("rising", "falling"))

    def test_91_92_78_in_one_school_is_a_fall_too_few_pupils_confirm(self):
        """91% -> 92% -> 78% in a one-form-entry school: never "stable", and not proof of a fall."""
        years = [(29, 32), (23, 25), (21, 27)]
        assert [round(100 * k / n) for k, n in years] == [91, 92, 78]
        change = stats.describe_change(years)
        assert change is not None
        assert scipy_two_proportion(29, 32, 21, 27) > 0.05
        assert change.kind == "uncertain_down"
        assert change.words == "down 13 points; too few pupils to be sure"

    def test_91_92_78_across_a_partnership_is_falling(self):
        years = [(273, 300), (276, 300), (234, 300)]
        assert [round(100 * k / n) for k, n in years] == [91, 92, 78]
        change = stats.describe_change(years)
        assert change is not None
        assert scipy_two_proportion(273, 300, 234, 300) < 0.05
        assert (change.kind, change.words) == ("falling", "falling (down 13 points)")

    def test_one_point_is_singular(self):
        change = stats.describe_change([(1500, 3000), (1530, 3000)])
        assert change is not None
        assert change.words == "little change"
        change = stats.describe_change([(60000, 100000), (61000, 100000)])
        assert change is not None
        assert change.words == "rising (up 1 point)"
        change = stats.describe_change([(500000, 1000000), (503000, 1000000)])
        assert change is not None
        assert change.words == "rising (up less than 1 point)"

    @pytest.mark.parametrize(
        "counts_by_year",
        [
            [(20, 30), None, (25, 30)],  # a suppressed year: never described through a gap
            [None, (20, 30), (25, 30)],
            [(20, 30), (0, 0), (25, 30)],  # a year with no pupils
            [(20, 30)],
            [],
        ],
    )
    def test_no_change_without_every_year(self, counts_by_year):
        assert stats.describe_change(counts_by_year) is None


def scipy_gap_p_value(earliest, latest) -> float:
    """The gap test's oracle: the normal tail from scipy for (|latest gap| - |earliest gap|) over
    the standard error from proportions with one success and one failure added."""
    import math

    def gap(pair):
        (ka, na), (kb, nb) = pair
        return ka / na - kb / nb

    def variance(k, n):
        p = (k + 1) / (n + 2)
        return p * (1 - p) / n

    se = math.sqrt(sum(variance(k, n) for k, n in [*earliest, *latest]))
    return float(2 * scipy_stats.norm.sf(abs(abs(gap(latest)) - abs(gap(earliest))) / se))


@needs_scipy
class TestGapChange:
    @settings(max_examples=200, deadline=None)
    @given(counts(max_n=200), counts(max_n=200), counts(max_n=200), counts(max_n=200))
    def test_p_value_matches_scipy(self, a0, b0, a2, b2):
        p_value = stats.gap_change_p_value((a0, b0), (a2, b2))
        assert p_value == pytest.approx(scipy_gap_p_value((a0, b0), (a2, b2)), rel=1e-9, abs=1e-12)

    @pytest.mark.parametrize(
        ("first", "second", "kind", "words"),
        [
            # Disadvantaged 60% -> 40% of 60 while others stay at 80% of 200: a gap of 20 -> 40 points.
            ([(36, 60), (30, 60), (24, 60)], [(160, 200)] * 3, "widening", "widening (by 20 points)"),
            # The same percentages in 10 disadvantaged pupils: too few to be sure.
            (
                [(6, 10), (5, 10), (4, 10)],
                [(160, 200)] * 3,
                "uncertain_widening",
                "widened 20 points; too few pupils to be sure",
            ),
            ([(24, 60), (30, 60), (36, 60)], [(160, 200)] * 3, "narrowing", "narrowing (by 20 points)"),
            # The gap changes sign (-4 -> +6): its size grows by only 2 points.
            ([(19, 25), (19, 25), (43, 50)], [(80, 100)] * 3, "little_change", "little change"),
            ([(12, 30), (15, 30), (13, 30)], [(30, 60)] * 3, "mixed", "up and down; little change overall"),
            # Exactly 5 points (a gap of 30 -> 35).
            (
                [(7, 20), (7, 20), (6, 20)],
                [(13, 20), (13, 20), (13, 20)],
                "uncertain_widening",
                "widened 5 points; too few pupils to be sure",
            ),
        ],
    )
    def test_boundaries(self, first, second, kind, words):
        change = stats.describe_gap_change(first, second)
        assert change is not None
        assert (change.kind, change.words) == (kind, words)
        assert change.p_value == pytest.approx(
            scipy_gap_p_value((first[0], second[0]), (first[-1], second[-1])), rel=1e-9, abs=1e-12
        )

    def test_missing_year_gives_none(self):
        assert stats.describe_gap_change([(6, 10), None, (4, 10)], [(160, 200)] * 3) is None
        assert stats.describe_gap_change([(6, 10)] * 3, [(160, 200), (0, 0), (160, 200)]) is None


class TestFormatting:
    @pytest.mark.parametrize(
        ("value", "decimals", "text"),
        [
            (64.2857, 0, "64%"),
            (62.5, 0, "63%"),  # half up, not to even
            (45.83030651, 1, "45.8%"),
            (Decimal("67.25"), 1, "67.3%"),
            (-0.2, 0, "0%"),
            (None, 0, "\u2013"),
        ],
    )
    def test_format_pct(self, value, decimals, text):
        assert stats.format_pct(value, decimals) == text
