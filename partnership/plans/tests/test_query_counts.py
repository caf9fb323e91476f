"""Plan pages' query counts must not grow with priorities, objectives, milestones, updates,
actions or schools."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.plans import services
from partnership.plans.models import Rag, Term
from partnership.plans.tests import factories

pytestmark = pytest.mark.django_db


def _fill(plan, lead, author, priorities: int, objectives: int) -> None:
    start = plan.priorities.count()
    for i in range(priorities):
        priority = factories.priority(plan, f"Priority {start + i}", themes=("Reading", f"Theme {i}"), lead=lead)
        services.progress_record(item=priority, rag=Rag.AMBER, note="Update", actor=author)
        for j in range(objectives):
            objective = factories.objective(priority, f"Objective {j}", lead=lead)
            for term in Term.values:
                factories.milestone(objective, term, achieved=j % 2 == 0)
            factories.objective_action(objective, lead, title="Late", due_on=datetime.date(2020, 1, 1))
            factories.objective_action(objective, lead, title="Later", due_on=datetime.date(2099, 1, 1))
            services.progress_record(item=objective, rag=Rag.GREEN, note="Good", actor=author)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _pages(world, sdp, partnership_plan):
    return {
        "index": reverse("plans:index"),
        "plan": reverse("plans:detail", args=[sdp.pk]),
        "partnership plan": reverse("plans:detail", args=[partnership_plan.pk]),
        "review": reverse("plans:review", args=[sdp.pk]) + "?term=autumn",
        "shared priorities": reverse("plans:shared_priorities", args=[world.home.slug]),
        "pdf": reverse("plans:export_pdf", args=[sdp.pk]),
        "xlsx": reverse("plans:export_xlsx", args=[sdp.pk]),
    }


@pytest.mark.parametrize("user_key", ["head", "teacher"])
def test_plan_pages_do_not_grow_with_the_plan_or_the_schools(client, world, user_key):
    sdp = factories.school_plan(world.own, world["head"], shares=True)
    partnership_plan = factories.partnership_plan(world.home, world["coordinator"])
    factories.school_plan(world.own, world["head"], year=2001)
    # The small world already has one of everything, so empty prefetches do not hide growth.
    _fill(sdp, world["teacher"], world["head"], priorities=1, objectives=1)
    _fill(partnership_plan, world["partner_head"], world["coordinator"], priorities=1, objectives=1)
    partner_plan = factories.school_plan(world.partner, world["partner_head"], shares=True)
    _fill(partner_plan, world["partner_teacher"], world["partner_head"], priorities=1, objectives=1)
    client.force_login(world[user_key])
    pages = _pages(world, sdp, partnership_plan)
    small = {name: _count(client, url) for name, url in pages.items()}

    _fill(sdp, world["teacher"], world["head"], priorities=4, objectives=3)
    _fill(partnership_plan, world["partner_head"], world["coordinator"], priorities=3, objectives=2)
    for year in (2002, 2003):
        factories.school_plan(world.own, world["head"], year=year)
    for _ in range(5):
        school = member_school(world.home)
        head = staff(school, Role.HEADTEACHER)
        plan = factories.school_plan(school, head, shares=True)
        _fill(plan, head, head, priorities=2, objectives=1)
    large = {name: _count(client, url) for name, url in pages.items()}
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"query counts grew (small, large): {grown}"


def test_shared_priorities_and_index_for_a_coordinator_do_not_grow(client, world):
    partnership_plan = factories.partnership_plan(world.home, world["coordinator"])
    _fill(partnership_plan, world["partner_head"], world["coordinator"], priorities=1, objectives=1)
    plan = factories.school_plan(world.own, world["head"], shares=True)
    _fill(plan, world["teacher"], world["head"], priorities=1, objectives=1)
    client.force_login(world["coordinator"])
    pages = {
        "index": reverse("plans:index"),
        "shared priorities": reverse("plans:shared_priorities", args=[world.home.slug]),
        "partnership plan": reverse("plans:detail", args=[partnership_plan.pk]),
    }
    small = {name: _count(client, url) for name, url in pages.items()}
    for _ in range(6):
        school = member_school(world.home)
        head = staff(school, Role.HEADTEACHER)
        _fill(factories.school_plan(school, head, shares=True), head, head, priorities=3, objectives=2)
    _fill(partnership_plan, world["partner_head"], world["coordinator"], priorities=3, objectives=2)
    large = {name: _count(client, url) for name, url in pages.items()}
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"query counts grew (small, large): {grown}"
