"""The comparative-judgement engine against independent oracles: published estimates, choix,
scikit-learn, a direct Fisher-information calculation, scipy's optimiser and simulation."""

from __future__ import annotations

import choix
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

from partnership.moderation.cj import BTNotEstimable, fit_bradley_terry, judge_infit, split_half_reliability


def balanced_pairs(n: int, rounds: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    """Random balanced pairing: each round a random perfect matching, so every script is in
    `rounds` comparisons."""
    return np.concatenate([rng.permutation(n)[: n - n % 2].reshape(-1, 2) for _ in range(rounds)])


def simulate(theta: npt.NDArray[np.float64], rounds: int, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    pairs = balanced_pairs(len(theta), rounds, rng)
    first_wins = rng.random(len(pairs)) < 1 / (1 + np.exp(-(theta[pairs[:, 0]] - theta[pairs[:, 1]])))
    return np.where(first_wins[:, None], pairs, pairs[:, ::-1])


def citations_pairs() -> list[tuple[int, int]]:
    # Stigler (1994) inter-journal citations as used by Agresti, Categorical Data Analysis (2nd ed,
    # 2002) p. 448 and the R package BradleyTerry2's `citations` data (data/citations.R): rows the
    # cited journal (the winner), columns the citing one, journals Biometrika, Comm Statist, JASA,
    # JRSS-B. Self-citations (the diagonal) are not comparisons.
    counts = np.array([[714, 730, 498, 221], [33, 425, 68, 17], [320, 813, 1072, 142], [284, 276, 325, 188]])
    return [(i, j) for i in range(4) for j in range(4) if i != j for _ in range(counts[i, j])]


def test_citations_reproduce_published_estimates():
    # Turner and Firth (2012), "Bradley-Terry models in R: the BradleyTerry2 package", Journal of
    # Statistical Software 48(9), section 2.1: BTm on `citations` with Biometrika fixed at 0 gives
    # Comm Statist -2.9491, JASA -0.4796, JRSS-B 0.2690 (Agresti 2002, section 10.6, the same).
    fit = fit_bradley_terry(citations_pairs(), 4, method="ml")
    assert fit.converged
    differences = fit.scores - fit.scores[0]
    np.testing.assert_allclose(differences[1:], [-2.9491, -0.4796, 0.2690], atol=1e-3)
    assert abs(fit.scores.mean()) < 1e-12


def strongly_connected_data(n: int, rounds: int, sd: float, seed: int) -> npt.NDArray[np.int64]:
    rng = np.random.default_rng(seed)
    while True:
        data = simulate(rng.normal(0, sd, n), rounds, rng)
        try:
            fit_bradley_terry(data, n, method="ml")
            return data
        except BTNotEstimable:
            continue


@pytest.mark.parametrize(
    ("n", "rounds", "sd", "seed"), [(10, 6, 1.0, 1), (40, 10, 1.0, 2), (150, 16, 1.0, 3), (600, 20, 1.0, 4)]
)
def test_ml_agrees_with_choix(n, rounds, sd, seed):
    data = strongly_connected_data(n, rounds, sd, seed)
    fit = fit_bradley_terry(data, n, method="ml")
    reference = choix.ilsr_pairwise(n, data.tolist(), alpha=0.0, max_iter=10_000, tol=1e-13)
    assert abs(reference.mean()) < 1e-9  # choix's scores are mean-0 logits too
    assert fit.converged
    np.testing.assert_allclose(fit.scores, reference, atol=1e-6)


@pytest.mark.parametrize("seed", [5, 6])
def test_ml_agrees_with_scikit_learn_and_standard_errors_with_the_fisher_information(seed):
    n = 25
    data = strongly_connected_data(n, 8, 1.0, seed)
    fit = fit_bradley_terry(data, n, method="ml", se="exact")
    # the model as a logistic regression with script 0 as the reference: x = e_winner - e_loser,
    # and each comparison written both ways round so both outcomes appear
    x = np.zeros((len(data), n))
    x[np.arange(len(data)), data[:, 0]] += 1
    x[np.arange(len(data)), data[:, 1]] -= 1
    xs = np.vstack([x, -x])[:, 1:]
    ys = np.concatenate([np.ones(len(data)), np.zeros(len(data))])
    model = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=10_000).fit(xs, ys)
    beta = np.concatenate([[0.0], model.coef_[0]])
    np.testing.assert_allclose(fit.scores, beta - beta.mean(), atol=1e-5)
    # Fisher information of the reference parameterisation, inverted, then mapped to mean 0
    p = 1 / (1 + np.exp(-(x[:, 1:] @ beta[1:])))
    info = x[:, 1:].T @ (x[:, 1:] * (p * (1 - p))[:, None])
    cov = np.zeros((n, n))
    cov[1:, 1:] = np.linalg.inv(info)
    centre = np.eye(n) - 1 / n
    np.testing.assert_allclose(fit.standard_errors, np.sqrt(np.diag(centre @ cov @ centre)), rtol=1e-6)


def fisher_standard_errors(
    data: npt.NDArray[np.int64], scores: npt.NDArray[np.float64], n: int
) -> npt.NDArray[np.float64]:
    """The standard errors straight from the definition: the Moore-Penrose pseudo-inverse (numpy's
    SVD-based pinv) of the Fisher information at the fitted scores, one comparison at a time."""
    p = 1 / (1 + np.exp(-(scores[data[:, 0]] - scores[data[:, 1]])))
    x = np.zeros((len(data), n))
    x[np.arange(len(data)), data[:, 0]] = 1
    x[np.arange(len(data)), data[:, 1]] = -1
    info = x.T @ (x * (p * (1 - p))[:, None])
    return np.sqrt(np.diag(np.linalg.pinv(info, hermitian=True)))


@pytest.mark.parametrize(("n", "rounds", "seed"), [(30, 6, 1), (300, 10, 2), (900, 20, 3)])
def test_exact_standard_errors_match_the_pseudo_inverse_of_the_fisher_information(n, rounds, seed):
    # the Cholesky route (factor, triangular inverse, squared row norms) against a plain pinv
    rng = np.random.default_rng(seed)
    data = simulate(rng.normal(0, 1, n), rounds, rng)
    fit = fit_bradley_terry(data, n, se="exact")
    assert fit.se_method == "exact"
    np.testing.assert_allclose(fit.standard_errors, fisher_standard_errors(data, fit.scores, n), rtol=1e-8)


@pytest.mark.parametrize(
    ("n", "rounds", "seed", "median_bound", "max_bound"),
    # measured: median 0.1 / 0.08 per cent, max 0.9 / 0.3 per cent; 5 per script: max about 4 per cent
    [(1200, 10, 7, 0.003, 0.02), (1500, 20, 8, 0.002, 0.006), (1500, 5, 9, 0.005, 0.08)],
)
def test_approximate_standard_errors_close_to_exact_for_balanced_random_pairing(
    n, rounds, seed, median_bound, max_bound
):
    rng = np.random.default_rng(seed)
    data = simulate(rng.normal(0, 1, n), rounds, rng)
    exact = fit_bradley_terry(data, n, se="exact")
    approx = fit_bradley_terry(data, n, se="approx")
    auto = fit_bradley_terry(data, n)
    assert approx.se_method == "approx" and exact.se_method == "exact" and auto.se_method == "approx"
    np.testing.assert_array_equal(approx.scores, exact.scores)
    relative = np.abs(approx.standard_errors / exact.standard_errors - 1)
    assert np.median(relative) < median_bound
    assert relative.max() < max_bound
    assert abs(approx.ssr - exact.ssr) < 0.005


def test_approximate_standard_errors_are_exact_on_a_tree():
    # belief propagation is exact without cycles: a random tree of 400 scripts, each link judged
    # both ways (so the ml scale exists), anchored at its root so the information is invertible
    rng = np.random.default_rng(12)
    n = 400
    parent = np.array([rng.integers(0, i) for i in range(1, n)])
    child = np.arange(1, n)
    data = np.concatenate([np.column_stack([child, parent]), np.column_stack([parent, child])])
    data = np.concatenate([data, data[rng.random(len(data)) < 0.5]])  # some links judged more often
    approx = fit_bradley_terry(data, n, method="ml", anchors={0: 0.0}, se="approx")
    exact = fit_bradley_terry(data, n, method="ml", anchors={0: 0.0}, se="exact")
    assert approx.se_method == "approx"
    np.testing.assert_allclose(approx.standard_errors, exact.standard_errors, rtol=1e-6)


def test_small_parts_stay_exact_beside_a_large_approximated_one():
    rng = np.random.default_rng(13)
    big = 1200
    data = simulate(rng.normal(0, 1, big), 10, rng)
    small = np.array([(big, big + 1), (big + 1, big + 2), (big + 2, big), (big + 1, big)])
    both = np.concatenate([data, small])
    fit = fit_bradley_terry(both, big + 4)  # script big + 3 is never judged
    assert fit.se_method == "approx" and fit.components == 3
    alone = fit_bradley_terry(small - big, 3, se="exact")
    np.testing.assert_allclose(fit.standard_errors[big : big + 3], alone.standard_errors, rtol=1e-9)
    np.testing.assert_allclose(fit.scores[big : big + 3], alone.scores, atol=1e-9)
    assert fit.standard_errors[big + 3] == np.inf


def test_repeated_pairs_are_grouped_without_changing_the_fit():
    # the same judgements listed once with counts or many times over: the same likelihood
    rng = np.random.default_rng(14)
    n = 40
    data = simulate(rng.normal(0, 1, n), 6, rng)
    doubled = np.concatenate([data, data])
    once, twice = fit_bradley_terry(data, n, method="eps"), fit_bradley_terry(doubled, n, method="eps")
    assert twice.comparisons_per_script.tolist() == (2 * once.comparisons_per_script).tolist()
    ml = strongly_connected_data(n, 6, 1.0, 15)
    np.testing.assert_allclose(
        fit_bradley_terry(np.concatenate([ml, ml]), n, method="ml").scores,
        fit_bradley_terry(ml, n, method="ml").scores,
        atol=1e-9,
    )
    np.testing.assert_allclose(
        fit_bradley_terry(np.concatenate([ml, ml]), n, method="ml").standard_errors,
        fit_bradley_terry(ml, n, method="ml").standard_errors / np.sqrt(2),
        rtol=1e-9,
    )


comparison_lists = st.integers(min_value=3, max_value=12).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]),
            min_size=1,
            max_size=60,
        ),
    )
)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(comparison_lists, st.randoms(use_true_random=False))
def test_relabelling_reordering_and_swapping(case, rnd):
    n, data = case
    fit = fit_bradley_terry(data, n)
    assert np.all(np.isfinite(fit.scores))
    perm = list(range(n))
    rnd.shuffle(perm)
    relabelled = [(perm[w], perm[lo]) for w, lo in data]
    rnd.shuffle(relabelled)
    other = fit_bradley_terry(relabelled, n)
    np.testing.assert_allclose(other.scores[perm], fit.scores, atol=1e-7)
    np.testing.assert_allclose(other.standard_errors[perm], fit.standard_errors, rtol=1e-6)
    swapped = fit_bradley_terry([(lo, w) for w, lo in data], n)
    np.testing.assert_allclose(swapped.scores, -fit.scores, atol=1e-7)


