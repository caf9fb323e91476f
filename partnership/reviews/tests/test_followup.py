"""Findings, the Area of Excellence, the report and its PDF, the workshop's actions and the impact
review: through the pages, as the people who do them."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from partnership.actions.models import Action
from partnership.core import registry
from partnership.core.errors import ApplicationError
from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.plans.tests import factories as plan_factories
from partnership.reviews import followup
from partnership.reviews.models import (
    AreaJudgement,
    AreaOfExcellence,
    Finding,
    Review,
    ReviewReport,
    Sharing,
    SharingChoice,
)
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world: Any) -> dict[str, Any]:
    """A review of `own` by the head (lead) and a senior leader of a third school in `home`; the
    partner school's head is not on the team."""
    third = member_school(world.home, name="Third Primary", slug="third-primary")
    reviewer = staff(third, Role.HEADTEACHER, email="head@third.test", full_name="Rita Reviewer")
    second = staff(third, Role.SENIOR_LEADER, email="deputy@third.test", full_name="Sam Second")
    cycle = factories.cycle(world.home, by=world["coordinator"])
    review = factories.review(
        cycle, world.own, team=[reviewer, second], lead=reviewer, enquiry_question="To what extent does reading thrive?"
    )
    return {"review": review, "lead": reviewer, "second": second, "cycle": cycle}


def _url(name: str, review: Review, *args: Any) -> str:
    return reverse(f"reviews:{name}", args=[review.pk, *args])


def _grade_all(client: Any, review: Review, rank: int = 2) -> None:
    framework = review.cycle.framework
    grade = framework.grades.get(rank=rank)
    for area in framework.areas.filter(optional=False):
        data = (
            {"met": "yes", "summary": "Secure"}
            if area.met_or_not
            else {"grade": grade.pk, "summary": f"{area.name} ok"}
        )
        response = client.post(_url("findings_judgement", review, area.pk), data)
        assert response.status_code == 302, response.content.decode()[:500]


def _agreed(client: Any, setup: dict[str, Any]) -> Review:
    review = setup["review"]
    client.force_login(setup["second"])
    _grade_all(client, review)
    client.post(_url("findings_add", review), {"kind": "strength", "text": "Pupils love reading"})
    area = review.cycle.framework.areas.get(key="achievement")
    client.post(_url("findings_add", review), {"kind": "development", "area": area.pk, "text": "Raise maths fluency"})
    response = client.post(_url("findings_agree", review))
    assert response.status_code == 302
    review.refresh_from_db()
    return review


def test_the_team_grades_adds_findings_and_agrees(client, world, setup):
    review = setup["review"]
    client.force_login(setup["second"])
    # Not every area graded: refused, with the areas named.
    client.post(_url("findings_add", review), {"kind": "strength", "text": "Pupils love reading"})
    response = client.post(_url("findings_agree", review), follow=True)
    assert "Not graded yet: Inclusion" in response.content.decode()
    review.refresh_from_db()
    assert review.stage == Review.Stage.SCHEDULED

    review = _agreed(client, setup)
    assert review.stage == Review.Stage.FINDINGS
    assert AreaJudgement.objects.filter(review=review).count() == 7  # early years is optional
    safeguarding = AreaJudgement.objects.get(review=review, area__key="safeguarding")
    assert safeguarding.met is True and safeguarding.grade is None
    page = client.get(_url("findings_page", review)).content.decode()
    assert "Strong standard" in page and "Raise maths fluency" in page and "Pupils love reading" in page


def test_a_grade_from_another_framework_is_refused(world, setup):
    review = setup["review"]
    other = factories.framework(key="ofsted-eif-2019")
    area = review.cycle.framework.areas.get(key="inclusion")
    with pytest.raises(ApplicationError, match="scale"):
        followup.judgement_set(
            review=review, area=area, grade=other.grades.first(), met=None, summary="", by=setup["lead"]
        )
    with pytest.raises(ApplicationError, match="framework"):
        followup.judgement_set(
            review=review, area=other.areas.first(), grade=None, met=None, summary="", by=setup["lead"]
        )


