"""The demo register, support and buddy pairs load on top of the directory's demo data, once, each
request at its stage with the capacity it holds."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from partnership.directory.demo import load_demo
from partnership.goodpractice import support
from partnership.goodpractice.demo import demo_outcome
from partnership.goodpractice.models import BuddyPair, RegisterEntry, SupportRequest, SupportSession
from partnership.goodpractice.tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)


def test_the_demo_loads_once_with_every_stage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    factories.areas()
    load_demo("demo-password-123", TODAY)
    outcome = demo_outcome("demo-password-123", TODAY)
    assert "register entries" in outcome.summary
    counts = {m.__name__: m.objects.count() for m in (RegisterEntry, SupportRequest, SupportSession, BuddyPair)}
    assert counts["RegisterEntry"] == 9 and counts["SupportRequest"] == 6
    assert counts["SupportSession"] > 0 and counts["BuddyPair"] > 0
    stages = set(SupportRequest.objects.values_list("status", flat=True))
    assert stages == {"requested", "accepted", "impact", "closed"}
    assert (
        RegisterEntry.objects.filter(status="endorsed").exists()
        and RegisterEntry.objects.filter(status="proposed").exists()
    )
    for entry in RegisterEntry.objects.all():
        assert support.reserved_sessions(entry) <= entry.capacity
    # every step on a day it could have happened, in order, none after the demo's today
    end = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(23, 59)))
    for req in SupportRequest.objects.select_related("entry"):
        steps = [req.entry.proposed_at, req.entry.endorsed_at, req.requested_at, req.decided_at, req.plan_agreed_at]
        days = [s.day for s in req.sessions.order_by("day")]
        steps += [timezone.make_aware(datetime.datetime.combine(d, datetime.time(12))) for d in days]
        steps += [req.impact_recorded_at, req.closed_at, end]
        known = [s for s in steps if s is not None]
        assert known == sorted(known), f"{req}: steps out of order {known}"
        for session in req.sessions.all():
            assert timezone.localdate(session.logged_at) == session.day
    demo_outcome("demo-password-123", TODAY)  # again: nothing doubled
    assert {m.__name__: m.objects.count() for m in (RegisterEntry, SupportRequest, SupportSession, BuddyPair)} == counts