@pytest.mark.parametrize(
    ("n", "data", "named"),
    [
        (4, [(3, 0), (3, 1), (3, 2), (0, 1), (1, 2), (2, 0)], ["script 3 won every comparison"]),
        (4, [(0, 2), (1, 2), (3, 2), (0, 1), (1, 3), (3, 0)], ["script 2 lost every comparison"]),
        (
            8,
            [(4, 7), (7, 4), (0, 4), (1, 7), (2, 4), (0, 1), (1, 2), (2, 3), (3, 0), (5, 6), (6, 5), (5, 0), (0, 6)]
            + [(3, 5)],
            ["scripts 4 and 7 never beat any script outside their group"],
        ),
        (
            4,
            [(0, 1), (1, 0), (2, 3), (3, 2)],
            ["scripts 0 and 1 were never compared", "scripts 2 and 3 were never compared"],
        ),
        (3, [(0, 1), (1, 0)], ["script 2 has no comparisons"]),
    ],
)
def test_ml_not_estimable_names_scripts_and_eps_is_finite(n, data, named):
    with pytest.raises(BTNotEstimable) as error:
        fit_bradley_terry(data, n, method="ml")
    for text in named:
        assert text in str(error.value)
    assert isinstance(error.value, ValueError)
    fit = fit_bradley_terry(data, n, method="eps")
    judged = fit.comparisons_per_script > 0
    assert np.all(np.isfinite(fit.scores)) and np.all(np.isfinite(fit.standard_errors[judged]))
    assert fit.converged
    assert abs(fit.scores.mean()) < 1e-9


