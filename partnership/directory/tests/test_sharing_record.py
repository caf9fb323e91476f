"""A school's data-sharing record: the page and its PDF gather every app's choices, grouped by
partnership then subject, for the school's leaders and governors, without auditing the view and in
a number of queries that does not grow with the choices."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from partnership.core.models import AuditEvent
from partnership.core.registry import SharingChoiceRecord, SharingDecision
from partnership.core.schoolyear import current_academic_year
from partnership.directory.sharing import EACH_PARTNERSHIP, group_records
from partnership.goodpractice.models import PracticeArea, RegisterEntry
from partnership.moderation import samples
from partnership.moderation.tests import factories as moderation_factories
from partnership.plans import services as plan_services
from partnership.reviews import sef as sef_services
from partnership.reviews.models import Sharing
from partnership.reviews.tests import factories as review_factories

pytestmark = pytest.mark.django_db


def _choices(w, *, years=None):
    """A plan, a SEF, an exemplar and a register entry per year: the school's choices."""
    session = moderation_factories.session(w.home, host=w.partner, by=w["coordinator"])
    for year in years or (current_academic_year(),):
        plan = plan_services.plan_create(school=w.own, academic_year=year, actor=w["head"])
        plan_services.plan_set_sharing(plan=plan, shares=True, actor=w["head"])
        made = sef_services.sef_start(
            school=w.own, academic_year=year, framework=review_factories.framework(), actor=w["head"]
        )
        sef_services.sef_share(sef=made, level=Sharing.PARTNERSHIP, actor=w["head"])
        sample = moderation_factories.sample(session, w.own, by=w["teacher"], pupil="Ada Lovelace")
        samples.record_judgement(sample, actor=w["partner_teacher"], judgement="EXS")
        samples.offer_exemplar(sample, actor=w["head"], annotation="Secure.")
        RegisterEntry.objects.create(
            partnership=w.home,
            school=w.own,
            area=PracticeArea.objects.get(key="reading"),
            title=f"Reading for pleasure {year}",
            description="What we do.",
            proposed_by=w["head"],
        )


def _url(w, name="directory:school_sharing"):
    return reverse(name, kwargs={"slug": w.own.slug})


def test_the_record_lists_each_app_s_choices_grouped_by_partnership_then_subject(client, shared_world):
    w = shared_world
    _choices(w)
    client.force_login(w["governor"])
    before = AuditEvent.objects.count()

    response = client.get(_url(w))

    assert response.status_code == 200
    assert AuditEvent.objects.count() == before  # viewing the record is not audited
    html = response.content.decode()
    groups = response.context["record"].groups
    assert [g.partnership for g in groups] == [EACH_PARTNERSHIP, "Home Partnership"]
    assert [s.subject for s in groups[0].subjects] == ["Plan priorities", "Self-evaluation"]
    assert [s.subject for s in groups[1].subjects] == [
        "Outcome aggregates",
        "Moderation exemplars",
        "Good practice register",
    ]
    assert "Shared with each of our partnerships" in html and "Shared with Home Partnership" in html
    assert "Priorities shared (not objectives or actions)" in html and "Everyone in our partnerships" in html
    assert "Pupil-level data" in html and "Ada" not in html
    assert 'href="/plans/' in html and "Download this record as a PDF" in html


def test_the_pdf_is_a_real_pdf_with_the_same_record(client, shared_world):
    w = shared_world
    _choices(w)
    client.force_login(w["head"])

    response = client.get(_url(w, "directory:school_sharing_pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "data-sharing-record-own-primary.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "Own Primary: data-sharing record",
        "Never shared",
        "Shared with each of our partnerships",
        "Plan priorities",
        "Outcome aggregates",
        "Moderation exemplars",
        "Good practice register",
        str(w["head"]),
    ):
        assert expected in text, expected


@pytest.mark.parametrize(("role", "linked"), [("head", True), ("governor", True), ("teacher", False)])
def test_the_school_s_page_links_to_the_record_for_those_who_may_see_it(client, shared_world, role, linked):
    w = shared_world
    client.force_login(w[role])
    html = client.get(reverse("directory:school_detail", kwargs={"slug": w.own.slug})).content.decode()
    assert (f'href="{_url(w)}"' in html) is linked


def test_a_school_with_no_partnership_and_no_choices_is_told_so(client, shared_world):
    w = shared_world
    client.force_login(w["leaver"])
    response = client.get(reverse("directory:school_sharing", kwargs={"slug": w.former.slug}))
    assert response.status_code == 200
    assert "has made no choices about sharing yet" in response.content.decode()


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_s_query_count_does_not_grow_with_the_choices(client, shared_world):
    w = shared_world
    client.force_login(w["head"])
    _choices(w, years=(2020,))
    few = _page_queries(client, _url(w))
    _choices(w, years=(2021, 2022, 2023, 2024))
    assert len(client.get(_url(w)).context["record"].groups[1].subjects[1].records) == 5
    assert _page_queries(client, _url(w)) == few


def test_groups_put_each_partnership_first_then_the_school_s_partnerships_then_others():
    def record(partnership, subject):
        return SharingChoiceRecord(subject, "item", partnership, SharingDecision("Shared", "", None))

    groups = group_records(
        [
            record("Zeta", "Outcome aggregates"),
            record("Left Partnership", "Moderation exemplars"),
            record(EACH_PARTNERSHIP, "Plan priorities"),
            record("Alpha", "Outcome aggregates"),
            record("Zeta", "Good practice register"),
            record("Zeta", "Outcome aggregates"),
        ],
        ["Zeta", "Alpha"],
    )
    assert [g.partnership for g in groups] == [EACH_PARTNERSHIP, "Alpha", "Zeta", "Left Partnership"]
    assert [(s.subject, len(s.records)) for s in groups[2].subjects] == [
        ("Outcome aggregates", 2),
        ("Good practice register", 1),
    ]
