"""Demo outcomes: three years of synthetic results for every demo school, so the outcomes pages
show something meaningful. Run after `partnership.directory.demo.load_demo`.

Idempotent: a school that already has pupils (from an earlier run or a real import) is left alone.
Results are for 2022/23, 2023/24 and 2024/25, the latest years with national figures; termly
teacher assessments are for the current academic year.
"""

from __future__ import annotations

from django.db import transaction

from partnership.directory.demo import PARTNERSHIPS
from partnership.directory.models import School
from partnership.outcomes.synthetic import DEFAULT_SEED, DEFAULT_YEARS, generate_results

DEMO_SCHOOL_SLUGS = [slug for spec in PARTNERSHIPS.values() for _, slug, _, _ in spec["schools"]]


@transaction.atomic
def load_outcomes_demo() -> int:
    """Pupils and results for each demo school without pupils; returns how many schools got them."""
    schools = School.objects.filter(slug__in=DEMO_SCHOOL_SLUGS).order_by("slug")
    return generate_results(schools, years=DEFAULT_YEARS, seed=DEFAULT_SEED).schools
