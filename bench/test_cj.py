"""The comparative-judgement fit's time at 200, 2,000 and 20,000 scripts, beside choix's fastest
method (`choix.ilsr_pairwise`) on the same judgements.

Run with `make bench` (or `pytest bench/test_cj.py --benchmark-only`). Each script is in 10
comparisons (random balanced pairing: ten random perfect matchings), the outcomes drawn from a
Bradley-Terry model with abilities N(0, 1), so some scripts win or lose all their comparisons:
our fit is the default eps method, and choix gets alpha = 0.01 (with alpha = 0 it fails on such
data). choix builds a dense n x n chain, so at 20,000 scripts it takes about ten minutes and is
timed only when CJ_BENCH_CHOIX_LARGE=1. Medians and the ratio are printed in a "comparative
judgement" section at the end of the run and kept in each benchmark's extra_info.
"""

from __future__ import annotations

import os
import statistics
import time

import choix
import numpy as np
import numpy.typing as npt
import pytest
from figures import section

from partnership.moderation.cj import BTFit, fit_bradley_terry

FIGURES = section("comparative judgement")  # printed after the benchmark table
ROUNDS = 3


def session(n: int, seed: int = 0) -> npt.NDArray[np.int64]:
    rng = np.random.default_rng(seed)
    theta = rng.normal(0, 1, n)
    pairs = np.concatenate([rng.permutation(n).reshape(-1, 2) for _ in range(10)])
    first_wins = rng.random(len(pairs)) < 1 / (1 + np.exp(-(theta[pairs[:, 0]] - theta[pairs[:, 1]])))
    return np.where(first_wins[:, None], pairs, pairs[:, ::-1])


@pytest.mark.parametrize("n", [200, 2000, 20000])
def test_fit_bradley_terry(benchmark, n):
    data = session(n)
    fits: list[BTFit] = []

    def run() -> None:
        fits.append(fit_bradley_terry(data, n))

    benchmark.group = "comparative judgement"
    benchmark.pedantic(run, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    fit = fits[-1]
    assert fit.converged and np.all(np.isfinite(fit.scores))
    median_ms = statistics.median(benchmark.stats.stats.data) * 1000

    choix_ms: float | None = None
    if n < 20000 or os.environ.get("CJ_BENCH_CHOIX_LARGE") == "1":
        times = []
        for _ in range(1 if n >= 2000 else ROUNDS):
            start = time.perf_counter()
            choix.ilsr_pairwise(n, data.tolist(), alpha=0.01)
            times.append(time.perf_counter() - start)
        choix_ms = statistics.median(times) * 1000
    benchmark.extra_info.update(
        {
            "scripts": n,
            "comparisons": len(data),
            "median_ms": round(median_ms, 1),
            "choix_ms": None if choix_ms is None else round(choix_ms, 1),
            "ssr": round(fit.ssr, 3),
            "se_method": fit.se_method,
        }
    )
    versus = (
        f"choix.ilsr_pairwise {choix_ms:9.1f} ms, ratio {choix_ms / median_ms:6.1f}x"
        if choix_ms is not None
        else "choix.ilsr_pairwise not timed (set CJ_BENCH_CHOIX_LARGE=1)"
    )
    FIGURES.append(
        f"{n:6} scripts, {len(data):6} comparisons: fit_bradley_terry median {median_ms:8.1f} ms "
        f"(SE {fit.se_method}, SSR {fit.ssr:.2f}); {versus}"
    )
    assert median_ms < 10_000
