"""The home page is made of the panels the apps declare (core.registry), for each person."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.actions.models import Action
from partnership.core import registry
from partnership.core.schoolyear import current_academic_year
from partnership.directory.models import MemorandumAgreement
from partnership.directory.tests.factories import member_school
from partnership.meetings.tests.factories import scheduled_meeting
from partnership.outcomes.tests.test_outcome_pages import cohort
from partnership.plans.models import ImprovementPlan

pytestmark = pytest.mark.django_db


def test_the_apps_declare_their_panels_navigation_and_demo_data():
    columns = {side: [p.key for p in registry.HOME_PANELS if p.column == side] for side in ("left", "right")}
    assert columns == {
        "left": ["overview", "school", "school_work", "partnerships"],
        "right": ["networks", "meetings", "reviews", "moderation", "goodpractice", "actions"],
    }
    assert [n.label for n in registry.NAVIGATION] == [
        "Home", "Partnerships", "Schools", "People", "Networks", "Meetings", "Plans", "Outcomes", "Reviews",
        "Moderation", "Good practice", "Actions",
    ]  # fmt: skip
    assert [d.name for d in registry.DEMO_LOADERS] == [
        "directory",
        "plans",
        "meetings",
        "outcomes",
        "reviews",
        "moderation",
        "goodpractice",
    ]


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


# --- Each role's way into its work ---------------------------------------------------------------

LATE = timezone.localdate() - datetime.timedelta(days=5)


def _plan(world) -> ImprovementPlan:
    return ImprovementPlan.objects.create(
        kind="school", school=world.own, academic_year=current_academic_year(), created_by=world["head"]
    )


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_head_is_led_to_their_plan_outcomes_import_and_overdue_actions(client, world):
    plan = _plan(world)
    Action.objects.create(title="Late", owner=world["teacher"], created_by=world["head"], school=world.own, due_on=LATE)
    html = _home(client, world["head"])
    assert f'href="/plans/{plan.pk}/"' in html
    assert f'href="/outcomes/schools/{world.own.slug}/"' in html
    assert f'href="/outcomes/schools/{world.own.slug}/import/"' in html
    assert "1 overdue action at the school" in html and 'href="/actions/school/?overdue=1"' in html


def test_a_head_without_a_plan_is_offered_to_start_one_and_a_teacher_is_told_there_is_none(client, world):
    assert f'href="/plans/schools/{world.own.slug}/new/"' in _home(client, world["head"])
    html = _home(client, world["teacher"])
    assert "no development plan on the platform yet" in html and "/import/" not in html


def test_a_governor_is_led_to_the_plan_for_governors_outcomes_and_meetings(client, world):
    plan = _plan(world)
    html = _home(client, world["governor"])
    assert f'href="/plans/{plan.pk}/export.pdf">The development plan for governors (PDF)' in html
    assert f'href="/outcomes/schools/{world.own.slug}/">The school\'s outcomes' in html
    assert "Your next meetings" in html
    assert "/import/" not in html and "overdue action" not in html


def test_a_coordinator_sees_a_partnership_overview_not_a_missing_school(client, world):
    cohort(world.own, 2024, 20, 5, measure="ks2_reading")  # 25%, far below national: a board flag
    MemorandumAgreement.objects.create(version=world.memorandum, school=world.partner, agreed_by=world["partner_head"])
    Action.objects.create(
        title="Late", owner=world["partner_head"], created_by=world["coordinator"], partnership=world.home,
        school=world.partner, due_on=LATE,
    )  # fmt: skip
    html = _home(client, world["coordinator"])
    assert "not on the staff of a school" not in html and "My school" not in html
    assert "Home Partnership: overview" in html and "Raising Achievement Board, 2024/25" in html
    assert "Own Primary: KS2 reading" in html and "significantly below national" in html
    flag = f"below:{world.own.pk}:ks2_reading"
    raise_url = f"/outcomes/partnerships/home/flag-action/?year=2024&amp;flag={flag.replace(':', '%3A')}"
    assert raise_url in html
    assert "New action for Own Primary" in client.get(raise_url.replace("&amp;", "&")).content.decode()
    assert "Partner Primary: 1" in html and 'href="/actions/partnership/?overdue=1&amp;partnership=home"' in html
    assert "agreed by 1 of 2 schools" in html and "Not yet agreed: Own Primary." in html
    assert "Other Partnership: overview" not in html  # only the partnerships they coordinate


def test_the_overview_shows_no_small_group_a_board_would_hide(client, world):
    cohort(world.partner, 2024, 4, 0)  # 4 pupils: below the threshold, never flagged
    html = _home(client, world["coordinator"])
    assert "Partner Primary:" not in html and "No flags" in html


def test_the_coordinator_home_asks_the_same_queries_however_many_schools(client, world):
    client.force_login(world["coordinator"])

    def queries_with(count: int) -> int:
        for _ in range(count):
            school = member_school(world.home)
            cohort(school, 2024, 8, 1, measure="ks2_reading")
            MemorandumAgreement.objects.create(version=world.memorandum, school=school, agreed_by=world["coordinator"])
            Action.objects.create(
                title="Late", owner=world["coordinator"], created_by=world["coordinator"], partnership=world.home,
                school=school, due_on=LATE,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/").content.decode()
        assert "overview" in body
        return len(ctx)

    assert queries_with(2) == queries_with(10)
