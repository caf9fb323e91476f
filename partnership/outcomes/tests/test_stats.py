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

    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            ([60, 65, 70], "rising"),
            ([70, 65, 60], "falling"),
            ([60, 61, 62], "stable"),  # within the 2-point tolerance each year
            ([60, 70, 60], "stable"),  # no consistent direction
            ([60, 70, 71], "stable"),  # up, then flat: not a trend
            ([60, 57], "falling"),
            ([60, None, 70], None),  # never draw a trend through a suppressed year
            ([60], None),
        ],
    )
    def test_trend(self, values, expected):
        assert stats.trend(values) == expected

    def test_trend_tolerance(self):
        assert stats.trend([60, 61, 62], tolerance=0.5) == "rising"


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
