"""The register's part of a school's data-sharing record: each entry proposed, endorsed and
withdrawn (the withdrawal from the audit log), shared with its partnership, in a fixed number of
queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.core import audit, registry
from partnership.goodpractice.models import PracticeArea, RegisterEntry
from partnership.goodpractice.sharing import PROPOSED, WITHDRAWN, school_register_sharing

pytestmark = pytest.mark.django_db


def _entry(w, *, title="Reading for pleasure", school=None, **kwargs):
    return RegisterEntry.objects.create(
        partnership=w.home,
        school=school or w.own,
        area=PracticeArea.objects.get(key="reading"),
        title=title,
        description="What we do.",
        proposed_by=w["head"],
        proposed_at=kwargs.pop("proposed_at", timezone.now() - datetime.timedelta(days=30)),
        **kwargs,
    )


def test_a_proposed_entry_is_shared_with_its_partnership_from_the_day_it_was_proposed(shared_world):
    w = shared_world
    entry = _entry(w)

    [record] = school_register_sharing(w.own)

    assert (record.subject, record.partnership) == ("Good practice register", "Home Partnership")
    assert record.item == "Reading for pleasure (Reading)"
    assert (record.current.level, record.current.decided_by, record.current.decided_at) == (
        PROPOSED,
        str(w["head"]),
        entry.proposed_at,
    )
    assert record.history == ()


def test_endorsed_then_withdrawn_lists_each_step_newest_first(shared_world):
    w = shared_world
    now = timezone.now()
    entry = _entry(
        w,
        status=RegisterEntry.Status.WITHDRAWN,
        endorsed_how=RegisterEntry.EndorsedBy.BOARD,
        endorsed_by=w["coordinator"],
        endorsed_at=now - datetime.timedelta(days=10),
    )
    audit.record(w["senco"], "withdraw", entry)

    [record] = school_register_sharing(w.own)

    assert [(d.level, d.decided_by) for d in (record.current, *record.history)] == [
        (WITHDRAWN, str(w["senco"])),
        ("Shared with the partnership: endorsed by the Raising Achievement Board", str(w["coordinator"])),
        (PROPOSED, str(w["head"])),
    ]


def test_a_withdrawn_entry_without_a_recorded_withdrawal_says_so_from_its_last_change(shared_world):
    w = shared_world
    entry = _entry(w, status=RegisterEntry.Status.WITHDRAWN)
    [record] = school_register_sharing(w.own)
    assert (record.current.level, record.current.decided_by, record.current.decided_at) == (
        WITHDRAWN,
        "",
        entry.updated_at,
    )


def test_only_the_school_s_entries_are_listed_and_the_source_is_registered(shared_world):
    w = shared_world
    _entry(w, school=w.partner, title="Theirs")
    assert school_register_sharing(w.own) == []
    assert [r.item for r in registry.sharing_record(w.partner) if r.subject == "Good practice register"] == [
        "Theirs (Reading)"
    ]


def _queries(school):
    with CaptureQueriesContext(connection) as queries:
        records = school_register_sharing(school)
    return len(queries), len(records)


def test_the_query_count_does_not_grow_with_the_entries(shared_world):
    w = shared_world
    _entry(w)
    few = _queries(w.own)
    for number in range(4):
        entry = _entry(w, title=f"Entry {number}", status=RegisterEntry.Status.WITHDRAWN)
        audit.record(w["head"], "withdraw", entry)
    assert few == (2, 1)
    assert _queries(w.own) == (2, 5)