def test_eps_solves_the_adjusted_likelihood_equations():
    # sirt's btm: each script's wins S of M become eps + (M - 2 eps) S / M; at the estimate the
    # expected wins equal the adjusted ones up to a common constant (the mean-0 rule). Checked
    # with scipy's general optimiser on the same objective.
    data = [(3, 0), (3, 1), (3, 2), (0, 1), (1, 2), (2, 0), (0, 2), (1, 0)]
    n, eps = 4, 0.3
    fit = fit_bradley_terry(data, n, method="eps", eps=eps)
    pairs = np.array(data)
    wins = np.bincount(pairs[:, 0], minlength=n)
    m = np.bincount(pairs.ravel(), minlength=n)
    target = eps + (m - 2 * eps) * wins / m

    def negative(free: npt.NDArray[np.float64]) -> float:
        theta = np.append(free, -free.sum())
        return -(target @ theta - np.logaddexp(theta[pairs[:, 0]], theta[pairs[:, 1]]).sum())

    result = minimize(negative, np.zeros(n - 1), method="BFGS", options={"gtol": 1e-10})
    np.testing.assert_allclose(fit.scores, np.append(result.x, -result.x.sum()), atol=1e-5)
    assert np.isfinite(fit.scores[3]) and fit.scores[3] == fit.scores.max()


