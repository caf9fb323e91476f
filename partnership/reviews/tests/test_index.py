"""The reviews front page: each person's ways in (start a SEF, open a cycle, the ledger...), only
those the policy gives them, in a number of queries that does not grow with what there is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db

START_SEF = "/reviews/schools/own-primary/sef/new/"
OPEN_CYCLE = "/reviews/cycles/open/home/"
LEDGER = "/reviews/ledger/home/"


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("reviews:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_head_starts_their_schools_sef_and_sees_the_ledger_but_opens_no_cycle(client, world):
    html = page(client, world["head"])
    assert START_SEF in html and LEDGER in html and "/reviews/calibration/school/own-primary/" in html
    assert OPEN_CYCLE not in html and "/reviews/conflicts/" in html


def test_a_teacher_and_a_governor_get_no_starting_points_for_the_school(client, world):
    for role in ("teacher", "governor"):
        html = page(client, world[role])
        assert START_SEF not in html and OPEN_CYCLE not in html and LEDGER not in html, role


def test_a_coordinator_opens_cycles_and_builds_frameworks_for_their_partnership_only(client, world):
    html = page(client, world["coordinator"])
    assert OPEN_CYCLE in html and "/reviews/partnerships/home/frameworks/new/" in html and LEDGER in html
    assert "/reviews/cycles/open/other/" not in html and START_SEF not in html
    outside = page(client, world["outside_head"])
    assert OPEN_CYCLE not in outside and LEDGER not in outside


def test_every_link_on_the_front_page_opens_for_its_reader(client, world):
    cycle = factories.cycle(world.home, by=world["coordinator"])
    factories.review(cycle, world.own, team=[world["partner_head"]])
    factories.sef(world.own, by=world["head"])
    for role in ("head", "coordinator", "partner_head", "adviser"):
        html = page(client, world[role])
        links = {href for href in _hrefs(html) if href.startswith("/reviews/")}
        assert links, role
        for href in links:
            assert client.get(href).status_code == 200, (role, href)


def _hrefs(html: str) -> list[str]:
    import re

    return re.findall(r'href="([^"#?]+)"', html)


def test_the_front_page_does_not_grow_with_partnerships_schools_or_reviews(client, world):
    def queries() -> int:
        client.force_login(world["coordinator"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reviews:index")).status_code == 200
        return len(ctx.captured_queries)

    cycle = factories.cycle(world.home, by=world["coordinator"])
    factories.review(cycle, world.own, team=[world["partner_head"]])
    small = queries()
    for n in range(6):
        school = member_school(world.home)
        factories.review(cycle, school, team=[staff(school, Role.HEADTEACHER)])
        factories.sef(school, by=world["coordinator"], sharing="partnership")
        factories.cycle(world.home, by=world["coordinator"], name=f"Extra cycle {n}")
    assert queries() == small


def test_the_home_page_shows_the_coming_reviews_to_the_team_and_the_school_only(client, world):
    cycle = factories.cycle(world.home, by=world["coordinator"], status="accepted")
    review = factories.review(cycle, world.own, team=[world["partner_head"]])
    factories.review(cycle, world.partner, team=[world["head"]], visit_starts_on=None, visit_ends_on=None)
    done = factories.review(factories.cycle(world.home, by=world["coordinator"], status="accepted", name="Last"),
                            world.own, team=[world["partner_head"]], days_ahead=-60)  # fmt: skip
    client.force_login(world["partner_head"])
    html = client.get("/").content.decode()
    assert f'href="/reviews/review/{review.pk}/">Reviewing Own Primary' in html
    assert "Your school's review" in html and "Visit not dated yet" in html
    assert f"/reviews/review/{done.pk}/" not in html  # its visit is over
    client.force_login(world["outside_head"])
    assert "Your peer reviews" not in client.get("/").content.decode()
    client.force_login(world["coordinator"])
    assert "Your peer reviews" not in client.get("/").content.decode()  # coordinators use the cycle page
