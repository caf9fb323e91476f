"""Meeting pages and feeds: the query count does not grow with items, papers, actions, attendees
or meetings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.meetings import services
from partnership.meetings.models import Attendance
from partnership.meetings.tests.factories import (
    agenda_item,
    calendar_feed,
    held_meeting,
    pdf_paper,
    scheduled_meeting,
)

pytestmark = pytest.mark.django_db


def grow(world, meeting, n: int) -> None:
    """n more SENCOs (each at a new school, on the meeting's list), agenda items with two papers
    and two actions each, and n more upcoming and past meetings with agendas."""
    coordinator = world["coordinator"]
    for _ in range(n):
        senco = staff(member_school(world.home), Role.SENCO)
        Attendance.objects.create(meeting=meeting, person=senco, status="present")
        item = agenda_item(meeting, f"Item for {senco.full_name}", presenter=senco)
        item.meeting = meeting
        for _ in range(2):
            pdf_paper(item, coordinator)
            services.agenda_item_action_add(item=item, title="Follow up", owner=senco, actor=coordinator)
        for other in (
            scheduled_meeting(world.network, created_by=coordinator, days_ahead=20),
            held_meeting(world.network, created_by=coordinator, days_ago=20),
        ):
            agenda_item(other, "Welcome")
            agenda_item(other, "Data")


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("viewer", ["coordinator", "senco"])
def test_meeting_pages_and_feeds_do_not_grow(client, world, viewer):
    meeting = scheduled_meeting(world.network, created_by=world["coordinator"], host_school=world.own)
    person_feed, person_raw = calendar_feed(world[viewer])
    _, network_raw = calendar_feed(world[viewer], world.network)
    pages = {
        "meeting": f"/meetings/{meeting.pk}/",
        "index": "/meetings/",
        "home": "/",
        "network": f"/networks/{world.network.pk}/",
        "feeds": "/meetings/calendar-feeds/",
        "person feed": f"/calendar/{person_raw}.ics",
        "network feed": f"/calendar/{network_raw}.ics",
    }
    client.force_login(world[viewer])
    grow(world, meeting, 1)
    small = {name: count(client, url) for name, url in pages.items()}
    grow(world, meeting, 8)
    calendar_feed(world[viewer])
    large = {name: count(client, url) for name, url in pages.items()}
    grown = {name: (small[name], large[name]) for name in small if large[name] > small[name]}
    assert not grown, f"query counts grew (small, large): {grown}"
    assert "Item for" in client.get(pages["meeting"]).content.decode()
