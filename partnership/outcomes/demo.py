"""Demo outcomes: three years of synthetic results for every demo school, so the outcomes pages
show something meaningful. Run after `partnership.directory.demo.load_demo`.

Idempotent: a school that already has pupils (from an earlier run or a real import) is left alone.
Results are for the three latest academic years whose statutory results are all in by the day the
demo loads (in December 2026: 2023/24 to 2025/26; in late July 2027 also 2026/27's), and termly
teacher assessments for the current academic year's terms that have begun. Each school is weaker in
the subjects of its story (`directory.demo.WEAK_SUBJECTS`), which its plan takes as priorities.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from partnership.core.registry import DemoOutcome
from partnership.directory.demo import PARTNERSHIPS, WEAK_SUBJECTS
from partnership.directory.models import School
from partnership.outcomes.synthetic import DEFAULT_SEED, generate_results, latest_results_year

DEMO_SCHOOL_SLUGS = [slug for spec in PARTNERSHIPS.values() for _, slug, _, _ in spec["schools"]]
# In latent SDs. Every demo school stands a little above the national average overall (as most
# schools in Surrey do), and well below it in its weak subjects, so the results show its story.
STANDING = 0.15
WEAKNESS = -1.0


def demo_years(today: datetime.date) -> tuple[int, int, int]:
    """The three latest academic years whose results are in by `today`."""
    last = latest_results_year(today)
    return (last - 2, last - 1, last)


@transaction.atomic
def load_outcomes_demo(today: datetime.date | None = None) -> int:
    """Pupils and results for each demo school without pupils; returns how many schools got them."""
    today = today or timezone.localdate()
    schools = School.objects.filter(slug__in=DEMO_SCHOOL_SLUGS).order_by("slug")
    effects = {slug: dict.fromkeys(subjects, WEAKNESS) for slug, subjects in WEAK_SUBJECTS.items()}
    standing = dict.fromkeys(DEMO_SCHOOL_SLUGS, STANDING)
    return generate_results(
        schools,
        years=demo_years(today),
        seed=DEFAULT_SEED,
        today=today,
        subject_effects=effects,
        school_effects=standing,
    ).schools


def demo_outcome(password: str, today: datetime.date) -> DemoOutcome:
    """The outcomes part of `manage.py load_demo`."""
    return DemoOutcome(f"{load_outcomes_demo(today)} schools given pupils and results")
