"""Pupil pages: only the school's authorised staff, every view audited, flat query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.tests.factories import staff
from partnership.outcomes.models import Pupil, PupilYear, Result, TeacherAssessment
from partnership.outcomes.synthetic import generate_results
from partnership.outcomes.upn import make_upn

pytestmark = pytest.mark.django_db

YEAR = 2024


def _list_url(school) -> str:  # type: ignore[no-untyped-def]
    return reverse("outcomes:pupil_list", args=[school.slug])


def _detail_url(pupil: Pupil) -> str:
    return reverse("outcomes:pupil_detail", args=[pupil.school.slug, pupil.pk])


@pytest.fixture
def pupils(world):  # type: ignore[no-untyped-def]
    generate_results([world.own, world.partner], years=(YEAR,), seed=5, assessment_year=YEAR)
    return world


def _authorised(world, who: str):  # type: ignore[no-untyped-def]
    if who in ("head", "senco"):
        return world[who]
    role = {"senior_leader": Role.SENIOR_LEADER, "data_lead": Role.DATA_LEAD}[who]
    return staff(world.own, role, email=f"{who}@own.test")


@pytest.mark.parametrize("who", ["head", "senior_leader", "data_lead", "senco"])
def test_authorised_staff_see_their_pupils_and_the_view_is_audited(client, pupils, who):
    user = _authorised(pupils, who)
    client.force_login(user)
    response = client.get(_list_url(pupils.own))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 50  # a page of a school of 100+ pupils
    on_roll = PupilYear.objects.filter(pupil__school=pupils.own, academic_year=YEAR).count()
    assert response.context["page"].paginator.count == on_roll
    assert all(row.pupil.school_id == pupils.own.pk for row in rows)
    first = rows[0].pupil
    assert first.upn in response.content.decode()
    event = AuditEvent.objects.get(verb="view_pupils", actor=user)
    assert event.school_id == pupils.own.pk and event.detail["count"] == 50

    response = client.get(_detail_url(first))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(verb="view_pupils", actor=user).count() == 2
    detail = AuditEvent.objects.filter(verb="view_pupils", actor=user).order_by("-pk").first()
    assert detail.school_id == pupils.own.pk and detail.detail == {"count": 1, "pupil_id": first.pk}


DENIED = ["teacher", "governor", "coordinator", "adviser", "partner_head", "outside_head", "admin"]


@pytest.mark.parametrize("who", DENIED)
def test_everyone_else_is_refused_and_the_refusal_is_audited(client, pupils, who):
    user = pupils[who]
    client.force_login(user)
    pupil = Pupil.objects.filter(school=pupils.own).first()
    for url in (_list_url(pupils.own), _detail_url(pupil)):
        response = client.get(url)
        assert response.status_code == 403, (who, url)
        assert pupil.upn not in response.content.decode()
    assert AuditEvent.objects.filter(verb="denied", actor=user, school_id=pupils.own.pk).count() == 2
    assert not AuditEvent.objects.filter(verb="view_pupils").exists()


def test_a_head_sees_no_pupil_of_another_school_through_their_own_slug(client, pupils):
    client.force_login(pupils["head"])
    theirs = Pupil.objects.filter(school=pupils.partner).first()
    assert client.get(reverse("outcomes:pupil_detail", args=[pupils.own.slug, theirs.pk])).status_code == 404
    assert client.get(_detail_url(theirs)).status_code == 403


def test_filter_by_year_group_search_and_paginate(client, pupils):
    client.force_login(pupils["head"])
    response = client.get(_list_url(pupils.own), {"year_group": "6"})
    year_6 = PupilYear.objects.filter(pupil__school=pupils.own, academic_year=YEAR, year_group=6)
    assert {row.pupil.pk for row in response.context["rows"]} == set(year_6.values_list("pupil_id", flat=True))
    assert all(row.year_group == "Year 6" for row in response.context["rows"])
    assert any("RWM" in text for row in response.context["rows"] for text in row.latest_results)

    pupil = year_6.first().pupil
    response = client.get(_list_url(pupils.own), {"q": pupil.surname})
    assert response.context["rows"] and all(row.pupil.surname == pupil.surname for row in response.context["rows"])
    response = client.get(_list_url(pupils.own), {"q": pupil.upn.lower()})
    assert [row.pupil.pk for row in response.context["rows"]] == [pupil.pk]
    event = AuditEvent.objects.filter(verb="view_pupils").order_by("-pk").first()
    assert event.detail["count"] == 1 and event.detail["searched"] is True
    assert pupil.upn not in str(event.detail) and pupil.surname not in str(event.detail)  # coordinators read the log

    page_2 = client.get(_list_url(pupils.own), {"page": "2"})
    assert page_2.context["page"].number == 2
    assert not {r.pupil.pk for r in page_2.context["rows"]} & {
        r.pupil.pk for r in client.get(_list_url(pupils.own)).context["rows"]
    }
    # Nonsense filters are ignored rather than failing.
    assert client.get(_list_url(pupils.own), {"year_group": "x", "academic_year": "1900"}).status_code == 200


def test_pupil_page_shows_every_result_and_assessment(client, pupils):
    client.force_login(pupils["senco"])
    year_6 = PupilYear.objects.filter(pupil__school=pupils.own, academic_year=YEAR, year_group=6).first().pupil
    response = client.get(_detail_url(year_6))
    body = response.content.decode()
    assert len(response.context["results"]) == Result.objects.filter(pupil=year_6).count() == 5
    assert "KS2 reading, writing and maths combined" in body
    rows = response.context["assessments"]
    assert len(rows) == 3 and all(len(row.terms) == 3 and all(row.terms) for row in rows)
    assert TeacherAssessment.objects.filter(pupil=year_6).count() == 9
    assert '<th scope="col" class="govuk-table__header">Autumn</th>' in body


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_data(client, world):
    client.force_login(world["head"])
    # Small: two pupils, one with a result.
    for n in range(2):
        pupil = Pupil.objects.create(
            school=world.own,
            upn=make_upn(936, 2001, 19, n),
            surname=f"Small{n}",
            forename="Pupil",
            date_of_birth=datetime.date(2013, 1, 1),
            sex="F",
        )
        PupilYear.objects.create(pupil=pupil, academic_year=YEAR, year_group=6)
    Result.objects.create(pupil=pupil, academic_year=YEAR, measure="ks2_reading", score=101, met_expected=True)
    small_list, small_detail = _queries(client, _list_url(world.own)), _queries(client, _detail_url(pupil))

    # Large: a whole school of synthetic pupils, many results and assessments each.
    generate_results([world.partner], years=(2022, 2023, 2024), seed=9, assessment_year=YEAR)
    Pupil.objects.filter(school=world.partner).update(school=world.own)
    big = (
        Pupil.objects.filter(school=world.own, assessments__isnull=False)
        .annotate(results_count=Count("results", distinct=True))
        .order_by("-results_count", "pk")
        .first()
    )
    assert PupilYear.objects.filter(pupil__school=world.own, academic_year=YEAR).count() > 100
    assert Result.objects.filter(pupil=big).count() >= 2
    assert _queries(client, _list_url(world.own)) == small_list
    assert _queries(client, _detail_url(big)) == small_detail
