"""The demo meetings load on top of the directory demo, and loading again changes nothing."""

import pytest

from partnership.actions.models import Action
from partnership.directory.demo import load_demo
from partnership.directory.models import Network
from partnership.meetings.demo import NEXT_RAB, NEXT_SENCO, PAST_HEADS, load_meetings_demo
from partnership.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_demo_meetings_are_idempotent_and_complete():
    load_demo("demo-password-for-tests")
    assert load_meetings_demo() == 6  # three per partnership
    assert load_meetings_demo() == 0
    for slug in ("stars", "star-collaboration"):
        rab = Network.objects.get(partnership__slug=slug, slug="raising-achievement-board")
        assert rab.kind == Network.Kind.BOARD and rab.manual_members.count() >= 4
        past = Meeting.objects.get(network__partnership__slug=slug, title=PAST_HEADS)
        assert past.status == "held" and past.minutes_approved_at is not None
        assert past.items.exclude(decisions="").exists()
        assert past.attendance.filter(status="present").exists()
        actions = Action.objects.filter(partnership__slug=slug, source_id__in=past.items.values("pk"))
        assert actions.count() == 2 and sum(a.is_overdue() for a in actions) == 1
        upcoming = Meeting.objects.filter(network__partnership__slug=slug, title__in=[NEXT_SENCO, NEXT_RAB])
        assert upcoming.count() == 2 and all(m.items.count() == 3 for m in upcoming)
        hosts = {m.host_school_id for m in Meeting.objects.filter(network__partnership__slug=slug)}
        assert len(hosts) == 3  # the hosts take turns
