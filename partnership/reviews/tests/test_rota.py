"""The rota planner: hard rules always kept, infeasibility exactly when an independent oracle says so,
soft rules kept where a rota keeping them is known to exist, and the messages in plain words.

The property tests are derandomized, like the project's other ones: every run tries the same
examples, so a failure is reproducible and CI never turns red on a draw of the dice. They were also
run with several random seeds while the planner was written."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from partnership.reviews.rota import Reviewer, RotaInfeasible, RotaPlan, check_rota, plan_rota

ROOT = Path(__file__).resolve().parents[3]


# --- instances --------------------------------------------------------------------------------------


@st.composite
def partnerships(draw, max_schools=40):
    """A random partnership: 3-40 schools, 1-3 reviewers each, team 1-3, load 1-4, random conflicts
    and last cycle's pairings (sometimes dense enough that no rota exists)."""
    n = draw(st.integers(3, max_schools))
    schools = list(range(100, 100 + n))
    reviewers = [Reviewer(f"r{s}-{k}", s) for s in schools for k in range(draw(st.integers(1, 3)))]
    team_size = draw(st.integers(1, 3))
    max_load = draw(st.integers(1, 4))
    rnd = random.Random(draw(st.integers(0, 2**32)))  # one draw, not one per pair: fast to generate
    density = draw(st.sampled_from([0.0, 0.05, 0.3, 0.7, 0.95]))
    # sometimes a few schools may be reviewed only by the same few reviewers, so they compete for them
    crowded = set(rnd.sample(schools, rnd.randint(2, min(4, n)))) if draw(st.booleans()) else set()
    helpers = {r.id for r in rnd.sample(reviewers, min(len(reviewers), rnd.randint(2, 6)))}
    pairs = [(r.id, s) for r in reviewers for s in schools if s != r.school_id]
    conflicts = [(rid, s) for rid, s in pairs if (rid not in helpers if s in crowded else rnd.random() < density)]
    avoid = [p for p in pairs if rnd.random() < 0.2]
    return schools, reviewers, team_size, max_load, avoid, conflicts


def eligible_pairs(schools, reviewers, conflicts):
    conflict = set(conflicts)
    return [
        (i, j)
        for i, r in enumerate(reviewers)
        for j, s in enumerate(schools)
        if r.school_id != s and (r.id, s) not in conflict
    ]


def max_flow_oracle(schools, reviewers, team_size, max_load, conflicts) -> bool:
    """Feasibility by a plain Ford-Fulkerson on an explicit residual matrix (depth-first paths)."""
    r_count, n = len(reviewers), len(schools)
    size = 2 + r_count + n
    source, sink = 0, size - 1
    cap = [[0] * size for _ in range(size)]
    neighbours: list[set[int]] = [set() for _ in range(size)]
    for i in range(r_count):
        cap[source][1 + i] = max_load
    for j in range(n):
        cap[1 + r_count + j][sink] = team_size
    for i, j in eligible_pairs(schools, reviewers, conflicts):
        cap[1 + i][1 + r_count + j] = 1
    for u in range(size):
        for v in range(size):
            if cap[u][v]:
                neighbours[u].add(v)
                neighbours[v].add(u)

    def path(u, seen):
        if u == sink:
            return [u]
        seen.add(u)
        for v in neighbours[u]:
            if cap[u][v] > 0 and v not in seen:
                rest = path(v, seen)
                if rest:
                    return [u, *rest]
        return None

    flow = 0
    while found := path(source, set()):
        for u, v in zip(found, found[1:], strict=False):
            cap[u][v] -= 1
            cap[v][u] += 1
        flow += 1
    return flow == n * team_size


