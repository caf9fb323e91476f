"""The home page is made of the panels the apps declare (core.registry), for each person."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.actions.models import Action
from partnership.core import registry
from partnership.meetings.tests.factories import scheduled_meeting

pytestmark = pytest.mark.django_db


def test_the_apps_declare_their_panels_navigation_and_demo_data():
    columns = {side: [p.key for p in registry.HOME_PANELS if p.column == side] for side in ("left", "right")}
    assert columns == {"left": ["school", "partnerships"], "right": ["networks", "meetings", "actions"]}
    assert [n.label for n in registry.NAVIGATION] == [
        "Home", "Partnerships", "Schools", "People", "Networks", "Meetings", "Plans", "Outcomes", "Actions",
    ]  # fmt: skip
    assert [d.name for d in registry.DEMO_LOADERS] == ["directory", "plans", "meetings", "outcomes"]


def test_a_senco_sees_every_panel_with_their_own_things(client, world):
    senco = world["senco"]
    scheduled_meeting(world.network, created_by=world["coordinator"], title="Spring SENCO network")
    Action.objects.create(title="Update the SEND register", owner=senco, created_by=senco, school=world.own)
    client.force_login(senco)
    body = client.get("/").content.decode()
    for text in ["My school", "Own Primary", "My partnerships", "Home Partnership", "My networks", "SENCOs",
                 "Spring SENCO network", "Update the SEND register"]:  # fmt: skip
        assert text in body, text


def test_a_panel_that_has_nothing_for_a_person_is_left_out(client, world, monkeypatch):
    panels = [*registry.HOME_PANELS, registry.HomePanel("nothing", "missing.html", lambda request: None)]
    monkeypatch.setattr("partnership.home.selectors.HOME_PANELS", panels)
    client.force_login(world["teacher"])
    assert client.get("/").status_code == 200  # the missing template was never rendered


def test_the_home_page_asks_the_same_queries_however_many_meetings_and_actions(client, world):
    senco = world["senco"]
    client.force_login(senco)

    def queries_with(count: int) -> int:
        for n in range(count):
            scheduled_meeting(world.network, created_by=world["coordinator"], days_ahead=10 + n)
            Action.objects.create(title=f"Action {n}", owner=senco, created_by=senco, school=world.own)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx)

    assert queries_with(2) == queries_with(12)
