"""Calibration (self-grades against peer grades) and the reciprocity ledger, figures worked by hand."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.reviews import ledger
from partnership.reviews.models import (
    AreaJudgement,
    Review,
    ReviewReport,
    SefEntry,
    Sharing,
    TeamMember,
)
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db


def _judge(review: Review, ranks: dict[str, int | bool]) -> None:
    """The team's grades: area key -> rank (or met / not met)."""
    framework = review.cycle.framework
    for key, value in ranks.items():
        area = framework.areas.get(key=key)
        if area.met_or_not:
            AreaJudgement.objects.create(review=review, area=area, met=bool(value))
        else:
            AreaJudgement.objects.create(review=review, area=area, grade=framework.grades.get(rank=value))


def _self_grade(sef: Any, ranks: dict[str, int | bool]) -> None:
    for key, value in ranks.items():
        entry = SefEntry.objects.get(sef=sef, area__key=key)
        if entry.area.met_or_not:
            entry.met = bool(value)
        else:
            entry.grade = sef.framework.grades.get(rank=value)
        entry.save()


def _reported(
    review: Review, *, sharing: str = Sharing.PARTNERSHIP, status: str = ReviewReport.Status.FINAL
) -> ReviewReport:
    review.stage = Review.Stage.REPORTED
    review.save()
    return ReviewReport.objects.create(review=review, status=status, sharing=sharing)


def test_over_agreement_and_under_estimation_by_rank(world):
    cycle = factories.cycle(world.home, by=world["coordinator"], year=2026)
    review = factories.review(cycle, world.own, team=[world["partner_head"]], stage=Review.Stage.FINDINGS)
    sef = factories.sef(world.own, by=world["head"], year=2026)  # every graded area: rank 3
    _self_grade(sef, {"inclusion": 1, "safeguarding": True})
    # inclusion: self 1, peer 2 -> over by 1; achievement: self 3, peer 3 -> agree;
    # curriculum: self 3, peer 1 -> under by 2; safeguarding: self met, peer not met -> over by 1.
    _judge(review, {"inclusion": 2, "achievement": 3, "curriculum-teaching": 1, "safeguarding": False})
    [row] = ledger.school_calibration(world["head"], world.own)
    assert row.comparable
    found = {a.area: (a.self_grade, a.peer_grade, a.difference, a.verdict) for a in row.areas}
    assert found == {
        "Inclusion": ("Exceptional", "Strong standard", 1, "over"),
        "Curriculum and teaching": ("Expected standard", "Exceptional", -2, "under"),
        "Achievement": ("Expected standard", "Expected standard", 0, "agree"),
        "Safeguarding": ("Met", "Not met", 1, "over"),
    }
    assert (row.over, row.agree, row.under) == (2, 1, 1)
    [cycle_row] = ledger.school_rows_by_cycle([row])
    assert (cycle_row["over_pct"], cycle_row["agree_pct"], cycle_row["under_pct"]) == (50, 25, 25)


def test_different_frameworks_are_not_compared(world):
    eif = factories.framework(key="ofsted-eif-2019")
    cycle = factories.cycle(world.home, by=world["coordinator"], year=2026, framework=eif)
    review = factories.review(cycle, world.own, team=[world["partner_head"]], stage=Review.Stage.FINDINGS)
    AreaJudgement.objects.create(review=review, area=eif.areas.first(), grade=eif.grades.first())
    factories.sef(world.own, by=world["head"], year=2026)  # on the 2025 report card
    [row] = ledger.school_calibration(world["head"], world.own)
    assert not row.comparable and row.reason.startswith("not comparable") and row.areas == []
    page = client_get(world, "head", reverse("reviews:calibration_school", args=[world.own.slug]))
    assert "not comparable" in page


def client_get(world: Any, who: str, url: str) -> str:
    from django.test import Client

    client = Client()
    client.force_login(world[who])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_school_page_shows_a_chart_and_its_table(world):
    cycle = factories.cycle(world.home, by=world["coordinator"], year=2026)
    review = factories.review(cycle, world.own, team=[world["partner_head"]], stage=Review.Stage.FINDINGS)
    factories.sef(world.own, by=world["head"], year=2026)
    _judge(review, {"inclusion": 2, "achievement": 3})
    page = client_get(world, "teacher", reverse("reviews:calibration_school", args=[world.own.slug]))
    assert 'id="calibration-chart"' in page and "Over-estimated" in page and "Under-estimated" in page
    assert "Expected standard" in page
    # The reviewer reads the school's calibration (they read its report), a partner's head does not.
    ReviewReport.objects.create(review=review)
    client_get(world, "partner_head", reverse("reviews:calibration_school", args=[world.own.slug]))


