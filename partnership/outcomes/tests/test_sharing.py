"""The outcomes' part of a school's data-sharing record: the school's own figures, shown to each of
its partnerships at the strictest threshold, with who changed a threshold (the admin's audit rows)
or else the joining date."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnership.core.tests.admin_forms import admin_user, form_data
from partnership.directory.models import Membership
from partnership.directory.services import school_join_partnership
from partnership.directory.tests.factories import PartnershipFactory
from partnership.outcomes.sharing import school_outcome_sharing

pytestmark = pytest.mark.django_db


def _set_threshold(client, partnership, value, **changes):
    url = reverse("admin:directory_partnership_change", args=[partnership.pk])
    response = client.post(url, form_data(client, url, suppression_threshold=str(value), **changes))
    assert response.status_code == 302


def test_a_member_school_shares_its_figures_from_the_day_it_joined(world):
    membership = Membership.objects.current().get(school=world.own)

    [record] = school_outcome_sharing(world.own)

    assert (record.subject, record.partnership) == ("Outcome aggregates", "Home Partnership")
    assert record.current.level == "Shared, groups of fewer than 6 pupils hidden"
    assert record.current.decided_by == ""
    assert timezone.localtime(record.current.decided_at).date() == membership.joined_on
    assert record.history == ()
    assert "Pupil-level data (names, UPNs, each pupil's results) is never shared." in record.note


def test_threshold_changes_in_the_admin_are_the_decisions_and_the_strictest_threshold_applies(client, world):
    superadmin = admin_user()
    client.force_login(superadmin)
    _set_threshold(client, world.home, 8)
    _set_threshold(client, world.home, 8, summary="What we do")  # not a threshold change
    _set_threshold(client, world.home, 9)
    strict = PartnershipFactory(name="Strict Partnership", slug="strict", suppression_threshold=11)
    school_join_partnership(partnership=strict, school=world.own, joined_on=datetime.date(2024, 9, 1))

    home, strictest = school_outcome_sharing(world.own)

    assert [home.partnership, strictest.partnership] == ["Home Partnership", "Strict Partnership"]
    # The school's figures are shown everywhere at the strictest of its partnerships' thresholds.
    assert home.current.level == strictest.current.level == "Shared, groups of fewer than 11 pupils hidden"
    assert home.current.decided_by == str(superadmin)
    assert [d.level for d in home.history] == [
        "Shared, groups of fewer than 8 pupils hidden (the partnership's setting)",
        "Shared from joining Home Partnership",
    ]
    assert home.history[0].decided_by == str(superadmin)
    assert "Home Partnership's is 9" in home.note and "fewer than 11 pupils" in home.note
    assert strictest.current.decided_by == "" and strictest.history == ()
    assert timezone.localtime(strictest.current.decided_at).date() == datetime.date(2024, 9, 1)


def test_a_partnership_the_school_has_left_is_not_listed(world):
    assert school_outcome_sharing(world.former) == []


def _queries(school):
    with CaptureQueriesContext(connection) as queries:
        records = school_outcome_sharing(school)
    return len(queries), len(records)


def test_the_query_count_does_not_grow_with_the_partnerships(client, world):
    client.force_login(admin_user())
    _set_threshold(client, world.home, 7)
    few = _queries(world.own)
    for number in range(4):
        more = PartnershipFactory(name=f"Partnership {number}", slug=f"p-{number}")
        school_join_partnership(partnership=more, school=world.own)
        _set_threshold(client, more, 7 + number)
    assert _queries(world.own) == (few[0], 5)
    assert few == (3, 1)