def test_anchors_fix_scores_and_match_a_direct_optimisation():
    n = 30
    data = strongly_connected_data(n, 8, 1.0, 11)
    anchors = {0: 1.0, 5: -0.5}
    fit = fit_bradley_terry(data, n, method="ml", anchors=anchors)
    assert fit.scores[0] == 1.0 and fit.scores[5] == -0.5
    assert fit.standard_errors[0] == 0 and fit.standard_errors[5] == 0
    free = [i for i in range(n) if i not in anchors]

    def negative(values: npt.NDArray[np.float64]) -> float:
        theta = np.zeros(n)
        theta[free] = values
        theta[list(anchors)] = list(anchors.values())
        return -(theta[data[:, 0]] - np.logaddexp(theta[data[:, 0]], theta[data[:, 1]])).sum()

    result = minimize(negative, np.zeros(len(free)), method="BFGS", options={"gtol": 1e-9})
    np.testing.assert_allclose(fit.scores[free], result.x, atol=1e-4)
    # anchoring one script at its own mean-0 score changes no score
    plain = fit_bradley_terry(data, n, method="ml")
    again = fit_bradley_terry(data, n, method="ml", anchors={3: float(plain.scores[3])})
    np.testing.assert_allclose(again.scores, plain.scores, atol=1e-8)


@pytest.mark.parametrize("seed", [21, 22, 23, 24, 25])
def test_simulated_abilities_recovered_with_about_95_percent_coverage(seed):
    rng = np.random.default_rng(seed)
    n = 60
    hits = 0
    total = 0
    for _ in range(4):
        theta = rng.normal(0, 1, n)
        data = simulate(theta, 30, rng)
        fit = fit_bradley_terry(data, n)  # eps: a script may win all 30
        truth = theta - theta.mean()
        hits += int(np.sum(np.abs(fit.scores - truth) <= 1.96 * fit.standard_errors))
        total += n
    assert 0.9 <= hits / total <= 0.98


@pytest.mark.parametrize("seed", [31, 32, 33])
def test_ssr_low_for_coin_tosses_and_high_for_informative_judgements(seed):
    rng = np.random.default_rng(seed)
    n = 60
    # pure noise: the spread of the scores is all measurement error (200 scripts, so the sample
    # variance of that noise is itself steady)
    coin = simulate(np.zeros(200), 10, rng)
    assert fit_bradley_terry(coin, 200).ssr < 0.3
    informative = simulate(rng.normal(0, 2, n), 20, rng)
    assert fit_bradley_terry(informative, n).ssr > 0.8


def judged_session(
    seed: int, n: int = 60, rounds: int = 20, judges: int = 12, erratic: tuple[str, ...] = ()
) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Comparisons shared out among judges at random; erratic judges choose by coin toss."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 2, n)
    data = simulate(theta, rounds, rng)
    names = [f"judge-{k}" for k in range(judges)]
    who = [names[k] for k in rng.integers(0, judges, len(data))]
    for k, name in enumerate(who):
        if name in erratic and rng.random() < 0.5:
            data[k] = data[k, ::-1]
    return data, who


def test_split_half_reliability_high_for_informative_judges_and_low_for_coin_tosses():
    data, who = judged_session(41)
    assert split_half_reliability(data, who, 60, splits=20) > 0.8
    rng = np.random.default_rng(42)
    coin = simulate(np.zeros(60), 20, rng)
    assert split_half_reliability(coin, who, 60, splits=20) < 0.3
    assert split_half_reliability(data, who, 60, splits=20, seed=3) == split_half_reliability(
        data, who, 60, splits=20, seed=3
    )