def milp_oracle(schools, reviewers, team_size, max_load, conflicts) -> bool:
    """Feasibility as an integer programme (scipy's HiGHS): x[r, s] in {0, 1} for eligible pairs."""
    pairs = eligible_pairs(schools, reviewers, conflicts)
    if not pairs:
        return team_size == 0
    rows_school = np.zeros((len(schools), len(pairs)))
    rows_reviewer = np.zeros((len(reviewers), len(pairs)))
    for k, (i, j) in enumerate(pairs):
        rows_school[j, k] = 1
        rows_reviewer[i, k] = 1
    result = milp(
        c=np.zeros(len(pairs)),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
        constraints=[
            LinearConstraint(rows_school, team_size, team_size),
            LinearConstraint(rows_reviewer, 0, max_load),
        ],
    )
    return result.status == 0


def soft_rota_exists(schools, reviewers, team_size, max_load, avoid, conflicts) -> bool:
    """Whether some rota keeps every hard and soft rule, as an integer programme: no avoided or
    conflicting pair has a variable, no two placements make a reciprocal pair, and every load lies
    between the balanced share rounded down and rounded up."""
    pairs = [
        (i, j)
        for i, j in eligible_pairs(schools, reviewers, conflicts)
        if (reviewers[i].id, schools[j]) not in set(avoid)
    ]
    if not pairs:
        return False
    column = {pair: k for k, pair in enumerate(pairs)}
    places, count = len(schools) * team_size, len(reviewers)
    rows, low, high = [], [], []

    def row(columns, lo, hi):
        values = np.zeros(len(pairs))
        values[list(columns)] = 1
        rows.append(values)
        low.append(lo)
        high.append(hi)

    for j in range(len(schools)):
        row([column[p] for p in pairs if p[1] == j], team_size, team_size)
    for i in range(count):
        row([column[p] for p in pairs if p[0] == i], places // count, min(max_load, -(-places // count)))
    position = {s: j for j, s in enumerate(schools)}
    for i, j in pairs:
        for i2, j2 in pairs:
            if (i, j) < (i2, j2) and j2 == position[reviewers[i].school_id] and reviewers[i2].school_id == schools[j]:
                row([column[(i, j)], column[(i2, j2)]], 0, 1)
    result = milp(
        c=np.zeros(len(pairs)),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
        constraints=[LinearConstraint(np.array(rows), low, high)],
    )
    return result.status == 0


def assert_hard_rules(plan, schools, reviewers, team_size, max_load, conflicts):
    """Checked here from scratch, not with check_rota."""
    school_of = {r.id: r.school_id for r in reviewers}
    assert set(plan.teams) == set(schools)
    loads = Counter()
    for school, team in plan.teams.items():
        assert len(team) == team_size == len(set(team))
        for rid in team:
            assert rid in school_of
            assert school_of[rid] != school
            assert (rid, school) not in set(conflicts)
            loads[rid] += 1
    assert max(loads.values(), default=0) <= max_load


def soft_breaks(plan, reviewers, avoid):
    school_of = {r.id: r.school_id for r in reviewers}
    reviews = {(school_of[rid], s) for s, team in plan.teams.items() for rid in team}
    avoided = [(rid, s) for s, team in plan.teams.items() for rid in team if (rid, s) in set(avoid)]
    reciprocal = [(a, b) for a, b in reviews if (b, a) in reviews]
    loads = Counter({r.id: 0 for r in reviewers})
    loads.update(rid for team in plan.teams.values() for rid in team)
    return avoided, reciprocal, max(loads.values()) - min(loads.values())


SHORT = re.compile(
    r"^\d+ schools? needs? \d+ reviewers?( each)?, but (\d+) reviewers? with a load of (\d+) gives? only (\d+) places?$"
)
ONE = re.compile(r"^school \S+ needs (\d+) reviewers?, but only (\d+) reviewers? may review it ")
CUT = re.compile(
    r"^schools .+ need \d+ reviewers? each \((\d+) places?\), "
    r"but the \d+ reviewers? who may review them, .* can fill only (\d+) of those places$"
)


def assert_message_shows_a_shortfall(message: str) -> None:
    if m := SHORT.match(message):
        assert int(m.group(2)) * int(m.group(3)) == int(m.group(4))
    elif m := ONE.match(message):
        assert int(m.group(2)) < int(m.group(1))
    elif m := CUT.match(message):
        assert int(m.group(2)) < int(m.group(1))
    else:
        raise AssertionError(f"unexpected message: {message}")


# --- properties -------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(partnerships())
def test_rota_keeps_the_hard_rules_and_is_infeasible_exactly_when_the_flow_oracle_says_so(case):
    schools, reviewers, team_size, max_load, avoid, conflicts = case
    feasible = max_flow_oracle(schools, reviewers, team_size, max_load, conflicts)
    try:
        plan = plan_rota(schools, reviewers, team_size=team_size, max_load=max_load, avoid=avoid, conflicts=conflicts)
    except RotaInfeasible as error:
        assert not feasible, f"a rota exists, but the planner said: {error}"
        assert_message_shows_a_shortfall(str(error))
        return
    assert feasible
    assert_hard_rules(plan, schools, reviewers, team_size, max_load, conflicts)
    assert check_rota(plan, schools, reviewers, team_size=team_size, max_load=max_load, conflicts=conflicts) == []
    avoided, reciprocal, spread = soft_breaks(plan, reviewers, avoid)
    assert bool(avoided) == any("as last cycle" in note for note in plan.relaxed)
    assert bool(reciprocal) == any("review each other" in note for note in plan.relaxed)
    assert (spread > 1) == any("loads are not balanced" in note for note in plan.relaxed)


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(partnerships(max_schools=15))
def test_infeasible_exactly_when_the_integer_programme_has_no_solution(case):
    schools, reviewers, team_size, max_load, avoid, conflicts = case
    feasible = milp_oracle(schools, reviewers, team_size, max_load, conflicts)
    try:
        plan_rota(schools, reviewers, team_size=team_size, max_load=max_load, avoid=avoid, conflicts=conflicts)
    except RotaInfeasible:
        assert not feasible
    else:
        assert feasible


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    n=st.integers(9, 40),
    shape=st.sampled_from([(1, 1), (1, 2), (2, 2)]),
    shuffle=st.randoms(use_true_random=False),
    last_team_of_two=st.booleans(),
)
def test_soft_rules_hold_for_one_head_per_school_after_a_cyclic_rota(n, shape, shuffle, last_team_of_two):
    """Last cycle school i was reviewed by school i+1's head (and i+2's, for teams of two); a rota
    keeping every soft rule exists (heads i+3 and i+4, say), so none may be relaxed."""
    team_size, max_load = shape
    labels = [f"S{k}" for k in range(n)]
    shuffle.shuffle(labels)  # the cycle runs in an order unrelated to the input order
    schools = sorted(labels)
    reviewers = [Reviewer(f"head-{s}", s) for s in schools]
    avoid = [(f"head-{labels[(i + 1) % n]}", labels[i]) for i in range(n)]
    if last_team_of_two:
        avoid += [(f"head-{labels[(i + 2) % n]}", labels[i]) for i in range(n)]
    plan = plan_rota(schools, reviewers, team_size=team_size, max_load=max_load, avoid=avoid)
    assert_hard_rules(plan, schools, reviewers, team_size, max_load, ())
    assert plan.relaxed == []
    avoided, reciprocal, spread = soft_breaks(plan, reviewers, avoid)
    assert avoided == [] and reciprocal == [] and spread <= 1


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    n=st.integers(3, 8),
    sizes=st.lists(st.integers(1, 2), min_size=8, max_size=8),
    team_size=st.integers(1, 2),
    max_load=st.integers(1, 3),
    avoid_density=st.sampled_from([0.2, 0.4]),
    seed=st.integers(0, 2**32),
)
def test_soft_rules_kept_whenever_the_integer_programme_finds_a_rota_keeping_them(
    n, sizes, team_size, max_load, avoid_density, seed
):
    rnd = random.Random(seed)
    schools = list(range(n))
    reviewers = [Reviewer(f"r{s}-{k}", s) for s in schools for k in range(sizes[s])]
    pairs = [(r.id, s) for r in reviewers for s in schools if s != r.school_id]
    conflicts = [p for p in pairs if rnd.random() < 0.1]
    avoid = [p for p in pairs if rnd.random() < avoid_density]
    if not soft_rota_exists(schools, reviewers, team_size, max_load, avoid, conflicts):
        return
    plan = plan_rota(schools, reviewers, team_size=team_size, max_load=max_load, avoid=avoid, conflicts=conflicts)
    assert plan.relaxed == []