def test_the_partnership_view_includes_only_schools_sharing_both(world):
    third = member_school(world.home, name="Third Primary", slug="third-primary")
    fourth = member_school(world.home, name="Fourth Primary", slug="fourth-primary")
    member_school(world.home, name="Fifth Primary", slug="fifth-primary")  # never reviewed
    cycle = factories.cycle(world.home, by=world["coordinator"], year=2026)
    reviewer = world["outside_head"]
    shared = factories.review(cycle, world.own, team=[reviewer])
    factories.sef(world.own, by=world["head"], year=2026, sharing=Sharing.PARTNERSHIP)
    _judge(shared, {"inclusion": 2, "achievement": 3})
    _reported(shared)
    sef_private = factories.review(cycle, world.partner, team=[reviewer])
    factories.sef(world.partner, by=world["partner_head"], year=2026, sharing=Sharing.REVIEW_TEAM)
    _judge(sef_private, {"inclusion": 4})
    _reported(sef_private)
    report_private = factories.review(cycle, third, team=[reviewer])
    factories.sef(third, by=world["head"], year=2026, sharing=Sharing.PARTNERSHIP)
    _judge(report_private, {"inclusion": 4})
    _reported(report_private, sharing=Sharing.REVIEW_TEAM)
    draft = factories.review(cycle, fourth, team=[reviewer])
    factories.sef(fourth, by=world["head"], year=2026, sharing=Sharing.PARTNERSHIP)
    _reported(draft, status=ReviewReport.Status.DRAFT)

    found = ledger.partnership_calibration(world["coordinator"], world.home)
    assert [row.school for row in found.rows] == ["Own Primary"]
    assert found.schools_in == 1 and found.schools_left_out == 4
    assert found.reasons == {
        ledger.LEFT_OUT_SEF: 1,
        ledger.LEFT_OUT_REPORT: 2,
        "they have not been reviewed yet": 1,
    }
    [by_cycle] = found.by_cycle()
    assert (by_cycle["total"], by_cycle["under"], by_cycle["agree"]) == (2, 1, 1)  # inclusion: self 3, peer 2
    page = client_get(world, "adviser", reverse("reviews:calibration_partnership", args=[world.home.slug]))
    assert "4 schools left out" in page and "Partner Primary" not in page and "Own Primary" in page


def _head(school: Any, n: int) -> Any:
    return staff(school, Role.HEADTEACHER, email=f"head{n}@{school.slug}.test")


