"""The demo plans load on top of the directory's demo data, once."""

import pytest

from partnership.actions.models import Action
from partnership.directory.demo import load_demo
from partnership.directory.models import Partnership
from partnership.plans import selectors
from partnership.plans.demo import load_plans_demo
from partnership.plans.models import ImprovementPlan, ProgressUpdate, current_academic_year

pytestmark = pytest.mark.django_db


def test_demo_plans_are_idempotent_and_worth_looking_at():
    load_demo("demo-password-123")
    assert load_plans_demo() == 12  # 10 schools and 2 partnerships
    assert load_plans_demo() == 0
    sdps = ImprovementPlan.objects.filter(kind="school", academic_year=current_academic_year())
    assert sdps.count() == 10 and sdps.filter(shares_priorities=True).count() == 5
    for plan in sdps:
        assert 2 <= plan.priorities.count() <= 4
    assert ImprovementPlan.objects.filter(kind="partnership").count() == 2
    assert Action.objects.overdue().exists() and ProgressUpdate.objects.exists()
    for partnership in Partnership.objects.all():
        coordinator = partnership.role_assignments.get(role="coordinator").person
        matrix = selectors.shared_priorities_matrix(partnership, coordinator, current_academic_year())
        assert any(column.school_count >= 2 for column in matrix["columns"]), partnership
