"""Self-evaluation and peer review through the v1 API: scoped by the access policy (sharing levels,
teams, shared final reports), filtered by validated query parameters, described by the schema, with
a query count that does not grow with the rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.directory.tests.factories import member_school, staff
from partnership.reviews.models import (
    Activity,
    AreaJudgement,
    AreaOfExcellence,
    Finding,
    FocusArea,
    Framework,
    ReviewReport,
    SefEvidence,
    Sharing,
)
from partnership.reviews.tests import factories as rf

pytestmark = pytest.mark.django_db

YEAR = current_academic_year()


def ids(client: Any, url: str, **params: Any) -> set[int]:
    response = client.get(url, {"limit": 500, **params})
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def data(world: Any) -> dict[str, Any]:
    """SEFs at three sharing levels; a home cycle where the own head reviews the partner school and
    the partner head reviews the own school; the other partnership's cycle reviewing `outside`."""
    own_sef = rf.sef(world.own, by=world["head"], sharing=Sharing.OWN_SCHOOL)
    partner_sef = rf.sef(world.partner, by=world["partner_head"], sharing=Sharing.REVIEW_TEAM)
    outside_sef = rf.sef(world.outside, by=world["outside_head"], sharing=Sharing.PARTNERSHIP)
    cycle = rf.cycle(world.home, by=world["coordinator"])
    own_review = rf.review(cycle, world.own, team=[world["partner_head"]])
    partner_review = rf.review(cycle, world.partner, team=[world["head"]])
    other_cycle = rf.cycle(world.other, by=world["other_coordinator"])
    outside_review = rf.review(other_cycle, world.outside, team=[world["other_coordinator"]])
    area = own_sef.framework.areas.get(number=1)
    finding = Finding.objects.create(
        review=own_review, area=area, kind=Finding.Kind.DEVELOPMENT, text="Phonics catch-up", created_by=world["head"]
    )
    judgement = AreaJudgement.objects.create(review=own_review, area=area, grade=own_sef.framework.grades.get(rank=2))
    report = ReviewReport.objects.create(review=own_review, summary="A strong curriculum.")
    return {
        "own_sef": own_sef,
        "partner_sef": partner_sef,
        "outside_sef": outside_sef,
        "cycle": cycle,
        "other_cycle": other_cycle,
        "own_review": own_review,
        "partner_review": partner_review,
        "outside_review": outside_review,
        "finding": finding,
        "judgement": judgement,
        "report": report,
    }


def test_frameworks_carry_areas_and_grades_and_a_partnerships_own_stays_with_it(client, world, data):
    mine = Framework.objects.create(key="ours", name="Our framework", partnership=world.home)
    theirs = Framework.objects.create(key="theirs", name="Their framework", partnership=world.other)
    client.force_login(world["teacher"])
    seen = ids(client, "/api/v1/review-frameworks/")
    assert mine.pk in seen and theirs.pk not in seen
    assert data["own_sef"].framework_id in seen
    assert ids(client, "/api/v1/review-frameworks/", partnership=world.home.pk) == {mine.pk}
    body = client.get(f"/api/v1/review-frameworks/{data['own_sef'].framework_id}/").json()
    assert [a["number"] for a in body["areas"]] == list(range(1, 9))
    assert body["areas"][-1]["met_or_not"] is True
    assert [g["label"] for g in body["grades"]][:2] == ["Exceptional", "Strong standard"]
    assert client.get(f"/api/v1/review-frameworks/{theirs.pk}/").status_code == 404


def test_sefs_reach_as_far_as_each_school_shares_them(client, world, data):
    client.force_login(world["teacher"])
    assert ids(client, "/api/v1/self-evaluations/") == {data["own_sef"].pk}
    # The own head is on the partner school's team this year; the partner shares with its team.
    client.force_login(world["head"])
    assert ids(client, "/api/v1/self-evaluations/") == {data["own_sef"].pk, data["partner_sef"].pk}
    # The partner head reviews the own school, but the own school keeps its SEF to itself.
    client.force_login(world["partner_head"])
    assert ids(client, "/api/v1/self-evaluations/") == {data["partner_sef"].pk}
    assert client.get(f"/api/v1/self-evaluations/{data['own_sef'].pk}/").status_code == 404
    # Shared with the partnership: everyone in the other partnership, nobody in home.
    client.force_login(world["other_coordinator"])
    assert ids(client, "/api/v1/self-evaluations/") == {data["outside_sef"].pk}
    client.force_login(world["coordinator"])
    assert ids(client, "/api/v1/self-evaluations/") == set()


