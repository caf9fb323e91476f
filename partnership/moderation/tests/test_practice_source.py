"""Moderation as a practice source (`core.registry.schools_practice`): a school's agreement by subject
for the year and the year before, as its agreement page shows it, and its exemplars in the bank to
its own staff; the same queries for two schools as for six."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnership.core import access, registry
from partnership.directory.tests.factories import member_school
from partnership.moderation.models import Exemplar, ModeratorJudgement
from partnership.moderation.policy import agreement_schools
from partnership.moderation.practice import schools_moderation_practice
from partnership.moderation.tests import factories

pytestmark = pytest.mark.django_db
YEAR = 2025


def moderated(world, school, subject: str, year: int, n: int, agreed: int, *, teacher):  # type: ignore[no-untyped-def]
    """`n` samples of `school` in a `subject` session of `year`, `agreed` of them given the teacher's
    judgement by the moderator."""
    session = factories.session(
        world.home, host=world.partner, by=world["coordinator"], subject=subject, academic_year=year
    )
    judgement = "EXP" if subject.startswith("eyfs_") else "EXS"
    other = "EMG" if subject.startswith("eyfs_") else "WTS"
    samples = []
    for i in range(n):
        sample = factories.sample(session, school, by=teacher, judgement=judgement)
        ModeratorJudgement.objects.create(
            sample=sample, moderator=world["adviser"], judgement=judgement if i < agreed else other
        )
        samples.append(sample)
    return samples


def bank(sample, by, *, withdrawn: bool = False) -> Exemplar:  # type: ignore[no-untyped-def]
    return Exemplar.objects.create(
        sample=sample,
        standard="EXS",
        annotation="Cohesion across paragraphs.",
        consented_by=by,
        withdrawn_at=timezone.now() if withdrawn else None,
        withdrawn_by=by if withdrawn else None,
    )


@pytest.fixture
def agreement(world):  # type: ignore[no-untyped-def]
    writing = moderated(world, world.own, "writing", YEAR, 10, 9, teacher=world["teacher"])  # 90%: a strength
    moderated(world, world.own, "maths", YEAR, 5, 2, teacher=world["teacher"])  # 40%: a concern
    moderated(world, world.own, "reading", YEAR - 1, 6, 4, teacher=world["teacher"])  # 67%: neither
    moderated(world, world.own, "science", YEAR, 4, 4, teacher=world["teacher"])  # too few to say
    moderated(world, world.own, "eyfs_literacy", YEAR, 5, 5, teacher=world["teacher"])
    old = moderated(world, world.own, "writing", YEAR - 2, 8, 1, teacher=world["teacher"])  # too long ago
    moderated(world, world.partner, "writing", YEAR, 5, 5, teacher=world["partner_teacher"])
    world.exemplars = {  # type: ignore[attr-defined]
        "current": bank(writing[0], world["head"]),
        "withdrawn": bank(writing[1], world["head"], withdrawn=True),
        "old": bank(old[0], world["head"]),
    }
    return world


def _items(user, world, school=None):  # type: ignore[no-untyped-def]
    school = school or world.own
    return schools_moderation_practice(user, [school], YEAR)[school.pk]


def test_agreement_by_subject_and_the_schools_exemplars(agreement):
    items = _items(agreement["head"], agreement)
    by_ref = {item.ref: item for item in items}
    own = agreement.own.pk
    writing = by_ref[f"agreement:{own}:writing:{YEAR}"]
    assert writing.kind == "moderation"
    assert writing.label == "Writing moderation 2025/26: 9 of 10 judgements agreed (90%)"
    assert writing.strength and not writing.concern and writing.topics == ("writing",)
    assert writing.url == reverse("moderation:agreement_school", args=[agreement.own.slug]) + "?by=subject"
    maths = by_ref[f"agreement:{own}:maths:{YEAR}"]
    assert maths.label == "Maths moderation 2025/26: 2 of 5 judgements agreed (40%)"
    assert maths.concern and not maths.strength and maths.topics == ("maths",)
    reading = by_ref[f"agreement:{own}:reading:{YEAR - 1}"]
    assert not reading.concern and not reading.strength and reading.label.endswith("4 of 6 judgements agreed (67%)")
    eyfs = by_ref[f"agreement:{own}:eyfs_literacy:{YEAR}"]
    assert eyfs.topics == ("eyfs",) and eyfs.strength and "early-years" in eyfs.area_keys
    exemplar = by_ref[f"exemplar:{agreement.exemplars['current'].pk}"]
    assert exemplar.strength and exemplar.topics == ("writing",)
    assert exemplar.label.startswith("Exemplar in the bank: Year 6 writing, 2025/26, EXS (")
    assert set(by_ref) == {
        f"agreement:{own}:writing:{YEAR}",
        f"agreement:{own}:maths:{YEAR}",
        f"agreement:{own}:eyfs_literacy:{YEAR}",
        f"agreement:{own}:reading:{YEAR - 1}",
        f"exemplar:{agreement.exemplars['current'].pk}",
    }  # not science (4 judgements), not two years back, not the withdrawn exemplar
    for item in items:
        assert "Ada Lovelace" not in item.label + item.detail


@pytest.mark.parametrize(
    ("who", "agreement_seen", "exemplars_seen"),
    [
        ("head", True, True),
        ("teacher", True, True),  # the school's staff
        ("governor", False, False),  # not staff
        ("partner_teacher", False, False),  # a teacher of another school
        ("coordinator", True, False),  # the bank names no school but to its own staff
        ("adviser", True, False),
        ("other_coordinator", False, False),
        ("admin", True, False),
    ],
)
def test_each_person_sees_what_the_agreement_page_and_bank_show_them(agreement, who, agreement_seen, exemplars_seen):
    user = agreement[who]
    refs = [item.ref for item in _items(user, agreement)]
    assert any(ref.startswith("agreement:") for ref in refs) == agreement_seen
    assert any(ref.startswith("exemplar:") for ref in refs) == exemplars_seen
    assert agreement_seen == access.can(user, "view_school_agreement", agreement.own)


def test_the_partner_schools_figures_are_its_own_staffs(agreement):
    schools = [agreement.own, agreement.partner]
    partner = agreement.partner.pk
    assert schools_moderation_practice(agreement["head"], schools, YEAR)[partner] == []
    mine = schools_moderation_practice(agreement["partner_teacher"], schools, YEAR)
    assert mine[agreement.own.pk] == [] and [i.ref for i in mine[partner]] == [f"agreement:{partner}:writing:{YEAR}"]
    both = schools_moderation_practice(agreement["coordinator"], schools, YEAR)
    assert both[agreement.own.pk] and both[partner]


def test_agreement_schools_is_the_rule_for_many_schools(agreement):
    schools = [agreement.own, agreement.partner, agreement.outside, agreement.former]
    for who in ("head", "governor", "partner_teacher", "coordinator", "adviser", "other_adviser", "leaver"):
        principal = access.principal_for(agreement[who])
        expected = {s.pk for s in schools if access.can_within(agreement[who], "view_school_agreement", s)}
        assert agreement_schools(principal, [s.pk for s in schools]) == expected, who


def test_registered_as_a_practice_source(agreement):
    assert "moderation" in [source.key for source in registry.PRACTICE_SOURCES]
    found = registry.schools_practice(agreement["head"], [agreement.own], YEAR)[agreement.own.pk]
    assert any(item.kind == "moderation" and item.strength for item in found)


def test_queries_do_not_grow_with_the_schools(agreement):
    more = [member_school(agreement.home, name=f"Growth {n} Primary", slug=f"growth-{n}") for n in range(6)]
    for school in more:
        moderated(agreement, school, "writing", YEAR, 5, 5, teacher=agreement["coordinator"])
    user = agreement["coordinator"]
    access.principal_for(user)

    def count(schools):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as queries:
            found = schools_moderation_practice(user, schools, YEAR)
        assert all(found[s.pk] for s in schools)
        return len(queries.captured_queries)

    assert count(more[:2]) == count(more) == 3  # who may see, which of them are visible, the judgements
    head = agreement["head"]
    access.principal_for(head)
    with CaptureQueriesContext(connection) as queries:
        schools_moderation_practice(head, [agreement.own, *more], YEAR)
    assert len(queries.captured_queries) == 3  # the visible school, its judgements, its exemplars