@pytest.mark.parametrize("seed", [51, 52, 53])
def test_infit_flags_an_erratic_judge_only_with_enough_judgements(seed):
    data, who = judged_session(seed, erratic=("judge-0",))
    fit = fit_bradley_terry(data, 60)
    report = judge_infit(data, who, fit)
    assert report["judge-0"].judgements >= 20
    assert report["judge-0"].misfit
    assert [name for name, row in report.items() if row.misfit] == ["judge-0"]
    # the same erratic judge with only a handful of judgements: an infit, never a flag
    few = [k for k, name in enumerate(who) if name != "judge-0"] + [k for k, n in enumerate(who) if n == "judge-0"][:8]
    sub_data, sub_who = data[few], [who[k] for k in few]
    report = judge_infit(sub_data, sub_who, fit_bradley_terry(sub_data, 60))
    assert report["judge-0"].judgements == 8 and np.isfinite(report["judge-0"].infit)
    assert not report["judge-0"].misfit
    lowered = judge_infit(sub_data, sub_who, fit_bradley_terry(sub_data, 60), min_judgements=5)
    assert lowered["judge-0"].threshold is not None


def test_large_session_fits_and_converges():
    rng = np.random.default_rng(61)
    n = 20_000
    data = simulate(rng.normal(0, 1, n), 10, rng)
    fit = fit_bradley_terry(data, n)
    assert fit.converged and fit.se_method == "approx"
    assert np.all(np.isfinite(fit.scores)) and abs(fit.scores.mean()) < 1e-9
    assert 0.5 < fit.ssr < 0.8  # about 10 comparisons per script (Verhavert et al. 2019: ~0.7)


def test_hundred_thousand_scripts_fit_and_solve_the_likelihood_equations():
    # 100,000 scripts, 20 comparisons each (1,000,000 judgements), the default eps method: the
    # adjusted score equations hold (each script's expected wins equal its adjusted wins, less the
    # vanishing ridge, up to the mean-0 rule's common shift)
    rng = np.random.default_rng(62)
    n = 100_000
    data = simulate(rng.normal(0, 1, n), 20, rng)
    fit = fit_bradley_terry(data, n)
    assert fit.converged and fit.se_method == "approx"
    assert abs(fit.scores.mean()) < 1e-9 and np.all(np.isfinite(fit.standard_errors))
    wins = np.bincount(data[:, 0], minlength=n)
    m = fit.comparisons_per_script
    target = 0.3 + (m - 0.6) * wins / m
    p = 1 / (1 + np.exp(-(fit.scores[data[:, 0]] - fit.scores[data[:, 1]])))
    expected = np.bincount(data[:, 0], weights=p, minlength=n) + np.bincount(data[:, 1], weights=1 - p, minlength=n)
    residual = target - expected - 1e-6 * fit.scores
    np.testing.assert_allclose(residual - residual.mean(), 0.0, atol=1e-7)
    assert 0.7 < fit.ssr < 0.85  # about 0.76 at 20 comparisons per script with abilities N(0, 1)


def test_ml_with_anchors_needs_every_free_script_pinned_both_ways():
    # script 2 beat both anchors and was never beaten: no finite estimate even with anchors
    data = [(2, 0), (2, 1), (0, 1), (1, 0), (3, 0), (0, 3)]
    with pytest.raises(BTNotEstimable, match="won every comparison"):
        fit_bradley_terry(data, 4, method="ml", anchors={0: 0.0, 1: 0.5})
    fit = fit_bradley_terry(data, 4, method="eps", anchors={0: 0.0, 1: 0.5})
    assert np.all(np.isfinite(fit.scores)) and fit.scores[2] > fit.scores[1]
    assert fit.scores[0] == 0.0 and fit.scores[1] == 0.5


@pytest.mark.parametrize(
    ("data", "n", "message"),
    [
        ([(0, 3)], 3, "between 0 and 2"),
        ([(1, 1)], 3, "itself"),
        ([(0, 1, 2)], 3, "pairs"),
    ],
)
def test_bad_input_is_refused(data, n, message):
    with pytest.raises(ValueError, match=message):
        fit_bradley_terry(data, n)


def test_no_comparisons_gives_zero_scores_and_infinite_errors():
    fit = fit_bradley_terry([], 3)
    assert fit.converged and np.all(fit.scores == 0) and np.all(np.isinf(fit.standard_errors))
    assert fit.ssr == 0.0
    with pytest.raises(BTNotEstimable, match="has no comparisons"):
        fit_bradley_terry([], 3, method="ml")
