"""The demo register, support and buddy pairs load on top of the directory's demo data, once, each
request at its stage with the capacity it holds."""

from __future__ import annotations

import datetime

import pytest

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
    demo_outcome("demo-password-123", TODAY)  # again: nothing doubled
    assert {m.__name__: m.objects.count() for m in (RegisterEntry, SupportRequest, SupportSession, BuddyPair)} == counts
