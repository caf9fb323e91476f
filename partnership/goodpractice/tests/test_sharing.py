"""The register's part of a school's data-sharing record: each entry proposed, endorsed, withdrawn
and put forward again (from the audit rows the entry services write), shared with its partnership,
in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.core import registry
from partnership.goodpractice import entries
from partnership.goodpractice.models import PracticeArea, RegisterEntry
from partnership.goodpractice.sharing import PROPOSED, RESTORED, WITHDRAWN, school_register_sharing

pytestmark = pytest.mark.django_db

BOARD = "Shared with the partnership: endorsed by the Raising Achievement Board"


def _propose(w, *, title="Reading for pleasure", school=None, head="head"):
    return entries.entry_propose(
        partnership=w.home,
        school=school or w.own,
        area=PracticeArea.objects.get(key="reading"),
        title=title,
        description="What we do.",
        contact=None,
        capacity=2,
        actor=w[head],
    )


def test_a_proposed_entry_is_shared_with_its_partnership_from_the_day_it_was_proposed(shared_world):
    w = shared_world
    entry = _propose(w)

    [record] = school_register_sharing(w.own)

    assert (record.subject, record.partnership) == ("Good practice register", "Home Partnership")
    assert record.item == "Reading for pleasure (Reading)"
    assert (record.current.level, record.current.decided_by, record.current.decided_at) == (
        PROPOSED,
        str(w["head"]),
        entry.proposed_at,
    )
    assert record.history == ()
    assert record.url.endswith(f"/entries/{entry.pk}/")


def test_endorsed_withdrawn_and_put_forward_again_lists_each_step_newest_first(shared_world):
    w = shared_world
    entry = _propose(w)
    entries.entry_endorse(entry=entry, note="Board, 3 March", actor=w["coordinator"])
    entries.entry_withdraw(entry=entry, actor=w["senco"])
    entries.entry_restore(entry=entry, actor=w["head"])

    [record] = school_register_sharing(w.own)

    assert [(d.level, d.decided_by) for d in (record.current, *record.history)] == [
        (RESTORED, str(w["head"])),
        (WITHDRAWN, str(w["senco"])),
        (BOARD, str(w["coordinator"])),  # kept by the log though the entry lost its endorsement fields
        (PROPOSED, str(w["head"])),
    ]


def test_an_entry_changed_outside_the_services_shows_its_state_now(shared_world):
    w = shared_world
    entry = RegisterEntry.objects.create(
        partnership=w.home,
        school=w.own,
        area=PracticeArea.objects.get(key="reading"),
        title="Loaded",
        description="What we do.",
        proposed_by=w["head"],
        status=RegisterEntry.Status.WITHDRAWN,
    )
    [record] = school_register_sharing(w.own)
    assert (record.current.level, record.current.decided_by, record.current.decided_at) == (
        WITHDRAWN,
        "",
        entry.updated_at,
    )
    assert [d.level for d in record.history] == [PROPOSED]


def test_only_the_school_s_entries_are_listed_and_the_source_is_registered(shared_world):
    w = shared_world
    _propose(w, school=w.partner, title="Theirs", head="partner_head")
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
    _propose(w)
    few = _queries(w.own)
    for number in range(4):
        entry = _propose(w, title=f"Entry {number}")
        entries.entry_endorse(entry=entry, note="Board", actor=w["coordinator"])
        entries.entry_withdraw(entry=entry, actor=w["head"])
    assert few == (2, 1)
    assert _queries(w.own) == (2, 5)
