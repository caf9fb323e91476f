"""The cycle (rota) page, the review page and the notes page take the same number of queries
however many schools, reviewers, activities, focus areas and notes there are."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.reviews import cycles
from partnership.reviews.models import Activity, ConflictOfInterest, FocusArea, Review, Sharing
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def grow_partnership(world, n: int) -> None:
    for _ in range(n):
        school = member_school(world.home)
        head = staff(school, Role.HEADTEACHER)
        staff(school, Role.SENIOR_LEADER)
        ConflictOfInterest.objects.create(person=head, school=world.own, reason="A relative")


@pytest.mark.parametrize("viewer", ["coordinator", "head"])
def test_the_rota_page_does_not_grow_with_schools(client, world, viewer):
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=2, max_load=2, include_deputies=True)
    url = reverse("reviews:cycle_detail", args=[cycle.pk])
    client.force_login(world[viewer])
    counts = []
    for n in (3, 8):
        grow_partnership(world, n)
        cycles.rota_propose(cycle=cycle, actor=world["coordinator"])
        assert Review.objects.filter(cycle=cycle).count() > n
        counts.append(count(client, url))
    assert counts[0] == counts[1], counts


def grow_visit(world, review, n: int) -> None:
    areas = list(review.cycle.framework.areas.all())
    for i in range(n):
        reviewer = staff(member_school(world.home), Role.HEADTEACHER)
        review.team.create(person=reviewer, from_school_id=reviewer.school_id)
        activity = Activity.objects.create(
            review=review,
            kind="lesson_visit",
            day=review.visit_starts_on,
            starts_at=datetime.time(9 + i % 6, 0),
            host=world["head"],
        )
        activity.reviewers.add(reviewer, world["partner_head"])
        FocusArea.objects.create(review=review, title=f"Focus {review.pk}-{i}", area=areas[i % len(areas)], why="SEF")
        for area in areas[:3]:
            cycles.note_save(review=review, area=area, author=reviewer, text=f"Note {i}", version=0)


@pytest.mark.parametrize("viewer", ["partner_head", "head", "coordinator"])
def test_the_review_and_notes_pages_do_not_grow(client, world, viewer):
    cycle = factories.cycle(world.home, by=world["coordinator"], status="accepted")
    review = factories.review(cycle, world.own, team=[world["partner_head"]])
    factories.sef(world.own, by=world["head"], year=cycle.academic_year, sharing=Sharing.REVIEW_TEAM)
    client.force_login(world[viewer])
    pages = [reverse("reviews:review_detail", args=[review.pk])]
    if viewer != "coordinator":
        pages.append(reverse("reviews:note_page", args=[review.pk]))
    counts: list[list[int]] = []
    for n in (1, 4):
        grow_visit(world, review, n)
        counts.append([count(client, url) for url in pages])
    assert counts[0] == counts[1], counts