def test_head_and_deputy_with_last_cycle_avoided_keeps_every_soft_rule():
    schools = list(range(1, 31))
    reviewers = [Reviewer(f"{role}{s}", s) for s in schools for role in ("head", "deputy")]
    last = plan_rota(schools, reviewers, team_size=2, max_load=2)
    avoid = [(rid, s) for s, team in last.teams.items() for rid in team]
    plan = plan_rota(schools, reviewers, team_size=2, max_load=2, avoid=avoid)
    assert plan.relaxed == [] and last.relaxed == []
    assert soft_breaks(plan, reviewers, avoid) == ([], [], 0)


# --- worked examples --------------------------------------------------------------------------------


def heads(*schools):
    return [Reviewer(f"head-{s}", s) for s in schools]


def test_too_few_places_in_all():
    with pytest.raises(RotaInfeasible) as error:
        plan_rota([1, 2, 3], heads(1, 2, 3), team_size=2, max_load=1)
    assert str(error.value) == "3 schools need 2 reviewers each, but 3 reviewers with a load of 1 give only 3 places"


def test_a_school_with_too_few_reviewers_who_may_review_it():
    conflicts = [("head-2", 1), ("head-4", 1)]
    with pytest.raises(RotaInfeasible) as error:
        plan_rota([1, 2, 3, 4], heads(1, 2, 3, 4), team_size=2, max_load=3, conflicts=conflicts)
    assert str(error.value) == (
        "school 1 needs 2 reviewers, but only 1 reviewer may review it (the others work there or have "
        "declared a conflict of interest)"
    )


