"""Support requests through the services: each step, its refusals, capacity held and released."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from partnership.actions.models import Action
from partnership.core.audit import AuditEvent
from partnership.core.errors import ApplicationError
from partnership.directory.tests.factories import build_world
from partnership.goodpractice import support
from partnership.goodpractice.models import RegisterEntry, SupportRequest
from partnership.goodpractice.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _entry(w, capacity=3):
    return factories.entry(w.home, w.partner, by=w["partner_head"], capacity=capacity)


def test_a_request_runs_from_asking_to_closed_holding_capacity_while_open(world):
    entry = _entry(world)
    req = factories.request_at(entry, world.own, asker=world["head"], answerer=world["partner_head"])
    assert req.status == SupportRequest.Status.REQUESTED and support.reserved_sessions(entry) == 0
    req = support.request_accept(req=req, actor=world["partner_head"])
    assert req.reserved == 2 and support.reserved_sessions(entry) == 2
    req = support.plan_agree(
        req=req,
        plan="Three visits",
        sessions=3,
        visits=3,
        starts_on=None,
        ends_on=None,
        cost=Decimal("120.00"),
        impact_target="KS2 maths",
        actor=world["partner_head"],
    )
    assert req.status == SupportRequest.Status.AGREED and support.reserved_sessions(entry) == 3
    session = support.session_log(
        req=req,
        day=timezone.localdate(),
        kind="visit_host",
        days=Decimal("0.5"),
        attendees="Head",
        impact_note="Saw mastery lessons.",
        actor=world["head"],
    )
    assert session.request_id == req.pk
    req = support.impact_record(
        req=req, impact="moved", note="Reasoning better in books.", target="", actor=world["head"]
    )
    assert req.status == SupportRequest.Status.IMPACT and req.impact_target == "KS2 maths"
    req = support.request_close(req=req, actor=world["head"])
    assert req.status == SupportRequest.Status.CLOSED and req.reserved == 0
    assert support.reserved_sessions(entry) == 0
    verbs = list(AuditEvent.objects.filter(object_id=str(req.pk)).values_list("verb", flat=True))
    for verb in ("create", "accept", "agree_plan", "log_session", "record_impact", "close"):
        assert verb in verbs


def test_acceptance_never_books_more_than_the_capacity(world):
    entry = _entry(world, capacity=3)
    first = factories.request_at(
        entry, world.own, asker=world["head"], answerer=world["partner_head"], stage="accepted", sessions=2
    )
    other_entry_school = world.outside
    assert first.reserved == 2
    from partnership.core.roles import Role
    from partnership.directory.tests.factories import member_school, staff

    third = member_school(world.home, name="Third Primary", slug="third-primary")
    third_head = staff(third, Role.HEADTEACHER, email="head@third.test")
    second = factories.request_at(entry, third, asker=third_head, answerer=world["partner_head"], sessions=2)
    with pytest.raises(ApplicationError, match="1 of 3 sessions free"):
        support.request_accept(req=second, actor=world["partner_head"])
    second.refresh_from_db()
    assert second.status == SupportRequest.Status.REQUESTED and second.reserved == 0
    support.request_close(req=first, actor=world["head"])
    assert support.request_accept(req=second, actor=world["partner_head"]).reserved == 2
    assert other_entry_school.pk != entry.school_id


def test_a_school_cannot_ask_itself_or_ask_twice(world):
    entry = _entry(world)
    with pytest.raises(ApplicationError, match="cannot ask itself"):
        support.request_create(
            entry=entry,
            school=world.partner,
            need=factories.own_need(),
            area=entry.area,
            message="",
            sessions=1,
            actor=world["partner_head"],
        )
    factories.request_at(entry, world.own, asker=world["head"], answerer=world["partner_head"])
    with pytest.raises(ApplicationError, match="already asked"):
        factories.request_at(entry, world.own, asker=world["head"], answerer=world["partner_head"])


def test_a_school_outside_the_partnership_cannot_ask(world):
    entry = _entry(world)
    with pytest.raises(ApplicationError, match="not a member"):
        support.request_create(
            entry=entry,
            school=world.outside,
            need=factories.own_need(),
            area=entry.area,
            message="",
            sessions=1,
            actor=world["outside_head"],
        )


def test_steps_out_of_order_are_refused_with_the_status(world):
    entry = _entry(world)
    req = factories.request_at(entry, world.own, asker=world["head"], answerer=world["partner_head"])
    with pytest.raises(ApplicationError, match="requested: it cannot be closed"):
        support.request_close(req=req, actor=world["head"])
    with pytest.raises(ApplicationError, match="cannot be given sessions"):
        support.session_log(
            req=req,
            day=timezone.localdate(),
            kind="visit_host",
            days=Decimal("0.5"),
            attendees="",
            impact_note="x",
            actor=world["head"],
        )
    support.request_decline(req=req, reason="Full until summer.", actor=world["partner_head"])
    with pytest.raises(ApplicationError, match="declined"):
        support.request_accept(req=req, actor=world["partner_head"])


def test_impact_needs_a_session_and_future_sessions_are_refused(world):
    entry = _entry(world)
    req = factories.request_at(entry, world.own, asker=world["head"], answerer=world["partner_head"], stage="agreed")
    with pytest.raises(ApplicationError, match="at least one session"):
        support.impact_record(req=req, impact="moved", note="x", target="", actor=world["head"])
    with pytest.raises(ApplicationError, match="future"):
        support.session_log(
            req=req,
            day=timezone.localdate() + datetime.timedelta(days=2),
            kind="visit_host",
            days=Decimal("0.5"),
            attendees="",
            impact_note="x",
            actor=world["head"],
        )


def test_withdrawing_an_entry_with_support_under_way_is_refused(world):
    from partnership.goodpractice import entries

    entry = _entry(world)
    factories.request_at(entry, world.own, asker=world["head"], answerer=world["partner_head"], stage="accepted")
    with pytest.raises(ApplicationError, match="support under way"):
        entries.entry_withdraw(entry=entry, actor=world["partner_head"])
    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.PROPOSED


def test_an_action_from_a_request_is_in_the_one_action_log(world):
    entry = _entry(world)
    req = factories.request_at(entry, world.own, asker=world["head"], answerer=world["partner_head"], stage="accepted")
    action = support.request_action_create(
        req=req, title="Trial the sequence", owner=world["head"], due_on=None, actor=world["head"]
    )
    assert Action.objects.get(pk=action.pk).school_id == world.own.pk
    assert support.request_actions(req) == [action]
    with pytest.raises(ApplicationError, match="one of the two schools"):
        support.request_action_create(req=req, title="x", owner=world["outside_head"], due_on=None, actor=world["head"])