def test_a_sef_carries_its_entries_with_grade_labels_and_evidence(client, world, data):
    sef = data["own_sef"]
    entry = sef.entries.get(area__number=2)
    SefEvidence.objects.create(
        entry=entry, kind="document", label="Curriculum map", url="https://own.test/map", added_by=world["head"]
    )
    client.force_login(world["governor"])
    body = client.get(f"/api/v1/self-evaluations/{sef.pk}/").json()
    assert body["year_label"] == sef.year_label and body["sharing"] == Sharing.OWN_SCHOOL
    entries = body["entries"]
    assert [e["area_number"] for e in entries] == list(range(1, 9))
    second = entries[1]
    assert second["area_name"] == "Curriculum and teaching" and second["grade_label"] == "Expected standard"
    assert second["evidence"] == [
        {
            "id": entry.evidence.get().pk,
            "kind": "document",
            "kind_label": "Document or web page",
            "ref": "",
            "label": "Curriculum map",
            "url": "https://own.test/map",
            "added_at": body["entries"][1]["evidence"][0]["added_at"],
        }
    ]
    safeguarding = entries[-1]
    assert safeguarding["grade_label"] is None and safeguarding["met"] is True


def test_sef_filters_narrow_and_refuse_bad_values(client, world, data):
    last_year = rf.sef(world.own, by=world["head"], year=YEAR - 1)
    client.force_login(world["head"])
    assert ids(client, "/api/v1/self-evaluations/", school=world.own.pk) == {data["own_sef"].pk, last_year.pk}
    assert ids(client, "/api/v1/self-evaluations/", year=YEAR - 1) == {last_year.pk}
    assert ids(client, "/api/v1/self-evaluations/", school=world.outside.pk) == set()
    for url, name, value in [
        ("/api/v1/self-evaluations/", "year", "1800"),
        ("/api/v1/self-evaluations/", "school", "abc"),
        ("/api/v1/reviews/", "cycle", "-1"),
        ("/api/v1/review-cycles/", "year", "twenty"),
        ("/api/v1/review-findings/", "review", "9" * 30),
        ("/api/v1/review-reports/", "school", "1.5"),
    ]:
        response = client.get(url, {name: value})
        assert response.status_code == 400, (url, name)
        assert name in response.json()


def test_cycles_are_the_partnerships_and_the_rota_lists_only_reviews_you_may_see(client, world, data):
    cycle = data["cycle"]
    client.force_login(world["teacher"])
    assert ids(client, "/api/v1/review-cycles/") == {cycle.pk}
    assert client.get(f"/api/v1/review-cycles/{data['other_cycle'].pk}/rota/").status_code == 404
    rota = client.get(f"/api/v1/review-cycles/{cycle.pk}/rota/").json()
    assert [r["id"] for r in rota] == [data["own_review"].pk]  # the school's own review, not the partner's
    assert rota[0]["team"] == [
        {
            "person": world["partner_head"].pk,
            "full_name": world["partner_head"].full_name,
            "from_school": world.partner.pk,
            "is_lead": True,
        }
    ]
    client.force_login(world["head"])  # the own school's review and the review they are on
    rota = client.get(f"/api/v1/review-cycles/{cycle.pk}/rota/").json()
    assert {r["id"] for r in rota} == {data["own_review"].pk, data["partner_review"].pk}
    client.force_login(world["adviser"])  # sees the cycle, none of its reviews
    assert client.get(f"/api/v1/review-cycles/{cycle.pk}/rota/").json() == []
    client.force_login(world["coordinator"])
    assert len(client.get(f"/api/v1/review-cycles/{cycle.pk}/rota/").json()) == 2
    assert ids(client, "/api/v1/review-cycles/", year=YEAR + 1) == set()


