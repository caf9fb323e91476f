"""A school's outcomes page and the Raising Achievement Board beside a plan page, on a six-school
partnership: the figures are computed once and cached (`core/memo.py`), so both outcome pages
should come within 3x of the plan page's time. Cold = the cache emptied before each request (the
first view after an import); warm = every later view.

Run with `make bench`. The medians and their ratios to the plan page are printed in a
"page times" section at the end of the run and kept in each benchmark's extra_info.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from figures import section

from partnership.core.roles import Role
from partnership.directory.tests.factories import PartnershipFactory, member_school, partnership_role, staff
from partnership.outcomes.synthetic import generate_results
from partnership.plans.models import Rag, Term
from partnership.plans.tests import factories

SCHOOLS = 6
ROUNDS = 30
FIGURES = section("page times")  # printed after the benchmark table


def _build() -> tuple[Any, Any, dict[str, str]]:
    home = PartnershipFactory(name="Bench Six", slug="bench-six")
    schools = [member_school(home, name=f"Bench Primary {i}", slug=f"bench-primary-{i}") for i in range(SCHOOLS)]
    generate_results(schools, years=(2022, 2023, 2024), seed=3)
    head = staff(schools[0], Role.HEADTEACHER, email="head@bench.test")
    coordinator = partnership_role(home, Role.COORDINATOR, email="coordinator@bench.test")
    plan = factories.school_plan(schools[0], head)
    for i in range(4):  # a believable plan: four priorities, two objectives each, a milestone a term
        priority = factories.priority(plan, f"Priority {i}", themes=("Reading",), lead=head, rag=Rag.AMBER)
        for j in range(2):
            objective = factories.objective(priority, f"Objective {j}", lead=head)
            for term in Term.values:
                factories.milestone(objective, term)
    urls = {
        "plan page": reverse("plans:detail", args=[plan.pk]),
        "school outcomes": reverse("outcomes:school_outcomes", args=[schools[0].slug]),
        "board": reverse("outcomes:partnership_dashboard", args=[home.slug]),
    }
    return head, coordinator, urls


def _median_ms(client: Client, url: str, *, cold: bool) -> float:
    times = []
    for _ in range(ROUNDS):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return statistics.median(times)


@pytest.mark.django_db
def test_outcome_pages_beside_a_plan_page(benchmark):
    head, _, urls = _build()
    client = Client()
    client.force_login(head)
    for url in urls.values():  # warm up templates, the principal and the cache
        client.get(url)
    plan = _median_ms(client, urls["plan page"], cold=False)
    found = {"plan page": plan}
    for page in ("school outcomes", "board"):
        found[f"{page} (cold)"] = _median_ms(client, urls[page], cold=True)
        found[f"{page} (warm)"] = _median_ms(client, urls[page], cold=False)
    FIGURES.append(f"{SCHOOLS} schools, three years of results, median of {ROUNDS} requests as the head:")
    for page, ms in found.items():
        FIGURES.append(f"  {page:24} {ms:7.1f} ms  {ms / plan:5.1f}x the plan page")
    benchmark.group = "page times"
    benchmark.extra_info.update({page: round(ms, 2) for page, ms in found.items()})
    benchmark.pedantic(lambda: client.get(urls["board"]), rounds=5, iterations=1)
    assert found["board (warm)"] < found["board (cold)"]