def test_edit_and_remove_a_finding(client, world, setup):
    review = setup["review"]
    client.force_login(setup["lead"])
    client.post(_url("findings_add", review), {"kind": "strength", "text": "Calm"})
    finding = Finding.objects.get(review=review)
    client.post(_url("findings_edit", review, finding.pk), {"kind": "development", "text": "Calmer lunchtimes"})
    finding.refresh_from_db()
    assert (finding.kind, finding.text) == ("development", "Calmer lunchtimes")
    client.post(_url("findings_remove", review, finding.pk))
    assert not Finding.objects.filter(review=review).exists()


def test_area_of_excellence_put_forward_by_the_school_and_decided_by_the_team(client, world, setup):
    review = setup["review"]
    client.force_login(setup["lead"])
    assert client.get(_url("excellence_put_forward", review)).status_code == 403  # the team cannot
    client.force_login(world["head"])
    client.post(_url("excellence_put_forward", review), {"title": "Forest school", "description": "Every week"})
    assert client.post(_url("excellence_decide", review), {"decision": "yes"}).status_code == 403  # nor the school
    client.force_login(setup["lead"])
    response = client.post(_url("excellence_decide", review), {"decision": "no", "comment": ""})
    assert "Say why the team does not endorse it" in response.content.decode()
    client.post(_url("excellence_decide", review), {"decision": "yes", "comment": "A model for others"})
    aoe = AreaOfExcellence.objects.get(review=review)
    assert aoe.endorsed is True and aoe.decided_by == setup["lead"] and aoe.put_forward_by == world["head"]


def test_report_drafted_responded_finalised_and_shared(client, world, setup):
    review = _agreed(client, setup)
    # The draft comes from the judgements and findings.
    client.post(_url("report_edit", review), {"summary": ""})
    report = ReviewReport.objects.get(review=review)
    assert "Inclusion: Strong standard." in report.summary and "Raise maths fluency" in report.summary
    assert "Safeguarding: met." in report.summary
    client.post(_url("report_edit", review), {"summary": report.summary + "\nA warm welcome."})
    client.force_login(world["head"])
    client.post(_url("report_response", review), {"response": "We thank the team."})
    # Only the lead finalises.
    client.force_login(setup["second"])
    assert client.post(_url("report_finalise", review)).status_code == 403
    client.force_login(setup["lead"])
    client.post(_url("report_finalise", review))
    report.refresh_from_db()
    review.refresh_from_db()
    assert report.status == ReviewReport.Status.FINAL and report.finalised_by == setup["lead"]
    assert report.school_response == "We thank the team." and "A warm welcome." in report.summary
    assert review.stage == Review.Stage.REPORTED
    # A final report is no longer editable, by the team or the school.
    response = client.post(_url("report_edit", review), {"summary": "Changed"}, follow=True)
    assert followup.FINAL_MESSAGE in response.content.decode()
    with pytest.raises(ApplicationError):
        followup.report_respond(review=review, response="Changed", by=world["head"])
    with pytest.raises(ApplicationError):
        followup.finding_add(review=review, kind="strength", area=None, text="Late", by=setup["lead"])
    report.refresh_from_db()
    assert "Changed" not in report.summary
    # The school shares it with the partnership: recorded with who and when.
    client.force_login(world["head"])
    client.post(_url("report_sharing", review), {"sharing": Sharing.PARTNERSHIP})
    report.refresh_from_db()
    assert report.sharing == Sharing.PARTNERSHIP
    choice = SharingChoice.objects.get(subject="report", object_id=report.pk)
    assert choice.decided_by == world["head"] and choice.level == Sharing.PARTNERSHIP


def _final_report(client: Any, world: Any, setup: dict[str, Any]) -> Review:
    review = _agreed(client, setup)
    client.force_login(world["head"])
    client.post(_url("excellence_put_forward", review), {"title": "Forest school", "description": "Every week"})
    client.post(_url("report_response", review), {"response": "We thank the team."})
    client.force_login(setup["lead"])
    client.post(_url("excellence_decide", review), {"decision": "yes", "comment": "A model for others"})
    client.post(_url("report_edit", review), {"summary": ""})
    client.post(_url("report_response", review), {"response": "x"})  # not theirs: 403, nothing changes
    client.force_login(world["head"])
    client.post(_url("report_response", review), {"response": "We thank the team."})
    client.force_login(setup["lead"])
    client.post(_url("report_finalise", review))
    review.refresh_from_db()
    assert review.stage == Review.Stage.REPORTED
    return review


