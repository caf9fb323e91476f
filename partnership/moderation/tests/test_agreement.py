"""Agreement statistics against scikit-learn's `cohen_kappa_score` and published worked examples."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from partnership.moderation.agreement import (
    MIN_GROUP,
    agreement_summary,
    cohens_kappa,
    describe_group,
    describe_kappa,
    exact_agreement,
)

KS2 = ["WTS", "EXS", "GDS"]
PKF = ["PK1", "PK2", "PK3", "PK4", "PK5", "PK6"]


def sklearn_kappa(pairs, labels, weights):
    teacher = [labels.index(t) for t, _ in pairs]
    moderator = [labels.index(m) for _, m in pairs]
    return cohen_kappa_score(teacher, moderator, labels=list(range(len(labels))), weights=weights)


def table(counts):
    """Pairs from a 2x2 table {(teacher, moderator): count}."""
    return [pair for pair, count in counts.items() for _ in range(count)]


# --- published worked examples -----------------------------------------------------------------------


def test_wikipedia_fifty_readers():
    # Wikipedia, "Cohen's kappa", section "Simple example" (https://en.wikipedia.org/wiki/Cohen%27s_kappa):
    # 50 grant proposals read by A and B; both yes 20, A yes B no 5, A no B yes 10, both no 15;
    # p_o = 0.7, p_e = 0.5, kappa = 0.4.
    pairs = table({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})
    assert exact_agreement(pairs) == pytest.approx(0.7)
    assert cohens_kappa(pairs) == pytest.approx(0.4, abs=1e-12)


def test_wikipedia_same_percentages_different_kappa():
    # Wikipedia, "Cohen's kappa", section "Same percentages but different numbers": both tables have
    # 60% agreement; kappa 0.1304 for the first (45, 15 / 25, 15) and 0.2593 for the second
    # (25, 35 / 5, 35), the values printed there to four places.
    first = table({("yes", "yes"): 45, ("yes", "no"): 15, ("no", "yes"): 25, ("no", "no"): 15})
    second = table({("yes", "yes"): 25, ("yes", "no"): 35, ("no", "yes"): 5, ("no", "no"): 35})
    assert exact_agreement(first) == exact_agreement(second) == pytest.approx(0.6)
    assert cohens_kappa(first) == pytest.approx(0.1304, abs=5e-5)
    assert cohens_kappa(second) == pytest.approx(0.2593, abs=5e-5)


# --- against scikit-learn -----------------------------------------------------------------------------

CASES = [
    [("WTS", "WTS"), ("EXS", "EXS"), ("GDS", "EXS"), ("EXS", "WTS"), ("EXS", "EXS"), ("GDS", "GDS")],
    [("EXS", "GDS"), ("WTS", "GDS"), ("GDS", "WTS"), ("EXS", "EXS")],
    [("WTS", "EXS")] * 3 + [("EXS", "GDS")] * 4 + [("GDS", "GDS")] * 2 + [("WTS", "WTS")],
    [("EXS", "EXS")] * 9 + [("GDS", "EXS")],
]


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
@pytest.mark.parametrize("pairs", CASES)
def test_matches_sklearn(pairs, weights):
    assert cohens_kappa(pairs, labels=KS2, weights=weights) == pytest.approx(
        sklearn_kappa(pairs, KS2, weights), abs=1e-9
    )


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.sampled_from([KS2, PKF, ["emerging", "expected"]]).flatmap(
        lambda labels: st.tuples(
            st.just(labels),
            st.lists(st.tuples(st.sampled_from(labels), st.sampled_from(labels)), min_size=1, max_size=60),
        )
    ),
    st.sampled_from([None, "linear", "quadratic"]),
)
def test_matches_sklearn_on_random_data(case, weights):
    labels, pairs = case
    ours = cohens_kappa(pairs, labels=labels, weights=weights)
    if len({c for pair in pairs for c in pair}) == 1:
        assert ours == 1.0  # sklearn gives NaN here: 0 / 0, our documented convention
        return
    theirs = sklearn_kappa(pairs, labels, weights)
    assert ours == pytest.approx(theirs, abs=1e-9)
    assert exact_agreement(pairs) == pytest.approx(sum(t == m for t, m in pairs) / len(pairs))


def test_order_of_labels_matters_only_when_weighted():
    pairs = CASES[0]
    shuffled = ["EXS", "GDS", "WTS"]
    assert cohens_kappa(pairs, labels=shuffled) == pytest.approx(cohens_kappa(pairs, labels=KS2))
    assert cohens_kappa(pairs, labels=shuffled, weights="linear") == pytest.approx(
        sklearn_kappa(pairs, shuffled, "linear"), abs=1e-9
    )
    assert cohens_kappa(pairs, labels=shuffled, weights="linear") != pytest.approx(
        cohens_kappa(pairs, labels=KS2, weights="linear")
    )


# --- edge cases -----------------------------------------------------------------------------------------


def test_empty():
    assert exact_agreement([]) is None
    assert cohens_kappa([]) is None
    assert cohens_kappa([], labels=KS2, weights="quadratic") is None
    assert describe_kappa(None) == "no data"


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_one_code_for_everything_is_complete_agreement(weights):
    pairs = [("EXS", "EXS")] * 7
    assert exact_agreement(pairs) == 1.0
    assert cohens_kappa(pairs, labels=KS2, weights=weights) == 1.0
    with pytest.warns(UserWarning):  # scikit-learn: undefined, NaN
        assert math.isnan(sklearn_kappa(pairs, KS2, weights))


def test_teacher_one_code_moderator_another_is_chance():
    pairs = [("EXS", "EXS")] * 5 + [("EXS", "GDS")]
    assert cohens_kappa(pairs, labels=KS2) == pytest.approx(0.0, abs=1e-12)
    assert sklearn_kappa(pairs, KS2, None) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_perfect_disagreement(weights):
    pairs = [("WTS", "GDS"), ("GDS", "WTS")] * 3
    assert exact_agreement(pairs) == 0.0
    assert cohens_kappa(pairs, labels=KS2, weights=weights) == pytest.approx(-1.0)
    assert sklearn_kappa(pairs, KS2, weights) == pytest.approx(-1.0)


def test_perfect_agreement_over_several_codes():
    pairs = [(c, c) for c in KS2 for _ in range(3)]
    assert cohens_kappa(pairs, labels=KS2) == 1.0
    assert cohens_kappa(pairs, labels=KS2, weights="quadratic") == 1.0


def test_codes_off_the_scale_and_bad_weights_are_refused():
    with pytest.raises(ValueError, match="not on the scale: PK3"):
        cohens_kappa([("EXS", "PK3")], labels=KS2)
    with pytest.raises(ValueError, match="only once"):
        cohens_kappa([("EXS", "EXS")], labels=["EXS", "EXS"])
    with pytest.raises(ValueError, match="weights"):
        cohens_kappa([("EXS", "WTS")], labels=KS2, weights="cubic")  # type: ignore[arg-type]


# --- summary and words -----------------------------------------------------------------------------------


def test_summary_by_school_and_year():
    rows = (
        [("A", 6, "EXS", "EXS")] * 4
        + [("A", 6, "GDS", "EXS")] * 2
        + [("A", 6, "WTS", "EXS")]
        + [("B", 6, "EXS", "WTS")] * 3
        + [("A", 2, "EXS", "EXS")]
    )
    out = agreement_summary(rows, by=("school", "year"), labels=KS2)
    assert [g.keys for g in out] == [{"school": "A", "year": 6}, {"school": "B", "year": 6}, {"school": "A", "year": 2}]
    a6, b6, a2 = out
    a6_pairs = [(t, m) for s, y, t, m in rows if (s, y) == ("A", 6)]
    assert (a6.n, a6.too_few) == (7, False)
    assert a6.exact == pytest.approx(4 / 7)
    assert a6.kappa == pytest.approx(sklearn_kappa(a6_pairs, KS2, None), abs=1e-9)
    assert (a6.generous, a6.harsh) == (pytest.approx(2 / 7), pytest.approx(1 / 7))
    assert (b6.n, b6.generous, b6.harsh, b6.too_few) == (3, 1.0, 0.0, True)
    assert a2.too_few and a2.n == 1 and a2.kappa == 1.0
    assert MIN_GROUP == 5
    weighted = agreement_summary(rows, by=("school", "year"), labels=KS2, weights="quadratic")[0]
    assert weighted.kappa == pytest.approx(sklearn_kappa(a6_pairs, KS2, "quadratic"), abs=1e-9)


def test_summary_overall_and_bad_rows():
    rows = [("EXS", "EXS"), ("GDS", "EXS"), ("WTS", "WTS"), ("EXS", "EXS"), ("GDS", "GDS")]
    (overall,) = agreement_summary(rows, by=(), labels=KS2)
    assert overall.keys == {} and overall.n == 5 and not overall.too_few
    assert overall.kappa == pytest.approx(sklearn_kappa(rows, KS2, None), abs=1e-9)
    with pytest.raises(ValueError, match="each row needs 3 values"):
        agreement_summary([("A", "EXS", "EXS", "x")], by=("school",), labels=KS2)


@pytest.mark.parametrize(
    ("kappa", "band"),
    # Landis and Koch (1977), Biometrics 33, p. 165
    [
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.41, "moderate"),
        (0.6, "moderate"),
        (0.61, "substantial"),
        (0.8, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
    ],
)
def test_landis_koch_bands(kappa, band):
    assert describe_kappa(kappa) == band


def test_describe_group():
    rows = [("EXS", "EXS")] * 4 + [("GDS", "EXS")]
    (group,) = agreement_summary(rows, by=(), labels=KS2)
    assert describe_group(group) == (
        f"5 samples: 80% exact agreement, kappa {group.kappa:.2f} ({describe_kappa(group.kappa)}); "
        "teacher above the moderator in 20%, below in 0%."
    )
    (small,) = agreement_summary(rows[:2], by=(), labels=KS2)
    assert describe_group(small) == "2 samples: too few to judge agreement (at least 5 are needed)."


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C"]), st.sampled_from([2, 6]), st.sampled_from(KS2), st.sampled_from(KS2)
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([None, "linear", "quadratic"]),
)
def test_summary_matches_sklearn_per_group(rows, weights):
    out = agreement_summary(rows, by=("school", "year"), labels=KS2, weights=weights)
    assert sum(g.n for g in out) == len(rows)
    for g in out:
        pairs = [(t, m) for s, y, t, m in rows if (s, y) == (g.keys["school"], g.keys["year"])]
        assert g.n == len(pairs) and g.too_few == (len(pairs) < 5)
        assert g.exact + g.generous + g.harsh == pytest.approx(1.0)
        assert g.generous == pytest.approx(sum(KS2.index(t) > KS2.index(m) for t, m in pairs) / len(pairs))
        if len({c for p in pairs for c in p}) > 1:
            assert g.kappa == pytest.approx(sklearn_kappa(pairs, KS2, weights), abs=1e-9)
