"""The plans' part of a school's data-sharing record: each plan's choice, its history from the
audit log, and a query count that does not grow with the plans."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.core import registry
from partnership.core.schoolyear import current_academic_year
from partnership.plans import services
from partnership.plans.sharing import NOT_SHARED, SHARED, school_plan_sharing
from partnership.plans.tests import factories

pytestmark = pytest.mark.django_db


def test_a_plan_shared_then_kept_private_lists_each_decision_newest_first(world):
    head, senco = world["head"], world["senco"]
    plan = services.plan_create(school=world.own, academic_year=current_academic_year(), actor=head)
    services.plan_set_sharing(plan=plan, shares=True, actor=head)
    services.plan_set_sharing(plan=plan, shares=False, actor=senco)

    [record] = school_plan_sharing(world.own)

    assert (record.subject, record.partnership) == ("Plan priorities", "Each partnership")
    assert record.item == f"School Development Plan {plan.year_label}"
    assert (record.current.level, record.current.decided_by) == (NOT_SHARED, str(senco))
    assert [(d.level, d.decided_by) for d in record.history] == [(SHARED, str(head)), (NOT_SHARED, str(head))]
    assert record.history[-1].decided_at == plan.created_at  # the plan's creation is the first decision
    assert record.current.decided_at > record.history[0].decided_at > record.history[1].decided_at
    assert record.url.endswith(f"/plans/{plan.pk}/#sharing")


def test_without_a_recorded_change_the_plan_s_creation_is_the_decision(world):
    private = factories.school_plan(world.own, world["head"], year=2024, title="Reading first")
    rolled = factories.school_plan(world.own, world["senco"], year=2025, shares=True)  # rolled from a shared plan

    records = school_plan_sharing(world.own)

    assert [r.item for r in records] == [
        f"School Development Plan {rolled.year_label}",
        f"School Development Plan {private.year_label}: Reading first",
    ]
    assert (records[0].current.level, records[0].current.decided_by) == (SHARED, str(world["senco"]))
    assert (records[1].current.level, records[1].current.decided_by) == (NOT_SHARED, str(world["head"]))
    assert records[0].history == records[1].history == ()


def test_only_the_school_s_own_plans_are_listed(world):
    factories.school_plan(world.partner, world["partner_head"], shares=True)
    factories.partnership_plan(world.home, world["coordinator"])
    assert school_plan_sharing(world.own) == []
    assert [r.subject for r in registry.sharing_record(world.partner)].count("Plan priorities") == 1


def _queries(school):
    with CaptureQueriesContext(connection) as queries:
        school_plan_sharing(school)
    return len(queries)


def test_the_query_count_does_not_grow_with_the_plans(world):
    head = world["head"]
    plan = services.plan_create(school=world.own, academic_year=2020, actor=head)
    services.plan_set_sharing(plan=plan, shares=True, actor=head)
    few = _queries(world.own)
    for year in range(2021, 2026):
        more = services.plan_create(school=world.own, academic_year=year, actor=head)
        services.plan_set_sharing(plan=more, shares=True, actor=head)
        services.plan_set_sharing(plan=more, shares=False, actor=head)
    assert len(school_plan_sharing(world.own)) == 6
    assert _queries(world.own) == few == 2
