"""Evidence the other apps offer a SEF (`core.registry.school_evidence`): outcome measures and
flags, plan priorities; each as its own access policy allows, and linked to a SEF area."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnership.core import registry
from partnership.core.errors import ApplicationError
from partnership.outcomes.evidence import school_outcome_evidence
from partnership.outcomes.tests.test_outcome_pages import YEAR, cohort
from partnership.plans.evidence import school_plan_evidence
from partnership.plans.tests.factories import priority, school_plan
from partnership.reviews import sef
from partnership.reviews.models import SefEvidence
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db
SEF_YEAR = YEAR + 1  # the SEF written in the year after the results


@pytest.fixture
def results(world):  # type: ignore[no-untyped-def]
    cohort(world.own, YEAR, 20, 13)  # RWM in line with national
    cohort(world.own, YEAR, 20, 5, measure="ks2_reading")  # well below national: flagged
    cohort(world.partner, YEAR, 4, 3)  # a small group
    return world


def test_outcomes_offer_headline_measures_and_flags_as_concerns(results):
    found = school_outcome_evidence(results["head"], results.own, SEF_YEAR)
    measures = {e.ref: e for e in found if e.kind == "measure"}
    assert set(measures) == {f"ks2_rwm:{YEAR}", f"ks2_reading:{YEAR}"}
    rwm, reading = measures[f"ks2_rwm:{YEAR}"], measures[f"ks2_reading:{YEAR}"]
    assert rwm.label == "KS2 reading, writing and maths 2024/25: 65% (national 62%)" and not rwm.concern
    assert reading.concern and "achievement" in reading.area_keys and "quality-of-education" in reading.area_keys
    assert reading.url == reverse("outcomes:school_outcomes", args=[results.own.slug]) + f"?year={YEAR}"
    flags = [e for e in found if e.kind == "flag"]
    assert flags and all(f.concern for f in flags) and any("ks2_reading" in f.ref for f in flags)
    for item in found:
        assert "Surname" not in item.label and "Forename" not in item.label


def test_outcomes_offer_nothing_to_someone_who_may_not_see_the_school(results):
    assert school_outcome_evidence(results["outside_head"], results.own, SEF_YEAR) == []
    assert school_outcome_evidence(results["head"], results.outside, SEF_YEAR) == []


def test_a_small_group_is_offered_only_to_the_schools_own_staff(results):
    assert school_outcome_evidence(results["head"], results.partner, SEF_YEAR) == []
    own_staff = school_outcome_evidence(results["partner_head"], results.partner, SEF_YEAR)
    assert [e.ref for e in own_staff] == [f"ks2_rwm:{YEAR}"]


def test_plans_offer_the_years_priorities_to_those_who_may_see_them(world):
    plan = school_plan(world.own, world["head"], year=SEF_YEAR)
    first = priority(plan, "Raise attainment in reading")
    first.framework_area = "achievement"
    first.save()
    priority(plan, "Governance")
    school_plan(world.own, world["head"], year=SEF_YEAR - 1)  # another year: not offered
    found = school_plan_evidence(world["head"], world.own, SEF_YEAR)
    assert [(e.kind, e.label, e.concern) for e in found] == [
        ("priority", "Plan priority 1: Raise attainment in reading", True),
        ("priority", "Plan priority 2: Governance", True),
    ]
    assert found[0].ref == f"priority:{first.pk}" and found[0].url == reverse("plans:detail", args=[plan.pk])
    assert set(found[0].area_keys) >= {"achievement", "quality-of-education", "quality-of-provision"}
    assert found[1].area_keys == ()
    assert school_plan_evidence(world["partner_head"], world.own, SEF_YEAR) == []
    assert school_plan_evidence(world["outside_head"], world.own, SEF_YEAR) == []
    plan.shares_priorities = True
    plan.save()
    assert len(school_plan_evidence(world["partner_head"], world.own, SEF_YEAR)) == 2
    assert school_plan_evidence(world["outside_head"], world.own, SEF_YEAR) == []


def test_both_sources_are_registered(results):
    plan = school_plan(results.own, results["head"], year=SEF_YEAR)
    priority(plan, "Reading")
    kinds = {e.kind for e in registry.school_evidence(results["head"], results.own, SEF_YEAR)}
    assert kinds == {"measure", "flag", "priority"}
    assert registry.school_evidence(results["outside_head"], results.own, SEF_YEAR) == []


def test_offered_evidence_is_linked_to_an_area_and_a_forged_one_refused(client, results):
    plan = school_plan(results.own, results["head"], year=SEF_YEAR)
    reading = priority(plan, "Reading")
    made = factories.sef(results.own, by=results["head"], year=SEF_YEAR)
    entry = made.entries.select_related("area", "sef").get(area__key="achievement")
    client.force_login(results["head"])
    url = reverse("reviews:sef_evidence_add", args=[made.pk, entry.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Plan priority 1: Reading" in page.content.decode()
    response = client.post(url, {"form": "offered", "offered-choice": f"priority:priority:{reading.pk}"})
    assert response.status_code == 302
    linked = SefEvidence.objects.get(entry=entry)
    assert linked.kind == "priority" and linked.label == "Plan priority 1: Reading" and linked.url
    with pytest.raises(ApplicationError):
        sef.evidence_add_offered(entry=entry, kind="priority", ref="priority:999999", actor=results["head"])
    with pytest.raises(ApplicationError):  # twice
        sef.evidence_add_offered(entry=entry, kind="priority", ref=f"priority:{reading.pk}", actor=results["head"])
