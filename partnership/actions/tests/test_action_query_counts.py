"""The action lists, an action's page, the downloads and the API do not run more queries as actions,
notes and sources grow."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.actions.models import Action
from partnership.actions.services import action_add_note, action_create
from partnership.core.roles import Role
from partnership.directory.models import Network
from partnership.directory.tests.factories import staff
from partnership.plans.models import ImprovementPlan, Objective, Priority

pytestmark = pytest.mark.django_db

PAGES = {
    "my actions": lambda w: "/actions/",
    "school actions": lambda w: "/actions/school/",
    "partnership actions": lambda w: "/actions/partnership/",
    "filtered": lambda w: f"/actions/school/?status=open&overdue=1&owner={w['teacher'].pk}&q=a",
    "action page": lambda w: f"/actions/{w.watched.pk}/",
    "csv": lambda w: "/actions/download/school.csv",
    "xlsx": lambda w: "/actions/download/partnership.xlsx",
    "new action": lambda w: f"/actions/new/school/{w.own.slug}/",
    "api list": lambda w: "/api/v1/actions/",
    "api action": lambda w: f"/api/v1/actions/{w.watched.pk}/",
}


def grow(world, count: int) -> None:
    """`count` school and partnership actions with owners, plan links, sources (with and without a
    page) and notes; more staff to choose owners from; more notes on the watched action."""
    plan = ImprovementPlan.objects.get_or_create(
        kind="school", school=world.own, academic_year=2025, defaults={"created_by": world["head"]}
    )[0]
    start = Priority.objects.filter(plan=plan).count()
    late = timezone.localdate() - datetime.timedelta(days=3)
    for i in range(count):
        priority = Priority.objects.create(plan=plan, number=start + i + 1, title=f"Priority {start + i}")
        objective = Objective.objects.create(priority=priority, number=1, title="Objective")
        owner = staff(world.own, Role.TEACHER)
        school = action_create(
            title=f"School action {i}",
            owner=owner if i % 2 else world["teacher"],
            created_by=world["head"],
            school=world.own,
            due_on=late,
            objective=objective,
            source=world.network if i % 2 else owner,  # a Network has a page here; a person's source not
        )
        action_add_note(action=school, author=world["head"], text="Going well", evidence_url="https://e.test/x")
        action_create(
            title=f"Partnership action {i}",
            owner=owner,
            created_by=world["coordinator"],
            partnership=world.home,
            school=world.own,
            source=world.network,
        )
        action_add_note(action=world.watched, author=world["head"], text=f"Note {i}")


@pytest.fixture
def sourced(monkeypatch):
    # Give one kind of source a page, so the source links are exercised.
    monkeypatch.setattr(Network, "get_absolute_url", lambda self: f"/networks/{self.pk}/", raising=False)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("user_key", ["head", "coordinator", "teacher"])
def test_query_counts_do_not_grow_with_actions(client, world, sourced, user_key):
    world.watched = action_create(  # type: ignore[attr-defined]
        title="A watched action", owner=world["teacher"], created_by=world["head"], school=world.own
    )
    grow(world, 2)
    user = world[user_key]
    pages = {name: build for name, build in PAGES.items() if _allowed(name, user_key)}
    client.force_login(user)
    small = {name: count_queries(client, build(world)) for name, build in pages.items()}
    grow(world, 30)
    large = {name: count_queries(client, build(world)) for name, build in pages.items()}
    assert Action.objects.count() > 60
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"query counts grew (small, large): {grown}"


def _allowed(page: str, user_key: str) -> bool:
    if user_key == "coordinator":
        # No school: no school action page or school "new action" page (the lists still render).
        return page not in ("action page", "api action", "new action")
    return True
