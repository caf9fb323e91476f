"""The reviews' part of a school's data-sharing record: each SEF's and each review report's choice
(`SharingChoice` rows), who decided and when, the earlier choices, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.core.schoolyear import academic_year_label
from partnership.reviews import followup, sef
from partnership.reviews.models import Review, Sharing
from partnership.reviews.sharing import school_review_sharing
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db


def _sef(world, year, *levels):
    made = sef.sef_start(school=world.own, academic_year=year, framework=factories.framework(), actor=world["head"])
    for level, who in levels:
        made = sef.sef_share(sef=made, level=level, actor=world[who])
    return made


def _report(world, cycle, *levels, round=1):
    review = factories.review(cycle, world.own, team=[world["partner_head"]], stage=Review.Stage.FINDINGS, round=round)
    followup.report_save_summary(review=review, summary="What we found.", by=world["partner_head"])
    for level in levels:
        followup.report_share(review=review, level=level, by=world["head"])
    return review


def test_a_sef_lists_its_choices_newest_first_after_starting_private(world):
    made = _sef(world, 2025, (Sharing.REVIEW_TEAM, "head"), (Sharing.PARTNERSHIP, "senco"))

    [record] = school_review_sharing(world.own)

    assert (record.subject, record.item, record.partnership) == (
        "Self-evaluation",
        f"Self-evaluation {academic_year_label(2025)}",
        "Each partnership",
    )
    assert (record.current.level, record.current.decided_by) == ("Everyone in our partnerships", str(world["senco"]))
    assert [(d.level, d.decided_by) for d in record.history] == [
        ("Our school and our review team", str(world["head"])),
        ("Our school only", str(world["head"])),  # started
    ]
    assert record.history[-1].decided_at == made.created_at
    assert record.url.endswith(f"/sef/{made.pk}/#sharing")


def test_a_sef_never_shared_is_its_own_school_s_since_it_was_started(world):
    made = _sef(world, 2025)
    [record] = school_review_sharing(world.own)
    assert (record.current.level, record.current.decided_at, record.history) == (
        "Our school only",
        made.created_at,
        (),
    )


def test_a_report_lists_the_school_s_choices_or_the_level_it_was_written_with(world):
    cycle = factories.cycle(world.home, by=world["coordinator"], name="Autumn reviews")
    shared = _report(world, cycle, Sharing.PARTNERSHIP, Sharing.REVIEW_TEAM, Sharing.PARTNERSHIP)
    untouched = _report(world, cycle, round=2)
    followup.report_finalise(review=shared, by=world["partner_head"])

    records = school_review_sharing(world.own)

    assert [r.item for r in records] == [
        "Autumn reviews (Home Partnership): final",
        "Autumn reviews, round 2 (Home Partnership): draft",
    ]
    final, draft = records
    assert (final.current.level, final.current.decided_by) == ("Everyone in our partnerships", str(world["head"]))
    assert [d.level for d in final.history] == ["Our school and our review team", "Everyone in our partnerships"]
    assert (draft.current.level, draft.current.decided_by, draft.current.decided_at) == (
        "Our school and our review team",
        "",
        None,
    )
    assert "only once it is final" in draft.note and "only once it is final" not in final.note
    assert draft.url.endswith(f"/review/{untouched.pk}/report/")


def test_other_schools_sefs_and_reports_are_not_listed(world):
    factories.sef(world.partner, by=world["partner_head"], sharing=Sharing.PARTNERSHIP)
    assert school_review_sharing(world.own) == []


def _queries(school):
    with CaptureQueriesContext(connection) as queries:
        records = school_review_sharing(school)
    return len(queries), len(records)


def test_the_query_count_does_not_grow_with_the_sefs_and_reports(world):
    cycle = factories.cycle(world.home, by=world["coordinator"], year=2025)
    _sef(world, 2020, (Sharing.PARTNERSHIP, "head"))
    _report(world, cycle, Sharing.PARTNERSHIP)
    few = _queries(world.own)
    for year in range(2021, 2025):
        _sef(world, year, (Sharing.REVIEW_TEAM, "head"), (Sharing.PARTNERSHIP, "head"))
    _report(world, cycle, Sharing.PARTNERSHIP, Sharing.REVIEW_TEAM, round=2)
    assert few == (3, 2)
    assert _queries(world.own) == (3, 7)
