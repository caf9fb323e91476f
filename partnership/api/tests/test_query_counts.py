"""The plans and meetings API lists and details: the query count does not grow with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.meetings.models import Attendance
from partnership.meetings.tests.factories import agenda_item, held_meeting, pdf_paper
from partnership.plans.models import ProgressUpdate, Rag
from partnership.plans.tests import factories as plans

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/plans/",
    "/api/v1/plans/{plan}/",
    "/api/v1/priorities/",
    "/api/v1/objectives/",
    "/api/v1/progress-updates/",
    "/api/v1/meetings/",
    "/api/v1/meetings/{meeting}/",
    "/api/v1/agenda-items/",
]


def grow(world, plan, meeting, n: int) -> None:
    """n more partnership priorities (each with themes, an objective, milestones and updates), and n
    more meetings of the network, each with an attendee, agenda items and papers."""
    coordinator = world["coordinator"]
    for index in range(n):
        senco = staff(member_school(world.home), Role.SENCO)
        priority = plans.priority(plan, f"Priority {index}", themes=(f"Theme {index}", "Reading"), lead=senco)
        objective = plans.objective(priority, lead=senco)
        plans.milestone(objective)
        plans.milestone(objective, "spring")
        ProgressUpdate.objects.create(priority=priority, rag=Rag.AMBER, author=senco)
        ProgressUpdate.objects.create(objective=objective, rag=Rag.GREEN, author=coordinator)
        Attendance.objects.create(meeting=meeting, person=senco, status="present")
        for target in (meeting, held_meeting(world.network, created_by=coordinator, days_ago=10 + index)):
            item = agenda_item(target, f"Item {index}", decisions="One\nTwo")
            pdf_paper(item, coordinator)
            pdf_paper(item, coordinator)


def counts(client, plan, meeting) -> dict[str, int]:
    found = {}
    for url in URLS:
        path = url.format(plan=plan.pk, meeting=meeting.pk)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, path
        found[url] = len(ctx.captured_queries)
    return found


def test_plan_and_meeting_endpoints_do_not_grow(client, world):
    plan = plans.partnership_plan(world.home, world["coordinator"])
    meeting = held_meeting(world.network, created_by=world["coordinator"])
    client.force_login(world["coordinator"])
    grow(world, plan, meeting, 1)
    small = counts(client, plan, meeting)
    grow(world, plan, meeting, 6)
    large = counts(client, plan, meeting)
    assert large == small