def test_the_report_pdf_reads_back(client, world, setup):
    review = _final_report(client, world, setup)
    client.force_login(world["head"])
    response = client.get(_url("report_pdf", review))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    # pypdf splits some kerned pairs ("T o"): compare without spaces.
    text = "".join(text.split())
    for words in [
        "Own Primary",
        "Rita Reviewer",
        "Sam Second",
        "lead reviewer",
        "To what extent does reading thrive?",
        "Strong standard",
        "Pupils love reading",
        "Raise maths fluency",
        "Forest school",
        "We thank the team.",
        "This report belongs to Own Primary",
        "Our school and our review team",
        "Final report",
    ]:
        assert words.replace(" ", "") in text, words
    start = review.visit_starts_on
    assert f"{start.day}{start:%B%Y}" in text


def test_partner_and_outside_heads_read_nothing_until_a_final_report_is_shared(client, world, setup):
    review = setup["review"]
    pages = [_url("findings_page", review), _url("report_detail", review), _url("report_pdf", review)]

    def status(person: Any) -> set[int]:
        client.force_login(world[person])
        return {client.get(url).status_code for url in pages}

    assert status("partner_head") == {403} and status("outside_head") == {403}
    review = _final_report(client, world, setup)
    assert status("partner_head") == {403}  # final, but shared with the team only
    reports = ReviewReport.objects.filter(review=review)
    # Shared with the partnership while still a draft: still not read.
    reports.update(status=ReviewReport.Status.DRAFT)
    client.force_login(world["head"])
    client.post(_url("report_sharing", review), {"sharing": Sharing.PARTNERSHIP})
    assert status("partner_head") == {403}
    reports.update(status=ReviewReport.Status.FINAL)
    assert status("partner_head") == {200}
    assert status("outside_head") == {403}  # another partnership
    assert status("coordinator") == {200}
    # Reading is not acting.
    client.force_login(world["partner_head"])
    assert client.post(_url("findings_add", review), {"kind": "strength", "text": "x"}).status_code == 403


@pytest.fixture
def offered_priority(world: Any, monkeypatch: Any) -> Any:
    """The school's plan priority, offered as evidence the way the plans app would offer it."""
    plan = plan_factories.school_plan(world.own, world["head"])
    priority = plan_factories.priority(plan, "Maths mastery")

    def collect(user: Any, school: Any, year: int) -> list[registry.SchoolEvidence]:
        if school.pk != world.own.pk:
            return []
        return [
            registry.SchoolEvidence(kind="priority", ref=f"priority:{priority.pk}", label="Priority 1: Maths mastery")
        ]

    monkeypatch.setattr(registry, "EVIDENCE_SOURCES", [registry.EvidenceSource("test-plans", collect)])
    return priority