def test_a_review_carries_its_visit_enquiry_focus_and_schedule(client, world, data):
    review = data["partner_review"]
    review.enquiry_question = "To what extent does our reading curriculum close gaps?"
    review.save()
    FocusArea.objects.create(review=review, title="Early reading", why="From the SEF")
    activity = Activity.objects.create(
        review=review,
        kind=Activity.Kind.LEARNING_WALK,
        day=review.visit_starts_on,
        starts_at=datetime.time(9, 15),
        focus="Phonics in Year 1",
        host=world["partner_teacher"],
    )
    activity.reviewers.add(world["head"])
    client.force_login(world["head"])
    body = client.get(f"/api/v1/reviews/{review.pk}/").json()
    assert body["enquiry_question"].startswith("To what extent")
    assert body["visit_starts_on"] == review.visit_starts_on.isoformat()
    assert body["focus_areas"][0]["title"] == "Early reading"
    [walk] = body["activities"]
    assert walk["kind_label"] == "Learning walk" and walk["starts_at"] == "09:15"
    assert walk["host"]["id"] == world["partner_teacher"].pk
    assert walk["reviewers"] == [{"id": world["head"].pk, "full_name": world["head"].full_name}]
    # The partner's teacher sees their school's review; the outside head sees none of home's.
    client.force_login(world["partner_teacher"])
    assert ids(client, "/api/v1/reviews/") == {review.pk}
    client.force_login(world["outside_head"])
    assert ids(client, "/api/v1/reviews/") == {data["outside_review"].pk}
    assert client.get(f"/api/v1/reviews/{review.pk}/").status_code == 404
    client.force_login(world["coordinator"])
    assert ids(client, "/api/v1/reviews/", school=world.partner.pk) == {review.pk}
    assert ids(client, "/api/v1/reviews/", cycle=data["other_cycle"].pk) == set()


def test_findings_judgements_and_reports_reach_the_partnership_only_when_a_final_report_is_shared(client, world, data):
    finding, judgement, report = data["finding"], data["judgement"], data["report"]
    client.force_login(world["teacher"])  # the school reviewed
    assert ids(client, "/api/v1/review-findings/") == {finding.pk}
    assert ids(client, "/api/v1/review-judgements/") == {judgement.pk}
    assert ids(client, "/api/v1/review-reports/") == set()  # a draft is not served
    client.force_login(world["partner_teacher"])
    assert ids(client, "/api/v1/review-findings/") == set()
    assert client.get(f"/api/v1/review-findings/{finding.pk}/").status_code == 404
    report.status = ReviewReport.Status.FINAL
    report.finalised_at = timezone.now()
    report.save()
    assert ids(client, "/api/v1/review-reports/") == set()  # final, but kept to the school and team
    client.force_login(world["partner_head"])  # on the team
    assert ids(client, "/api/v1/review-reports/") == {report.pk}
    report.sharing = Sharing.PARTNERSHIP
    report.save()
    client.force_login(world["partner_teacher"])
    assert ids(client, "/api/v1/review-findings/") == {finding.pk}
    assert ids(client, "/api/v1/review-judgements/", review=data["own_review"].pk) == {judgement.pk}
    body = client.get(f"/api/v1/review-reports/{report.pk}/").json()
    assert body["school"] == world.own.pk and body["summary"] == "A strong curriculum."
    body = client.get(f"/api/v1/review-findings/{finding.pk}/").json()
    assert body["kind_label"] == "Area for development" and body["impact"] == ""
    client.force_login(world["outside_head"])
    assert ids(client, "/api/v1/review-findings/") == set()
    assert ids(client, "/api/v1/review-reports/") == set()


