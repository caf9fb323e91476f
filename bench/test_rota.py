"""The peer-review rota planner's time at 10, 100 and 1,000 schools.

Run with `make bench` (or `pytest bench/test_rota.py --benchmark-only`). Each school has a head and
a deputy who review; teams of two, at most two reviews each, and last cycle's rota (the planner's
own proposal for the same partnership with nothing to avoid) given as the pairings to avoid. The
median time and the soft rules relaxed are printed in a "rota planner" section at the end of the
run and kept in each benchmark's extra_info.
"""

from __future__ import annotations

import random
import statistics

import pytest
from figures import section

from partnership.reviews.rota import Reviewer, RotaPlan, check_rota, plan_rota

FIGURES = section("rota planner")  # printed after the benchmark table
ROUNDS = 5


def partnership(size: int) -> tuple[list[int], list[Reviewer], list[tuple[str, int]]]:
    schools = list(range(1, size + 1))
    reviewers = [Reviewer(f"{role}-{school}", school) for school in schools for role in ("head", "deputy")]
    last = plan_rota(schools, reviewers, team_size=2, max_load=2)
    avoid = [(reviewer, school) for school, team in last.teams.items() for reviewer in team]
    return schools, reviewers, avoid


@pytest.mark.parametrize("size", [10, 100, 1000])
def test_plan_rota(benchmark, size):
    schools, reviewers, avoid = partnership(size)
    plans: list[RotaPlan] = []

    def run() -> None:
        plans.append(plan_rota(schools, reviewers, team_size=2, max_load=2, avoid=avoid))

    benchmark.group = "rota planner"
    benchmark.pedantic(run, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    plan = plans[-1]
    assert check_rota(plan, schools, reviewers, team_size=2, max_load=2) == []
    assert all(plan.teams == other.teams for other in plans)  # the same rota every time
    median_ms = statistics.median(benchmark.stats.stats.data) * 1000
    benchmark.extra_info.update({"schools": size, "median_ms": round(median_ms, 2), "relaxed": len(plan.relaxed)})
    FIGURES.append(
        f"{size:5} schools, {len(reviewers):5} reviewers: median {median_ms:8.1f} ms, "
        f"{len(plan.relaxed)} soft rules relaxed"
    )
    assert median_ms < 2000


def test_plan_rota_crowded(benchmark):
    """A harder shape at 1,000 schools: teams of three from the same 2,000 reviewers (so loads of
    one and two must be balanced), each reviewer with 20 declared conflicts at random schools, and
    last cycle's rota to avoid."""
    schools, reviewers, avoid = partnership(1000)
    rnd = random.Random(1)
    conflicts = [(r.id, school) for r in reviewers for school in rnd.sample(schools, 20) if school != r.school_id]
    plans: list[RotaPlan] = []

    def run() -> None:
        plans.append(plan_rota(schools, reviewers, team_size=3, max_load=2, avoid=avoid, conflicts=conflicts))

    benchmark.group = "rota planner"
    benchmark.pedantic(run, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    plan = plans[-1]
    assert check_rota(plan, schools, reviewers, team_size=3, max_load=2, conflicts=conflicts) == []
    median_ms = statistics.median(benchmark.stats.stats.data) * 1000
    benchmark.extra_info.update({"schools": 1000, "median_ms": round(median_ms, 2), "relaxed": len(plan.relaxed)})
    FIGURES.append(
        f" 1000 schools, teams of 3, 20 conflicts each: median {median_ms:8.1f} ms, "
        f"{len(plan.relaxed)} soft rules relaxed"
    )
    assert median_ms < 2000


def test_plan_rota_with_unavoidable_breaks(benchmark):
    """The slowest shape: at 1,000 schools, 50 pairs of schools whose only possible reviewers are
    each other's head and deputy (everyone else has declared a conflict), so they must review each
    other and repeat last cycle; the search for a better rota runs until its work budget is spent."""
    schools, reviewers, avoid = partnership(1000)
    pairs = [(schools[2 * k], schools[2 * k + 1]) for k in range(50)]
    conflicts = [(r.id, school) for pair in pairs for school in pair for r in reviewers if r.school_id not in pair]
    avoid += [(f"head-{b}", a) for a, b in pairs]
    plans: list[RotaPlan] = []

    def run() -> None:
        plans.append(plan_rota(schools, reviewers, team_size=2, max_load=2, avoid=avoid, conflicts=conflicts))

    benchmark.group = "rota planner"
    benchmark.pedantic(run, rounds=ROUNDS, iterations=1, warmup_rounds=1)
    plan = plans[-1]
    assert check_rota(plan, schools, reviewers, team_size=2, max_load=2, conflicts=conflicts) == []
    assert sum("review each other" in note for note in plan.relaxed) == 50
    median_ms = statistics.median(benchmark.stats.stats.data) * 1000
    benchmark.extra_info.update({"schools": 1000, "median_ms": round(median_ms, 2), "relaxed": len(plan.relaxed)})
    FIGURES.append(
        f" 1000 schools, 50 pairs bound to each other: median {median_ms:8.1f} ms, "
        f"{len(plan.relaxed)} soft rules relaxed"
    )
    assert median_ms < 2000