def test_reciprocity_by_hand(world):
    """A, B, C. Cycle 1: A is reviewed by B's and C's heads over 2 days; B by A's head in 1 day;
    C by A's and B's heads over 2 days. Days given: A 1 + 2 = 3, B 2 + 2 = 4, C 2. Received:
    A 2 x 2 = 4, B 1 x 1 = 1, C 2 x 2 = 4. Cycle 2: B is reviewed by C's head in 1 day."""
    a, b = world.own, world.partner
    c = member_school(world.home, name="Cedar Primary", slug="cedar")
    ha, hb, hc = world["head"], world["partner_head"], _head(c, 1)
    day = datetime.date(2031, 3, 3)
    one = factories.cycle(world.home, by=world["coordinator"], year=2030, name="Cycle one")
    factories.review(one, a, team=[hb, hc], visit_starts_on=day, visit_ends_on=day + datetime.timedelta(days=1))
    factories.review(one, b, team=[ha], visit_starts_on=day, visit_ends_on=day)
    factories.review(one, c, team=[ha, hb], visit_starts_on=day, visit_ends_on=day + datetime.timedelta(days=1))
    two = factories.cycle(world.home, by=world["coordinator"], year=2031, name="Cycle two")
    factories.review(two, b, team=[hc], visit_starts_on=day, visit_ends_on=day)
    # Another partnership's reviews are not in this ledger.
    elsewhere = factories.cycle(world.other, by=world["other_coordinator"], year=2030)
    factories.review(elsewhere, world.outside, team=[ha])

    found = ledger.reciprocity(world.home)
    totals = {row["school"]: (row["given"], row["received"], row["balance"]) for row in found.totals()}
    assert totals["Own Primary"] == (3, 4, -1)
    assert totals["Partner Primary"] == (4, 2, 2)
    assert totals["Cedar Primary"] == (3, 4, -1)
    names = [name for pk, name in found.schools]
    matrix = {row["school"]: dict(zip(names, row["cells"], strict=False)) for row in found.matrix()}
    assert matrix["Partner Primary"] == {"Cedar Primary": 1, "Own Primary": 1, "Partner Primary": 0}
    assert matrix["Cedar Primary"] == {"Cedar Primary": 0, "Own Primary": 1, "Partner Primary": 1}
    assert matrix["Own Primary"] == {"Cedar Primary": 1, "Own Primary": 0, "Partner Primary": 1}
    by_cycle = {(row[0], row[1]): row[2:] for row in found.by_cycle()}
    assert by_cycle[("Cycle one", "Own Primary")] == [3, 4, -1]
    assert by_cycle[("Cycle one", "Partner Primary")] == [4, 1, 3]
    assert by_cycle[("Cycle two", "Partner Primary")] == [0, 1, -1]
    assert by_cycle[("Cycle two", "Cedar Primary")] == [1, 0, 1]

    # The spreadsheet: two sheets with the same figures.
    from django.test import Client

    client = Client()
    client.force_login(world["coordinator"])
    response = client.get(reverse("reviews:ledger_export", args=[world.home.slug]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Who reviewed whom", "Days given and received"]
    pairs = [tuple(r) for r in book["Who reviewed whom"].iter_rows(min_row=2, values_only=True)]
    assert ("Cycle one", "2030/31", "Partner Primary", "Own Primary", 1, 2) in pairs
    assert ("Cycle two", "2031/32", "Cedar Primary", "Partner Primary", 1, 1) in pairs
    assert len(pairs) == 6
    days = [tuple(r) for r in book["Days given and received"].iter_rows(min_row=2, values_only=True)]
    assert ("Cycle one", "Partner Primary", 4, 1, 3) in days
    page = client.get(reverse("reviews:ledger_partnership", args=[world.home.slug])).content.decode()
    assert "Cedar Primary" in page and "Outside Primary" not in page


def test_advisers_places_count_under_no_school(world):
    cycle = factories.cycle(world.home, by=world["coordinator"], year=2030)
    day = datetime.date(2031, 3, 3)
    factories.review(cycle, world.own, team=[world["adviser"]], visit_starts_on=day, visit_ends_on=day)
    found = ledger.reciprocity(world.home)
    totals = {row["school"]: (row["given"], row["received"]) for row in found.totals()}
    assert totals[ledger.NO_SCHOOL] == (1, 0) and totals["Own Primary"] == (0, 1)
    assert TeamMember.objects.get().from_school_id is None


# --- Query counts -----------------------------------------------------------------------------------


def _grow(world: Any, n: int, start: int) -> None:
    """n more schools, each reviewed in each of two cycles by another's head, with a SEF and a
    final report both shared with the partnership."""
    for i in range(start, start + n):
        school = member_school(world.home, name=f"School {i}", slug=f"school-{i}")
        reviewer = _head(member_school(world.home, name=f"Reviewer school {i}", slug=f"reviewer-{i}"), i)
        for year in (2028, 2029):
            cycle = factories.cycle(world.home, by=world["coordinator"], year=year, name=f"Cycle {year} {i}")
            review = factories.review(cycle, school, team=[reviewer])
            factories.sef(school, by=reviewer, year=year, sharing=Sharing.PARTNERSHIP)
            _judge(review, {"inclusion": 2, "achievement": 4, "safeguarding": True})
            _reported(review)


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_calibration_and_ledger_pages_do_not_grow_with_schools_or_cycles(client, world):
    client.force_login(world["coordinator"])
    urls = [
        reverse("reviews:calibration_partnership", args=[world.home.slug]),
        reverse("reviews:ledger_partnership", args=[world.home.slug]),
        reverse("reviews:ledger_export", args=[world.home.slug]),
    ]
    _grow(world, 1, 0)
    small = [_count(client, url) for url in urls]
    _grow(world, 4, 1)
    large = [_count(client, url) for url in urls]
    assert small == large
    assert ledger.partnership_calibration(world["coordinator"], world.home).schools_in == 5


def test_the_school_calibration_page_does_not_grow_with_cycles(client, world):
    client.force_login(world["head"])
    url = reverse("reviews:calibration_school", args=[world.own.slug])

    def grow(years: range) -> None:
        for year in years:
            cycle = factories.cycle(world.home, by=world["coordinator"], year=year)
            review = factories.review(cycle, world.own, team=[world["partner_head"]], stage=Review.Stage.FINDINGS)
            factories.sef(world.own, by=world["head"], year=year)
            _judge(review, {"inclusion": 2, "achievement": 4})

    grow(range(2020, 2021))
    small = _count(client, url)
    grow(range(2021, 2025))
    assert _count(client, url) == small