def test_areas_of_excellence_follow_the_findings(client, world, data):
    review, report = data["own_review"], data["report"]
    aoe = AreaOfExcellence.objects.create(
        review=review, title="Early reading", description="Phonics in every class", put_forward_by=world["head"]
    )
    client.force_login(world["teacher"])  # the school reviewed: its own, undecided
    body = client.get(f"/api/v1/areas-of-excellence/{aoe.pk}/").json()
    assert (body["school"], body["title"], body["endorsed"]) == (world.own.pk, "Early reading", None)
    client.force_login(world["partner_teacher"])  # another school: not until the final report is shared
    assert ids(client, "/api/v1/areas-of-excellence/") == set()
    aoe.endorsed, aoe.team_comment, aoe.decided_at = True, "Seen in every class", timezone.now()
    aoe.save()
    report.status, report.finalised_at, report.sharing = ReviewReport.Status.FINAL, timezone.now(), Sharing.PARTNERSHIP
    report.save()
    assert ids(client, "/api/v1/areas-of-excellence/", school=world.own.pk) == {aoe.pk}
    assert ids(client, "/api/v1/areas-of-excellence/", cycle=data["other_cycle"].pk) == set()
    body = client.get(f"/api/v1/areas-of-excellence/{aoe.pk}/").json()
    assert body["endorsed"] is True and body["team_comment"] == "Seen in every class"
    client.force_login(world["outside_head"])
    assert ids(client, "/api/v1/areas-of-excellence/") == set()


def test_the_schema_describes_the_reviews_endpoints(client, db):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    for path in [
        "/api/v1/review-frameworks/",
        "/api/v1/self-evaluations/{id}/",
        "/api/v1/review-cycles/{id}/rota/",
        "/api/v1/reviews/{id}/",
        "/api/v1/review-findings/",
        "/api/v1/review-judgements/",
        "/api/v1/review-reports/",
        "/api/v1/areas-of-excellence/",
    ]:
        assert path in paths, path
    names = {p["name"] for p in paths["/api/v1/reviews/"]["get"]["parameters"]}
    assert {"cycle", "school", "year", "limit", "offset"} <= names


def _grow(world: Any, data: dict[str, Any], n: int) -> None:
    """n more schools in home, each with a partnership-shared SEF (evidence on each entry), a review
    in the cycle with a two-person team, focus areas, activities, findings and a shared final report."""
    cycle = data["cycle"]
    for index in range(n):
        school = member_school(world.home)
        head = staff(school, Role.HEADTEACHER)
        deputy = staff(school, Role.SENIOR_LEADER)
        sef = rf.sef(school, by=head, sharing=Sharing.PARTNERSHIP)
        for entry in sef.entries.all()[:2]:
            SefEvidence.objects.create(entry=entry, kind="document", label=f"Doc {index}", added_by=head)
        review = rf.review(cycle, school, team=[world["partner_head"], deputy])
        FocusArea.objects.create(review=review, title=f"Focus {index}")
        activity = Activity.objects.create(
            review=review, kind="book_look", day=review.visit_starts_on, starts_at=datetime.time(10), host=head
        )
        activity.reviewers.add(world["partner_head"], deputy)
        area = sef.framework.areas.get(number=1)
        Finding.objects.create(review=review, area=area, kind="strength", text=f"Strength {index}", created_by=head)
        AreaJudgement.objects.create(review=review, area=area, grade=sef.framework.grades.get(rank=1))
        ReviewReport.objects.create(
            review=review, status=ReviewReport.Status.FINAL, sharing=Sharing.PARTNERSHIP, summary=f"Report {index}"
        )


def _counts(client: Any, data: dict[str, Any]) -> dict[str, int]:
    urls = [
        "/api/v1/review-frameworks/",
        "/api/v1/self-evaluations/",
        f"/api/v1/self-evaluations/{data['partner_sef'].pk}/",
        "/api/v1/review-cycles/",
        f"/api/v1/review-cycles/{data['cycle'].pk}/rota/",
        "/api/v1/reviews/",
        f"/api/v1/reviews/{data['partner_review'].pk}/",
        "/api/v1/review-findings/",
        "/api/v1/review-judgements/",
        "/api/v1/review-reports/",
    ]
    found = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        found[url] = len(ctx.captured_queries)
    return found


def test_reviews_endpoints_do_not_grow_with_the_rows(client, world, data):
    client.force_login(world["partner_head"])  # on every team, and every grown school shares
    _grow(world, data, 1)
    small = _counts(client, data)
    _grow(world, data, 4)
    assert _counts(client, data) == small


