"""Outcomes as a practice source (`core.registry.schools_practice`): each school's headline measures
significantly above national (strengths) and below (concerns) and its board flags, as its outcomes
page shows them to this person, in the same queries for two schools as for six."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core import access, registry
from partnership.directory.tests.factories import member_school
from partnership.outcomes.analysis import Flag
from partnership.outcomes.evidence import (
    flag_topics,
    measure_topics,
    school_outcome_evidence,
    schools_outcome_practice,
)
from partnership.outcomes.tests.test_outcome_pages import YEAR, cohort

pytestmark = pytest.mark.django_db
SEF_YEAR = YEAR + 1  # the year after the results


@pytest.fixture
def results(world):  # type: ignore[no-untyped-def]
    cohort(world.own, YEAR, 20, 20, measure="ks2_maths")  # 100% against 74%: significantly above
    cohort(world.own, YEAR, 20, 5, measure="ks2_reading")  # 25% against 75%: below, flagged
    cohort(world.own, YEAR, 20, 13)  # RWM 65% against 62%: in line, not offered
    cohort(world.partner, YEAR, 4, 4, measure="ks2_maths")  # a small group
    cohort(world.outside, YEAR, 20, 20, measure="ks2_maths")
    return world


def _by_ref(items: list[registry.SchoolEvidence]) -> dict[str, registry.SchoolEvidence]:
    return {item.ref: item for item in items}


def test_strengths_concerns_and_flags_with_their_topics(results):
    found = schools_outcome_practice(results["head"], [results.own], SEF_YEAR)[results.own.pk]
    items = _by_ref(found)
    maths, reading = items[f"ks2_maths:{YEAR}"], items[f"ks2_reading:{YEAR}"]
    assert f"ks2_rwm:{YEAR}" not in items  # in line with national: neither
    assert maths.kind == "measure" and maths.strength and not maths.concern and maths.topics == ("maths",)
    assert maths.label == "KS2 maths 2024/25: 100% (national 74%)" and maths.detail == "above national"
    assert maths.url == reverse("outcomes:school_outcomes", args=[results.own.slug]) + f"?year={YEAR}"
    assert reading.concern and not reading.strength and reading.topics == ("reading",)
    flags = [item for item in found if item.kind == "flag"]
    assert [f.ref for f in flags] == [f"below:{results.own.pk}:ks2_reading:{YEAR}"]
    assert flags[0].concern and not flags[0].strength and flags[0].topics == ("reading",)
    for item in found:
        assert "Surname" not in item.label and "Forename" not in item.label


@pytest.mark.parametrize("who", ["head", "governor", "partner_teacher", "coordinator", "adviser", "admin"])
def test_each_person_sees_what_the_schools_outcomes_page_shows_them(results, who):
    user = results[who]
    schools = [results.own, results.partner, results.outside]
    found = schools_outcome_practice(user, schools, SEF_YEAR)
    for school in schools:
        evidence = school_outcome_evidence(user, school, SEF_YEAR)
        expected = [e for e in evidence if e.kind == "flag" or e.detail in ("above national", "below national")]
        got = found[school.pk]
        assert [(e.ref, e.label, e.strength, e.topics) for e in got] == [
            (e.ref, e.label, e.strength, e.topics) for e in expected
        ]


def test_nothing_of_a_school_the_person_may_not_see(results):
    found = schools_outcome_practice(results["outside_head"], [results.own, results.partner], SEF_YEAR)
    assert found == {results.own.pk: [], results.partner.pk: []}
    assert schools_outcome_practice(results["head"], [results.outside], SEF_YEAR) == {results.outside.pk: []}
    assert _by_ref(
        schools_outcome_practice(results["other_coordinator"], [results.outside], SEF_YEAR)[results.outside.pk]
    )


def test_a_small_group_is_shown_to_the_schools_own_staff_only(results):
    assert schools_outcome_practice(results["head"], [results.partner], SEF_YEAR)[results.partner.pk] == []
    # 4 of 4 is too few to be significantly above national even for the school's own staff: offered to nobody.
    assert schools_outcome_practice(results["partner_head"], [results.partner], SEF_YEAR)[results.partner.pk] == []


def test_a_school_without_that_years_results_offers_its_latest(results):
    late = member_school(results.home, name="Late Primary", slug="late-primary")
    cohort(late, YEAR - 1, 20, 20, measure="ks2_maths")
    found = schools_outcome_practice(results["coordinator"], [results.own, late], SEF_YEAR)
    assert [e.ref for e in found[late.pk]] == [f"ks2_maths:{YEAR - 1}"]
    assert f"ks2_maths:{YEAR}" in _by_ref(found[results.own.pk])
    assert [e.ref for e in school_outcome_evidence(results["coordinator"], late, SEF_YEAR)] == [f"ks2_maths:{YEAR - 1}"]


def test_topics_of_each_measure_and_flag():
    assert measure_topics("eyfs_gld") == ("eyfs",)
    assert measure_topics("phonics_y1") == measure_topics("phonics_y2") == ("phonics",)
    assert measure_topics("ks1_reading") == measure_topics("ks2_reading") == ("reading",)
    assert measure_topics("ks2_writing") == measure_topics("ks2_gps") == ("writing",)
    assert measure_topics("ks2_maths") == measure_topics("mtc") == ("maths",)
    assert measure_topics("ks2_rwm") == ("reading", "writing", "maths")
    assert flag_topics(Flag("gap", 1, "ks2_maths", "")) == ("maths", "disadvantaged")
    assert flag_topics(Flag("falling", 1, "ks2_maths", "")) == ("maths",)


def test_school_outcome_evidence_carries_topics_and_strength(results):
    items = _by_ref(school_outcome_evidence(results["head"], results.own, SEF_YEAR))
    assert items[f"ks2_maths:{YEAR}"].strength and items[f"ks2_maths:{YEAR}"].topics == ("maths",)
    assert not items[f"ks2_rwm:{YEAR}"].strength and not items[f"ks2_rwm:{YEAR}"].concern
    assert items[f"ks2_rwm:{YEAR}"].topics == ("reading", "writing", "maths")


def test_registered_as_a_practice_source(results):
    assert "outcomes" in [source.key for source in registry.PRACTICE_SOURCES]
    found = registry.schools_practice(results["head"], [results.own], SEF_YEAR)[results.own.pk]
    assert f"ks2_maths:{YEAR}" in _by_ref([e for e in found if e.kind == "measure"])


def _queries(user, schools) -> int:  # type: ignore[no-untyped-def]
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        found = schools_outcome_practice(user, schools, SEF_YEAR)
    assert all(found[s.pk] for s in schools)
    return len(cold.captured_queries)


def test_queries_do_not_grow_with_the_schools(results):
    more = [member_school(results.home, name=f"Growth {n} Primary", slug=f"growth-{n}") for n in range(5)]
    for school in more:
        cohort(school, YEAR, 20, 20, measure="ks2_maths")
    user = results["coordinator"]
    access.principal_for(user)  # built once per request, before either count
    two = _queries(user, [results.own, more[0]])
    six = _queries(user, [results.own, *more])
    assert two == six


def test_a_summer_national_figures_do_not_cover_yet_gives_way_to_the_last_one_they_do(results):
    from partnership.outcomes.models import NationalFigure

    NationalFigure.objects.filter(academic_year=YEAR + 1).delete()
    cohort(results.own, YEAR + 1, 20, 2, measure="ks2_maths", start=100)  # no comparator: no verdict yet
    cache.clear()
    items = _by_ref(schools_outcome_practice(results["head"], [results.own], YEAR + 2)[results.own.pk])
    assert f"ks2_maths:{YEAR}" in items and items[f"ks2_maths:{YEAR}"].strength
    assert not any(ref.endswith(f":{YEAR + 1}") for ref in items)