def test_the_workshop_creates_actions_in_the_schools_plan(client, world, setup, offered_priority):
    review = _agreed(client, setup)
    development = Finding.objects.get(review=review, kind=Finding.Kind.DEVELOPMENT)
    client.force_login(world["head"])
    client.post(_url("workshop_page", review), {"workshop_on": "2031-01-15", "notes": "Whole staff"})
    review.refresh_from_db()
    assert review.workshop_on == datetime.date(2031, 1, 15) and review.workshop_notes == "Whole staff"

    url = _url("workshop_action", review, development.pk)
    page = client.get(url).content.decode()
    assert "Priority 1: Maths mastery" in page
    # The owner must be someone at the school.
    response = client.post(url, {"title": "Fluency", "owner": setup["lead"].pk, "due_on": ""})
    assert response.status_code == 200 and not Action.objects.exists()
    response = client.post(
        url,
        {
            "title": "Daily fluency sessions",
            "owner": world["teacher"].pk,
            "due_on": "2031-03-01",
            "priority": offered_priority.pk,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.source == development and action.school == world.own and action.owner == world["teacher"]
    assert action.source_label == "Peer review: Achievement" and action.priority_id == offered_priority.pk
    assert action.due_on == datetime.date(2031, 3, 1)
    # It shows in the school's actions list and beside the finding.
    assert "Daily fluency sessions" in client.get(reverse("actions:school")).content.decode()
    assert "Daily fluency sessions" in client.get(_url("workshop_page", review)).content.decode()
    # A finding with an action stays, and stays an area for development.
    client.force_login(setup["lead"])
    client.post(_url("findings_remove", review, development.pk))
    assert Finding.objects.filter(pk=development.pk).exists()
    response = client.post(_url("findings_edit", review, development.pk), {"kind": "strength", "text": "x"})
    assert "stays an area for development" in response.content.decode()
    development.refresh_from_db()
    assert development.kind == Finding.Kind.DEVELOPMENT


def test_a_priority_not_offered_is_refused(world, setup, offered_priority, client):
    review = _agreed(client, setup)
    development = Finding.objects.get(review=review, kind=Finding.Kind.DEVELOPMENT)
    other_plan = plan_factories.school_plan(world.partner, world["partner_head"])
    other = plan_factories.priority(other_plan, "Not theirs")
    with pytest.raises(ApplicationError, match="priorities"):
        followup.workshop_action_create(
            finding=development, title="x", owner=world["teacher"], due_on=None, priority_id=other.pk, by=world["head"]
        )
    strength = Finding.objects.get(review=review, kind=Finding.Kind.STRENGTH)
    with pytest.raises(ApplicationError, match="areas for development"):
        followup.workshop_action_create(
            finding=strength, title="x", owner=world["teacher"], due_on=None, priority_id=None, by=world["head"]
        )


def test_impact_review(client, world, setup):
    review = _agreed(client, setup)
    development = Finding.objects.get(review=review, kind=Finding.Kind.DEVELOPMENT)
    followup.workshop_action_create(
        finding=development,
        title="Daily fluency",
        owner=world["teacher"],
        due_on=None,
        priority_id=None,
        by=world["head"],
    )
    with pytest.raises(ApplicationError, match="after the report"):
        followup.impact_record(finding=development, impact="some", note="", by=world["head"])
    review = _final_report_from_agreed(client, world, setup, review)
    client.force_login(world["head"])
    response = client.post(_url("impact_complete", review), follow=True)
    assert "Record what changed for every area for development first." in response.content.decode()
    client.post(_url("impact_record", review, development.pk), {"impact": "secure", "note": "Times tables secure"})
    development.refresh_from_db()
    assert development.impact == "secure" and development.impact_recorded_by == world["head"]
    page = client.get(_url("impact_page", review)).content.decode()
    assert "Secured" in page and "Times tables secure" in page and "Daily fluency" in page and "Not started" in page
    client.post(_url("impact_complete", review))
    review.refresh_from_db()
    assert review.stage == Review.Stage.IMPACT and review.impact_reviewed_on is not None


def _final_report_from_agreed(client: Any, world: Any, setup: dict[str, Any], review: Review) -> Review:
    client.force_login(setup["lead"])
    client.post(_url("report_edit", review), {"summary": ""})
    client.post(_url("report_finalise", review))
    review.refresh_from_db()
    return review


def test_every_change_is_audited(client, world, setup):
    from partnership.core.models import AuditEvent

    _final_report(client, world, setup)
    verbs = set(AuditEvent.objects.filter(school_id=world.own.pk).values_list("verb", flat=True))
    assert {"create", "stage", "finalise", "respond", "decide"} <= verbs


def test_finalising_sets_the_impact_review_a_term_on(client, world, setup):
    review = _final_report(client, world, setup)
    from django.utils import timezone

    assert review.impact_due_on == timezone.localdate() + followup.IMPACT_AFTER
    page = client.get(_url("impact_page", review)).content.decode()
    assert f"Due by {review.impact_due_on.day} {review.impact_due_on:%B %Y}" in page


def _count(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_review_pages_do_not_grow_with_findings_or_actions(client, world, setup):
    review = _agreed(client, setup)
    client.force_login(world["head"])

    def grow(n: int) -> None:
        for i in range(n):
            finding = followup.finding_add(
                review=review, kind="development", area=None, text=f"Next step {i}", by=setup["lead"]
            )
            followup.finding_add(review=review, kind="strength", area=None, text=f"Strength {i}", by=setup["lead"])
            for j in range(2):
                followup.workshop_action_create(
                    finding=finding,
                    title=f"Action {i}.{j}",
                    owner=world["teacher"],
                    due_on=None,
                    priority_id=None,
                    by=world["head"],
                )

    names = ["findings_page", "report_detail", "workshop_page", "impact_page"]
    grow(1)
    small = [_count(client, _url(name, review)) for name in names]
    grow(5)
    assert [_count(client, _url(name, review)) for name in names] == small