# component -> free-text properties people type, which the schema must call plain text.
FREE_TEXT = {
    "ReviewFramework": ["name", "description"],
    "ReviewFrameworkArea": ["name", "description"],
    "SelfEvaluation": ["summary"],
    "SefEntry": ["area_name", "narrative", "strengths", "development"],
    "SefEvidence": ["label"],
    "ReviewCycle": ["name"],
    "ReviewTeamMember": ["full_name"],
    "Review": ["enquiry_question"],
    "ReviewFocusArea": ["title", "why"],
    "ReviewActivity": ["focus"],
    "ReviewPerson": ["full_name"],
    "Finding": ["text", "impact_note"],
    "AreaJudgement": ["area_name", "summary"],
    "ReviewReport": ["summary", "school_response"],
}


def test_the_schema_documents_free_text_as_plain_text(client, db):
    from partnership.core.exports import PLAIN_TEXT_HELP

    components = client.get("/api/schema/?format=json").json()["components"]["schemas"]
    missing = [
        f"{component}.{name}"
        for component, names in FREE_TEXT.items()
        for name in names
        if components[component]["properties"][name].get("description") != PLAIN_TEXT_HELP
    ]
    assert not missing, missing


LISTS = [
    "/api/v1/review-frameworks/",
    "/api/v1/self-evaluations/",
    "/api/v1/review-cycles/",
    "/api/v1/reviews/",
    "/api/v1/review-findings/",
    "/api/v1/review-judgements/",
    "/api/v1/review-reports/",
]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_pages_and_refuses_a_bad_page(client, world, data, path):
    client.force_login(world["head"])
    assert client.get(path, {"limit": 501}).status_code == 400
    assert "offset" in client.get(path, {"offset": "abc"}).json()
    assert client.get(path, {"limit": 500, "offset": 2**31 - 1}).json()["results"] == []
    assert client.get(path, {"limit": 1}).status_code == 200


@pytest.fixture
def wsgi_in_the_test_transaction():
    """Calls into the WSGI app must not close the test's database connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_full_responses_keep_to_the_schema(world, data, wsgi_in_the_test_transaction):
    """The schema fuzz runs on a world without reviews; here every endpoint answers with rows in it."""
    import schemathesis
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    from config.wsgi import application
    from partnership.accounts.services import api_token_create

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    report = data["report"]
    report.status, report.sharing = ReviewReport.Status.FINAL, Sharing.PARTNERSHIP
    report.save()
    review = data["partner_review"]
    FocusArea.objects.create(review=review, title="Early reading")
    Activity.objects.create(review=review, kind="book_look", day=review.visit_starts_on, starts_at=datetime.time(9))
    SefEvidence.objects.create(
        entry=data["own_sef"].entries.first(), kind="document", label="Map", added_by=world["head"]
    )
    _, raw = api_token_create(user=world["head"])
    calls = [
        ("/api/v1/review-frameworks/{id}/", {"id": data["own_sef"].framework_id}),
        ("/api/v1/self-evaluations/", {}),
        ("/api/v1/self-evaluations/{id}/", {"id": data["own_sef"].pk}),
        ("/api/v1/review-cycles/", {}),
        ("/api/v1/review-cycles/{id}/rota/", {"id": data["cycle"].pk}),
        ("/api/v1/reviews/", {}),
        ("/api/v1/reviews/{id}/", {"id": review.pk}),
        ("/api/v1/review-findings/{id}/", {"id": data["finding"].pk}),
        ("/api/v1/review-judgements/{id}/", {"id": data["judgement"].pk}),
        ("/api/v1/review-reports/", {}),
        ("/api/v1/review-reports/{id}/", {"id": report.pk}),
    ]
    for path, params in calls:
        case = schema[path]["GET"].Case(path_parameters=params)
        response = case.call(app=application, headers={"Authorization": f"Token {raw}"})
        assert response.status_code == 200, path
        case.validate_response(response, checks=[response_schema_conformance, content_type_conformance])
