"""Support matching (`match_all`) for a partnership of 20, 200 and 2,000 schools, beside a naive
all-pairs version written here (every need against every entry, then sorted).

Run with `make bench` (or `pytest bench/test_matching.py --benchmark-only`). Each school has 5
needs and 3 register entries, each in a different one of the 19 shipped areas, drawn at random
(seed 0): two in five needs name an outcome measure (one of five); entries have 1-4 sessions a term
with 0 to one more than that reserved, one in five is endorsed, one in twenty withdrawn, and each
has 0-3 pieces of evidence of any kind. Every need's list is its area's entries from other schools,
so the matches grow with the square of the partnership (about 3 million at 2,000 schools).

The naive version's results are asserted equal to `match_all`'s. It is timed on every need at 20
and 200 schools; at 2,000 schools, where it takes one to two minutes, only on every 50th need (the
figure given is that time scaled to all needs, marked "estimated"), unless
MATCH_BENCH_NAIVE_LARGE=1. Medians and ratios are printed in a "support matching" section at the
end of the run and kept in each benchmark's extra_info.
"""

from __future__ import annotations

import os
import random
import statistics
import time

import pytest
from figures import section

from partnership.goodpractice.areas import SHIPPED_AREAS
from partnership.goodpractice.matching import (
    EVIDENCE_WEIGHTS,
    Evidence,
    Match,
    Need,
    Offer,
    evidence_strength,
    match_all,
    reasons_for,
)

FIGURES = section("support matching")  # printed after the benchmark table
AREAS = [key for key, _, _ in SHIPPED_AREAS]
MEASURES = ["ks2_maths", "ks2_reading", "ks2_writing", "phonics", "gld"]
KINDS = list(EVIDENCE_WEIGHTS)
NEEDS_PER_SCHOOL = 5
ENTRIES_PER_SCHOOL = 3
SAMPLE_EVERY = 50  # the naive version's sample of needs at 2,000 schools


def partnership(schools: int, seed: int = 0) -> tuple[list[Need], list[Offer]]:
    rnd = random.Random(seed)
    needs: list[Need] = []
    offers: list[Offer] = []
    for school in range(1, schools + 1):
        for area in rnd.sample(AREAS, NEEDS_PER_SCHOOL):
            needs.append(Need(school, area, rnd.choice(MEASURES) if rnd.random() < 0.4 else ""))
        for area in rnd.sample(AREAS, ENTRIES_PER_SCHOOL):
            capacity = rnd.randint(1, 4)
            evidence = []
            for _ in range(rnd.randint(0, 3)):
                kind = rnd.choice(KINDS)
                evidence.append(Evidence(kind, f"{kind} {school}", rnd.choice(MEASURES) if kind == "measure" else ""))
            offers.append(
                Offer(
                    entry_id=len(offers) + 1,
                    school_id=school,
                    area=area,
                    capacity=capacity,
                    reserved=rnd.randint(0, capacity + 1),
                    endorsed=rnd.random() < 0.2,
                    endorsed_how="by the Raising Achievement Board" if rnd.random() < 0.5 else "",
                    withdrawn=rnd.random() < 0.05,
                    evidence=tuple(evidence),
                )
            )
    return needs, offers


def naive_match_all(needs: list[Need], offers: list[Offer]) -> list[list[Match]]:
    """Every need against every entry: keep the candidates, sort by the rule's key, build the matches."""
    results = []
    for need in needs:
        keyed = []
        for offer in offers:
            if offer.area == need.area and offer.school_id != need.school_id and not offer.withdrawn:
                strength = evidence_strength(offer, need)
                remaining = max(0, offer.capacity - offer.reserved)
                keyed.append(((remaining == 0, -strength, -remaining, offer.entry_id), offer, strength, remaining))
        keyed.sort(key=lambda row: row[0])
        results.append(
            [Match(offer, strength, remaining, reasons_for(need, offer)) for _, offer, strength, remaining in keyed]
        )
    return results


@pytest.mark.parametrize("schools", [20, 200, 2000])
def test_match_all(benchmark, schools):
    needs, offers = partnership(schools)
    results: list[list[list[Match]]] = []

    def run() -> None:
        results.append(match_all(needs, offers))

    rounds = 5 if schools < 2000 else 3
    benchmark.group = "support matching"
    benchmark.pedantic(run, rounds=rounds, iterations=1, warmup_rounds=1)
    found = results[-1]
    matches = sum(len(m) for m in found)
    median_ms = statistics.median(benchmark.stats.stats.data) * 1000

    full = schools < 2000 or os.environ.get("MATCH_BENCH_NAIVE_LARGE") == "1"
    picked = list(range(len(needs))) if full else list(range(0, len(needs), SAMPLE_EVERY))
    sample = [needs[i] for i in picked]
    times = []
    for _ in range(3 if schools < 2000 else 1):
        start = time.perf_counter()
        naive = naive_match_all(sample, offers)
        times.append(time.perf_counter() - start)
    assert naive == [found[i] for i in picked]
    naive_ms = statistics.median(times) * 1000 * len(needs) / len(sample)

    benchmark.extra_info.update(
        {
            "schools": schools,
            "needs": len(needs),
            "entries": len(offers),
            "matches": matches,
            "median_ms": round(median_ms, 1),
            "naive_ms": round(naive_ms, 1),
            "naive_estimated": not full,
        }
    )
    FIGURES.append(
        f"{schools:5} schools, {len(needs):6} needs, {len(offers):5} entries, {matches:8} matches: "
        f"match_all median {median_ms:8.1f} ms; naive all pairs {naive_ms:9.1f} ms"
        f"{'' if full else ' (estimated from every 50th need)'}, ratio {naive_ms / median_ms:6.1f}x"
    )
    assert median_ms < 5000  # a guard only: the figures are in docs/performance.md