def test_schools_that_compete_for_the_same_reviewer():
    """Enough places in all and two reviewers for each school, but schools 1 and 2 may each be
    reviewed only by school 3's head and one outside adviser, who review once each."""
    reviewers = [*heads(1, 2, 3), Reviewer("adviser", "LA"), Reviewer("x", "LA"), Reviewer("y", "LA")]
    conflicts = [("head-2", 1), ("head-1", 2), ("x", 1), ("x", 2), ("y", 1), ("y", 2)]
    with pytest.raises(RotaInfeasible) as error:
        plan_rota([1, 2, 3], reviewers, team_size=2, max_load=1, conflicts=conflicts)
    assert str(error.value) == (
        "schools 1 and 2 need 2 reviewers each (4 places), but the 2 reviewers who may review them, "
        "at most 1 review each, can fill only 2 of those places"
    )


def test_three_schools_in_teams_of_two_must_relax_the_soft_rules():
    """Each school can only be reviewed by the other two heads, so every pair reviews each other and
    last cycle's pairing has to be repeated; the plan says so."""
    plan = plan_rota(["A", "B", "C"], heads("A", "B", "C"), team_size=2, max_load=2, avoid=[("head-B", "A")])
    assert plan.teams == {"A": ["head-B", "head-C"], "B": ["head-A", "head-C"], "C": ["head-A", "head-B"]}
    assert plan.relaxed == [
        "reviewer head-B reviews school A again, as last cycle",
        "schools A and B review each other",
        "schools A and C review each other",
        "schools B and C review each other",
    ]


def test_unbalanced_loads_are_reported_when_conflicts_force_them():
    reviewers = [*heads(1, 2, 3, 4), Reviewer("adviser", "LA")]
    conflicts = [("adviser", s) for s in (1, 2, 3, 4)]
    plan = plan_rota([1, 2, 3, 4], reviewers, team_size=1, max_load=2, conflicts=conflicts)
    assert "loads are not balanced: reviewers carry from 0 to 1 reviews" not in " ".join(plan.relaxed)
    plan = plan_rota([1, 2, 3, 4], reviewers, team_size=2, max_load=2, conflicts=conflicts)
    assert plan.relaxed[-1].startswith("loads are not balanced: reviewers carry from 0 to 2 reviews")


