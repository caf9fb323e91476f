"""Plans as a practice source (`core.registry.schools_practice`): each school's plan priorities for
the year that this person may see, as concerns, with the register's topics from their themes and
framework area; the same queries for two schools as for six."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core import access, registry
from partnership.directory.tests.factories import member_school
from partnership.plans.evidence import priority_topics, school_plan_evidence, schools_plan_practice, theme_topics
from partnership.plans.tests.factories import priority, school_plan

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def plans(world):  # type: ignore[no-untyped-def]
    own = school_plan(world.own, world["head"], year=YEAR)
    first = priority(own, "Raise attainment in English", themes=("English", "Pupil premium"))
    first.framework_area = "achievement"
    first.save()
    second = priority(own, "Attendance of vulnerable pupils", themes=("Reading", "Wellbeing"))
    second.framework_area = "attendance_behaviour"
    second.save()
    school_plan(world.own, world["head"], year=YEAR - 1)  # another year: not offered
    partner = school_plan(world.partner, world["partner_head"], year=YEAR, shares=True)
    priority(partner, "Maths fluency", themes=("Numeracy",))
    world.plans = {"own": own, "partner": partner, "first": first, "second": second}  # type: ignore[attr-defined]
    return world


def _refs(found: dict[int, list[registry.SchoolEvidence]], school) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.ref for item in found[school.pk]]


def test_priorities_as_concerns_with_their_topics(plans):
    found = schools_plan_practice(plans["head"], [plans.own, plans.partner], YEAR)
    first, second = found[plans.own.pk]
    assert first.ref == f"priority:{plans.plans['first'].pk}" and first.kind == "priority"
    assert first.label == "Plan priority 1: Raise attainment in English" and first.concern and not first.strength
    assert first.topics == ("reading", "writing", "disadvantaged")
    assert first.url == reverse("plans:detail", args=[plans.plans["own"].pk])
    assert "achievement" in first.area_keys
    assert second.topics == ("reading", "attendance", "behaviour")  # "Wellbeing" is no register area
    assert [item.topics for item in found[plans.partner.pk]] == [("maths",)]


@pytest.mark.parametrize(
    ("who", "own_seen", "partner_seen"),
    [
        ("head", 2, 1),  # their own school's plan, and the partner's shared priorities
        ("governor", 2, 1),
        ("teacher", 2, 1),
        ("partner_teacher", 0, 1),  # a teacher of another school: not the unshared plan
        ("coordinator", 0, 1),
        ("outside_head", 0, 0),  # another partnership: not even what is shared
        ("admin", 2, 1),
    ],
)
def test_each_person_sees_the_priorities_they_may_see(plans, who, own_seen, partner_seen):
    found = schools_plan_practice(plans[who], [plans.own, plans.partner, plans.outside], YEAR)
    assert (len(found[plans.own.pk]), len(found[plans.partner.pk]), found[plans.outside.pk]) == (
        own_seen,
        partner_seen,
        [],
    )


def test_school_plan_evidence_is_the_same_with_topics(plans):
    evidence = school_plan_evidence(plans["head"], plans.own, YEAR)
    assert evidence == schools_plan_practice(plans["head"], [plans.own], YEAR)[plans.own.pk]
    assert evidence[0].topics == ("reading", "writing", "disadvantaged")


def test_theme_words_and_framework_areas_become_topics(plans):
    assert theme_topics("Maths") == ("maths",)
    assert theme_topics("  EAL ") == ("eal",)
    assert theme_topics("Personal development") == ("personal-development",)
    assert theme_topics("Early Years") == ("eyfs",)
    assert theme_topics("Mathematics") == theme_topics("numeracy") == ("maths",)
    assert theme_topics("SEN") == theme_topics("Inclusion") == theme_topics("SEND") == ("send",)
    assert theme_topics("Disadvantaged") == ("disadvantaged",)
    assert theme_topics("Oracy") == ()
    made = priority(plans.plans["own"], "Leaders and governors", themes=("Leadership",))
    for area, topics in [
        ("leadership_governance", ("leadership", "governance")),
        ("early_years", ("eyfs",)),
        ("safeguarding", ("safeguarding",)),
        ("personal_development", ("personal-development",)),
        ("inclusion", ("send",)),
        ("curriculum_teaching", ("curriculum",)),
        ("achievement", ()),
    ]:
        made.framework_area = area
        assert priority_topics(made) == tuple(dict.fromkeys(("leadership", *topics)))


def test_registered_as_a_practice_source(plans):
    assert "plans" in [source.key for source in registry.PRACTICE_SOURCES]
    found = registry.schools_practice(plans["head"], [plans.own], YEAR)[plans.own.pk]
    assert [item.ref for item in found if item.kind == "priority"] == _refs(
        schools_plan_practice(plans["head"], [plans.own], YEAR), plans.own
    )


def test_queries_do_not_grow_with_the_schools(plans):
    more = [member_school(plans.home, name=f"Growth {n} Primary", slug=f"growth-{n}") for n in range(5)]
    for school in more:
        plan = school_plan(school, plans["partner_head"], year=YEAR, shares=True)
        priority(plan, "Reading for pleasure", themes=("Reading", "English"))
        priority(plan, "Writing stamina", themes=("Writing",))
    user = plans["coordinator"]
    access.principal_for(user)

    def count(schools):  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as queries:
            found = schools_plan_practice(user, schools, YEAR)
        assert all(found[s.pk] for s in schools)
        return len(queries.captured_queries)

    assert count([plans.partner, more[0]]) == count([plans.partner, *more]) == 2  # the priorities, their themes
