"""The demo is true to itself on whatever day it loads: dates on school days, no results from
assessments still to come, unique names, plans that answer the schools' weak subjects, memorandum
agreements, decisions and a data lead already there.

The demo loads once per day tested (a module-scoped fixture inside a transaction rolled back at the
end), with the clock set to that day so the services' own "now" agrees with the demo's today.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.models import User
from partnership.actions.models import Action
from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year, is_school_day, term_dates
from partnership.directory.demo import WEAK_SUBJECTS
from partnership.directory.models import Decision, MemorandumAgreement, RoleAssignment, School
from partnership.meetings.models import AgendaItem, Meeting
from partnership.outcomes.models import Measure, Result, TeacherAssessment
from partnership.outcomes.synthetic import national_rates, results_in_by
from partnership.plans.demo import BY_SUBJECT
from partnership.plans.models import ImprovementPlan, Objective, Priority

pytestmark = pytest.mark.django_db

DAYS = [datetime.date(2026, 12, 2), datetime.date(2027, 7, 20)]
# The measure that shows a weak subject: (primary school's, infant school's).
SHOWN_BY = {
    "reading": (Measure.PHONICS_Y1, Measure.PHONICS_Y1),
    "maths": (Measure.KS2_MATHS, None),
    "writing": (Measure.KS2_WRITING, None),
    "early": (Measure.EYFS_GLD, Measure.EYFS_GLD),
}


def _clock(today: datetime.date):  # type: ignore[no-untyped-def]
    """The clock at lunchtime on `today`, for the services and pages as much as the demo."""
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12, 30)))
    return mock.patch.object(timezone, "now", return_value=noon)


def _load_with_clock(today: datetime.date) -> dict[str, int]:
    """`manage.py load_demo` twice on `today`; the row counts after the first."""
    with _clock(today):
        call_command("load_demo", stdout=io.StringIO())
        first = _counts()
        call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first, "loading the demo again changed it"
    return first


def _counts() -> dict[str, int]:
    models = [User, School, Meeting, AgendaItem, Action, Result, TeacherAssessment, ImprovementPlan, Decision]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module", params=DAYS, ids=str)
def demo_day(request, django_db_setup, django_db_blocker) -> Iterator[datetime.date]:  # type: ignore[no-untyped-def]
    today = request.param
    with django_db_blocker.unblock():
        assert not connection.in_atomic_block
        outer = transaction.atomic()
        outer.__enter__()
        try:
            _load_with_clock(today)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield today
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_meetings_are_on_school_days_past_and_future_as_labelled(demo_day):
    meetings = list(Meeting.objects.all())
    assert len(meetings) == 6
    for meeting in meetings:
        day = timezone.localtime(meeting.starts_at).date()
        assert is_school_day(day), (meeting.title, day)
        if meeting.status == Meeting.Status.HELD:
            assert day < demo_day and meeting.minutes_approved_at is not None
        else:
            assert day > demo_day


def test_action_due_dates_are_school_days(demo_day):
    dues = set(Action.objects.exclude(due_on=None).values_list("due_on", flat=True))
    assert dues and all(is_school_day(day) for day in dues), sorted(d for d in dues if not is_school_day(d))
    assert Action.objects.overdue(demo_day).exists()


def test_no_result_from_an_assessment_still_to_come(demo_day):
    years = set(Result.objects.values_list("academic_year", flat=True))
    assert len(years) == 3 and all(results_in_by(year) <= demo_day for year in years), years
    # The latest year whose results are in is there: summer 2026's KS2 in December 2026, and the
    # June 2027 phonics check by late July 2027.
    assert max(years) == (2025 if demo_day.year == 2026 else 2026)


def test_in_year_tracking_only_for_terms_begun(demo_day):
    year = current_academic_year(demo_day)
    rows = set(TeacherAssessment.objects.values_list("academic_year", "term").distinct())
    assert rows and all(y == year and term_dates(y, term)[0] <= demo_day for y, term in rows), rows
    assert len(rows) == (1 if demo_day.month == 12 else 3)


def test_inset_days_are_school_days(demo_day):
    minutes = AgendaItem.objects.filter(minutes__contains="INSET").values_list("minutes", flat=True)
    assert minutes
    for text in minutes:
        found = re.search(r"INSET day on \w+ (\d+ \w+ \d{4})", text)
        assert found, text
        day = datetime.datetime.strptime(found.group(1), "%d %B %Y").date()
        assert is_school_day(day) and day > demo_day, text


def test_names_are_unique(demo_day):
    people = list(User.objects.values_list("full_name", flat=True))
    assert len(people) == len(set(people)) > 100
    schools = list(School.objects.values_list("name", flat=True))
    assert len(schools) == len(set(schools)) == 10


def test_agreements_and_decisions_are_recorded(demo_day):
    assert MemorandumAgreement.objects.count() == 8  # all but one school in each partnership
    for agreement in MemorandumAgreement.objects.select_related("version"):
        assert agreement.version.published_at < agreement.agreed_at
        assert timezone.localtime(agreement.agreed_at).date() < demo_day
        assert is_school_day(timezone.localtime(agreement.agreed_at).date())
    closed = Decision.objects.filter(status=Decision.Status.CLOSED)
    assert closed.count() == 2 and all(d.outcome and d.votes.exists() for d in closed)
    assert Decision.objects.filter(status=Decision.Status.OPEN, closes_on__gt=demo_day).count() == 2
    assert AgendaItem.objects.exclude(decisions="").filter(meeting__status=Meeting.Status.HELD).exists()


def test_every_school_has_an_approved_data_lead_and_the_pending_request_remains(demo_day):
    for school in School.objects.all():
        lead = User.objects.get(email=f"datalead.{school.slug}@demo.example")
        assert lead.check_password("partnership-demo-2026")  # the published demo password
        role = RoleAssignment.objects.current(demo_day).get(person=lead, role=Role.DATA_LEAD)
        assert role.school_id == school.pk and role.approved_at is not None
    pending = RoleAssignment.objects.get(person__email="teacher.byfleet-primary@demo.example", role=Role.DATA_LEAD)
    assert pending.approved_at is None


def _rate(school: School, measure: str, year: int) -> float:
    flags = list(
        Result.objects.filter(pupil__school=school, measure=measure, academic_year=year).values_list(
            "met_expected", flat=True
        )
    )
    return sum(bool(flag) for flag in flags) / len(flags)


def test_plans_answer_the_weak_subjects_the_results_show(demo_day):
    year = max(Result.objects.values_list("academic_year", flat=True))
    national = national_rates([year])
    for school in School.objects.all():
        plan = ImprovementPlan.objects.get(school=school, academic_year=current_academic_year(demo_day))
        titles = set(plan.priorities.values_list("title", flat=True))
        infant = school.phase == "infant"
        for subject in WEAK_SUBJECTS[school.slug]:
            assert BY_SUBJECT[subject].title in titles, (school, subject)
            measure = SHOWN_BY[subject][1 if infant else 0]
            if measure is not None:
                rate = _rate(school, measure, year)
                assert rate < national[(measure, year, "expected_pct")], (school, measure, rate)
        if infant:
            objectives = Objective.objects.filter(priority__plan=plan).values_list("title", flat=True)
            assert not [title for title in objectives if "Key Stage 2" in title or "Year 4" in title], school
    assert Priority.objects.filter(plan__kind="school").count() >= 20


def test_the_demo_pages_show(demo_day, client):
    """The pages a visitor opens first, on the demo's own day: a latest year without national
    figures yet must still show."""
    head = User.objects.get(email="head.byfleet-primary@demo.example")
    coordinator = User.objects.get(email="coordinator.stars@demo.example")
    plan = ImprovementPlan.objects.get(school=head.school, academic_year=current_academic_year(demo_day))
    held = Meeting.objects.filter(network__partnership__slug="stars", status=Meeting.Status.HELD).get()
    pages = [
        (head, reverse("outcomes:school_outcomes", args=["byfleet-primary"])),
        (head, reverse("plans:detail", args=[plan.pk])),
        (head, reverse("meetings:detail", args=[held.pk])),
        (head, "/"),
        (coordinator, reverse("outcomes:partnership_dashboard", args=["stars"])),
        (coordinator, reverse("plans:shared_priorities", args=["stars"])),
    ]
    with _clock(demo_day):
        for user, url in pages:
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200, url


def test_no_two_pupils_of_a_school_share_a_name(demo_day):
    from partnership.outcomes.models import Pupil

    names = list(Pupil.objects.values_list("school_id", "forename", "surname"))
    assert len(names) == len(set(names)) > 1000