def test_no_schools_or_no_team_needs_nobody():
    assert plan_rota([], heads(1), team_size=2, max_load=1) == RotaPlan(teams={}, relaxed=[])
    assert plan_rota([1, 2], [], team_size=0, max_load=0).teams == {1: [], 2: []}


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="only once in school_ids"):
        plan_rota([1, 1], heads(1), team_size=1, max_load=1)
    with pytest.raises(ValueError, match="only once in reviewers"):
        plan_rota([1, 2], heads(1, 1), team_size=1, max_load=1)
    with pytest.raises(ValueError, match="negative"):
        plan_rota([1, 2], heads(1, 2), team_size=-1, max_load=1)


def test_check_rota_names_every_hard_rule_an_edit_breaks():
    reviewers = [*heads(1, 2, 3), Reviewer("adviser", "LA")]
    teams = {1: ["head-1", "head-2"], 2: ["head-3", "head-3"], 3: ["adviser", "nobody"], 9: ["head-2"]}
    assert check_rota(teams, [1, 2, 3], reviewers, team_size=2, max_load=1, conflicts=[("adviser", 3)]) == [
        "the rota has a team for school 9, which is not in this cycle",
        "reviewer head-1 works at school 1, so cannot review it",
        "school 2 has 1 reviewer; it needs 2",
        "reviewer head-3 is on school 2's team 2 times",
        "reviewer adviser has declared a conflict of interest with school 3",
        "school 3's team names nobody, who is not a reviewer in this cycle",
    ]
    assert check_rota({1: ["head-3"], 2: ["head-3"], 3: []}, [1, 2, 3], reviewers, team_size=1, max_load=1) == [
        "school 3 has 0 reviewers; it needs 1",
        "reviewer head-3 is on 2 teams; the most is 1",
    ]
    plan = plan_rota([1, 2, 3], reviewers, team_size=2, max_load=2)
    assert check_rota(plan, [1, 2, 3], reviewers, team_size=2, max_load=2) == []


# --- determinism ------------------------------------------------------------------------------------


def test_same_input_same_rota():
    rnd = random.Random(7)
    schools = [f"school-{k}" for k in range(25)]
    reviewers = [Reviewer(f"{s}/{k}", s) for s in schools for k in range(rnd.randint(1, 3))]
    conflicts = [(r.id, s) for r in reviewers for s in schools if rnd.random() < 0.2]
    avoid = [(r.id, s) for r in reviewers for s in schools if rnd.random() < 0.2]
    first = plan_rota(schools, reviewers, team_size=2, max_load=3, avoid=avoid, conflicts=conflicts)
    again = plan_rota(schools, reviewers, team_size=2, max_load=3, avoid=set(avoid), conflicts=set(conflicts))
    assert first == again


SCRIPT = """
import json
from partnership.reviews.rota import Reviewer, plan_rota
schools = [f"school-{k}" for k in range(20)]
reviewers = [Reviewer(f"{s}/{k}", s) for s in schools for k in range(2)]
avoid = {(f"{schools[(k + 1) % 20]}/0", s) for k, s in enumerate(schools)}
plan = plan_rota(schools, reviewers, team_size=2, max_load=2, avoid=avoid)
print(json.dumps([plan.teams, plan.relaxed]))
"""


def test_same_rota_whatever_the_string_hash_seed():
    """String ids hash differently in every process; the rota must not depend on it."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]


def test_the_module_imports_nothing_from_django_or_the_rest_of_partnership():
    source = (ROOT / "partnership" / "reviews" / "rota.py").read_text()
    imported = re.findall(r"^(?:from|import) (\S+)", source, flags=re.MULTILINE)
    assert imported and not [m for m in imported if m.split(".")[0] in {"django", "partnership", "rest_framework"}]
