"""Synthetic outcomes generator throughput at 10 and 100 schools.

Run with `make bench` (or `pytest bench/test_outcomes_generator.py`). Each round generates three
years of results plus this year's termly teacher assessments for fresh schools; rows written and
rows per second are stored in each benchmark's extra_info.
"""

import itertools

import pytest

from partnership.directory.models import School
from partnership.outcomes.models import Pupil
from partnership.outcomes.synthetic import generate_results

_numbers = itertools.count()


def fresh_schools(size: int) -> list[School]:
    start = next(_numbers) * size
    return School.objects.bulk_create(
        School(
            urn=f"{700000 + start + i}",
            la_code="936",
            establishment_number=f"{(start + i) % 10000:04d}",
            name=f"Bench School {start + i}",
            slug=f"bench-outcomes-{start + i}",
            phase="infant" if i % 7 == 0 else "primary",
        )
        for i in range(size)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 100])
def test_generate_results(benchmark, size):
    summaries = []

    def setup():
        Pupil.objects.all().delete()
        return (fresh_schools(size),), {}

    def run(schools):
        summaries.append(generate_results(schools, years=(2022, 2023, 2024), seed=1, assessment_year=2024))

    benchmark.group = "outcomes generator"
    benchmark.pedantic(run, setup=setup, rounds=3, iterations=1)
    rows = summaries[-1].rows
    benchmark.extra_info["schools"] = size
    benchmark.extra_info["rows"] = rows
    benchmark.extra_info["rows_per_second"] = round(rows / benchmark.stats.stats.mean)
    assert summaries[-1].schools == size
