"""Self-evaluation and peer review as a practice source (`core.registry.schools_practice`): SEF
lines, agreed findings and endorsed Areas of Excellence, each only to those the reviews pages show
it to; the same queries for two schools as for six."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core import access, registry
from partnership.directory.tests.factories import member_school
from partnership.reviews.models import (
    AreaOfExcellence,
    Finding,
    Review,
    ReviewCycle,
    ReviewReport,
    SefEntry,
    Sharing,
)
from partnership.reviews.practice import schools_review_practice, text_topics
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db
YEAR = 2025


def _sef(school, by, sharing=Sharing.OWN_SCHOOL):  # type: ignore[no-untyped-def]
    made = factories.sef(school, by=by, year=YEAR, sharing=sharing)
    SefEntry.objects.filter(sef=made).update(development="")
    entry = made.entries.get(area__key="achievement")
    entry.strengths = "Maths reasoning in KS2\n\nStrong oracy across the school"
    entry.development = "Writing stamina for boys"
    entry.save()
    return made, entry


def _review(world, school, team, *, stage=Review.Stage.FINDINGS):  # type: ignore[no-untyped-def]
    cycle = ReviewCycle.objects.filter(partnership=world.home, academic_year=YEAR).first() or factories.cycle(
        world.home, by=world["coordinator"], year=YEAR
    )
    made = factories.review(cycle, school, team=team, stage=stage)
    area = cycle.framework.areas.get(key="inclusion")
    strength = Finding.objects.create(
        review=made, area=area, kind=Finding.Kind.STRENGTH, text="SEND pupils thrive in class", created_by=team[0]
    )
    development = Finding.objects.create(
        review=made, area=None, kind=Finding.Kind.DEVELOPMENT, text="Phonics catch-up in Year 2", created_by=team[0]
    )
    aoe = AreaOfExcellence.objects.create(
        review=made,
        title="Science enquiry",
        description="Pupils plan their own investigations.",
        put_forward_by=world["head"],
        endorsed=True,
    )
    return made, strength, development, aoe


@pytest.fixture
def practice(world):  # type: ignore[no-untyped-def]
    own_sef, entry = _sef(world.own, world["head"])
    review, strength, development, aoe = _review(world, world.own, [world["partner_head"]])
    world.made = {  # type: ignore[attr-defined]
        "sef": own_sef,
        "entry": entry,
        "review": review,
        "strength": strength,
        "development": development,
        "aoe": aoe,
    }
    return world


def _refs(user, world, school=None) -> list[str]:  # type: ignore[no-untyped-def]
    school = school or world.own
    return [item.ref for item in schools_review_practice(user, [school], YEAR)[school.pk]]


def test_sef_lines_findings_and_the_area_of_excellence(practice):
    made = practice.made
    items = schools_review_practice(practice["head"], [practice.own, practice.partner], YEAR)
    assert items[practice.partner.pk] == []
    by_ref = {item.ref: item for item in items[practice.own.pk]}
    entry = made["entry"]
    maths = by_ref[f"sef:{entry.pk}:strength:1"]
    assert (maths.kind, maths.label, maths.strength, maths.concern) == ("sef", "Maths reasoning in KS2", True, False)
    assert maths.topics == ("maths",) and maths.area_keys == ("achievement",)
    assert maths.url == reverse("reviews:sef_detail", args=[made["sef"].pk])
    assert maths.detail == "Achievement, self-evaluation 2025/26"
    oracy = by_ref[f"sef:{entry.pk}:strength:2"]  # the blank line is skipped
    assert oracy.topics == () and oracy.strength
    writing = by_ref[f"sef:{entry.pk}:development:1"]
    assert writing.concern and not writing.strength and writing.topics == ("writing",)
    send = by_ref[f"finding:{made['strength'].pk}"]
    assert (send.kind, send.strength, send.concern, send.topics, send.area_keys) == (
        "review",
        True,
        False,
        ("send",),
        ("inclusion",),
    )
    assert send.url == reverse("reviews:findings_page", args=[made["review"].pk])
    phonics = by_ref[f"finding:{made['development'].pk}"]
    assert phonics.concern and not phonics.strength and phonics.topics == ("phonics",) and phonics.area_keys == ()
    aoe = by_ref[f"aoe:{made['aoe'].pk}"]
    assert (aoe.kind, aoe.label, aoe.strength, aoe.topics) == (
        "aoe",
        "Area of Excellence: Science enquiry",
        True,
        ("science",),
    )
    assert len(by_ref) == 6


@pytest.mark.parametrize(
    ("who", "sees_sef", "sees_review"),
    [
        ("head", True, True),
        ("governor", True, True),  # people at the school
        ("partner_head", False, True),  # on the review team; the SEF is not shared with the team
        ("partner_teacher", False, False),  # a teacher of another school
        ("coordinator", False, False),  # the report is not shared with the partnership
        ("outside_head", False, False),
        ("admin", True, True),
    ],
)
def test_each_person_sees_what_the_reviews_pages_show_them(practice, who, sees_sef, sees_review):
    refs = _refs(practice[who], practice)
    assert any(ref.startswith("sef:") for ref in refs) == sees_sef
    assert any(ref.startswith(("finding:", "aoe:")) for ref in refs) == sees_review


def test_sharing_the_sef_and_the_final_report_reaches_the_partnership(practice):
    made = practice.made
    made["sef"].sharing = Sharing.REVIEW_TEAM
    made["sef"].save()
    assert any(ref.startswith("sef:") for ref in _refs(practice["partner_head"], practice))  # the team
    assert not _refs(practice["coordinator"], practice)
    made["sef"].sharing = Sharing.PARTNERSHIP
    made["sef"].save()
    ReviewReport.objects.create(review=made["review"], status=ReviewReport.Status.FINAL, sharing=Sharing.PARTNERSHIP)
    for who in ("coordinator", "partner_teacher"):
        refs = _refs(practice[who], practice)
        assert any(r.startswith("sef:") for r in refs) and f"aoe:{made['aoe'].pk}" in refs, who
    assert _refs(practice["outside_head"], practice) == []


def test_draft_findings_other_years_and_undecided_excellence_are_left_out(practice):
    made = practice.made
    Review.objects.filter(pk=made["review"].pk).update(stage=Review.Stage.VISITED)
    refs = _refs(practice["head"], practice)
    assert not any(ref.startswith("finding:") for ref in refs) and f"aoe:{made['aoe'].pk}" in refs
    AreaOfExcellence.objects.filter(pk=made["aoe"].pk).update(endorsed=None)
    assert not any(ref.startswith("aoe:") for ref in _refs(practice["head"], practice))
    assert schools_review_practice(practice["head"], [practice.own], YEAR + 1) == {practice.own.pk: []}


def test_subjects_named_in_the_text():
    assert text_topics("Maths reasoning in KS2") == ("maths",)
    assert text_topics("Mathematics and reading") == ("maths", "reading")
    assert text_topics("EAL learners and SEN support") == ("eal", "send")
    assert text_topics("We send newsletters home") == ()
    assert text_topics("PE and music; art in KS1") == ("music", "pe", "arts")
    assert text_topics("Attendance and behaviour at lunchtime") == ("attendance", "behaviour")
    assert text_topics("Leaders' vision") == ()


def test_registered_as_a_practice_source(practice):
    assert "reviews" in [source.key for source in registry.PRACTICE_SOURCES]
    found = registry.schools_practice(practice["head"], [practice.own], YEAR)[practice.own.pk]
    assert {item.kind for item in found} >= {"sef", "review", "aoe"}


def test_queries_do_not_grow_with_the_schools(practice):
    more = [member_school(practice.home, name=f"Growth {n} Primary", slug=f"growth-{n}") for n in range(6)]
    for school in more:
        _sef(school, practice["coordinator"], Sharing.PARTNERSHIP)
        review, *_ = _review(practice, school, [practice["partner_head"]])
        ReviewReport.objects.create(review=review, status=ReviewReport.Status.FINAL, sharing=Sharing.PARTNERSHIP)
    user = practice["coordinator"]
    access.principal_for(user)

    def count(schools):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as queries:
            found = schools_review_practice(user, schools, YEAR)
        assert all(len(found[s.pk]) == 6 for s in schools)
        return len(queries.captured_queries)

    assert count(more[:2]) == count(more) == 3  # SEF lines, findings, Areas of Excellence
