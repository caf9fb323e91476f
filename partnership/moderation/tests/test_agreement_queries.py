"""The agreement tables: figures equal scikit-learn's on the same judgements, grouped by school, year
group and subject, year by year; school names only for coordinators and advisers."""

from __future__ import annotations

import datetime

import pytest
from sklearn.metrics import cohen_kappa_score

from partnership.moderation import agreement_queries, samples
from partnership.moderation.tests import factories

pytestmark = pytest.mark.django_db

# (teacher, moderator) pairs: 8 in the older year, 6 in the newer
OLDER = [("EXS", "EXS"), ("GDS", "EXS"), ("WTS", "WTS"), ("EXS", "WTS"), ("GDS", "GDS"), ("EXS", "EXS"),
         ("WTS", "EXS"), ("EXS", "EXS")]  # fmt: skip
NEWER = [("EXS", "EXS"), ("GDS", "GDS"), ("WTS", "WTS"), ("EXS", "EXS"), ("GDS", "EXS"), ("EXS", "EXS")]


def _judged(w, pairs, *, year, school, teacher, moderator, year_group="6", subject="writing"):
    session = factories.session(
        w.home, host=w.partner, by=w["coordinator"], year_group=year_group, subject=subject,
        academic_year=year, date=datetime.date(year + 1, 3, 1),
    )  # fmt: skip
    for teacher_code, moderator_code in pairs:
        sample = factories.sample(session, school, by=teacher, judgement=teacher_code)
        samples.record_judgement(sample, actor=moderator, judgement=moderator_code)


def test_the_figures_are_scikit_learns_year_by_year(shared_world):
    w = shared_world
    _judged(w, OLDER, year=2024, school=w.own, teacher=w["teacher"], moderator=w["partner_teacher"])
    _judged(w, NEWER, year=2025, school=w.own, teacher=w["teacher"], moderator=w["partner_teacher"])
    table = agreement_queries.partnership_agreement(w["coordinator"], w.home, "school")
    assert table["years"] == ["2024/25", "2025/26"]
    own = next(line for line in table["lines"] if line.label == "Own Primary")
    for cell, pairs in zip(own.cells, (OLDER, NEWER), strict=True):
        teacher, moderator = zip(*pairs, strict=True)
        assert cell.n == len(pairs)
        assert cell.exact == pytest.approx(sum(t == m for t, m in pairs) / len(pairs))
        assert cell.kappa == pytest.approx(cohen_kappa_score(teacher, moderator), abs=1e-9)
    order = {"WTS": 0, "EXS": 1, "GDS": 2}
    assert own.cells[0].generous == pytest.approx(sum(order[t] > order[m] for t, m in OLDER) / len(OLDER))
    assert own.cells[0].harsh == pytest.approx(sum(order[t] < order[m] for t, m in OLDER) / len(OLDER))


def test_other_schools_are_pooled_for_school_staff(shared_world):
    w = shared_world
    _judged(w, OLDER, year=2025, school=w.own, teacher=w["teacher"], moderator=w["partner_teacher"])
    _judged(w, NEWER, year=2025, school=w.partner, teacher=w["partner_teacher"], moderator=w["teacher"])
    head = agreement_queries.partnership_agreement(w["head"], w.home, "school")
    assert [line.label for line in head["lines"]] == ["Own Primary", "Other schools", "All samples"]
    assert head["lines"][0].is_own and not head["named"]
    adviser = agreement_queries.partnership_agreement(w["adviser"], w.home, "school")
    assert [line.label for line in adviser["lines"]] == ["Own Primary", "Partner Primary", "All samples"]
    everyone = adviser["lines"][-1].cells[0]
    assert everyone.n == len(OLDER) + len(NEWER)


def test_by_year_group_and_subject_and_small_groups(shared_world):
    w = shared_world
    _judged(w, OLDER, year=2025, school=w.own, teacher=w["teacher"], moderator=w["partner_teacher"])
    _judged(w, [("EMG", "EXP"), ("EXP", "EXP")], year=2025, school=w.own, teacher=w["teacher"],
            moderator=w["partner_teacher"], year_group="R", subject="eyfs_literacy")  # fmt: skip
    by_year = agreement_queries.partnership_agreement(w["coordinator"], w.home, "year_group")
    assert [line.label for line in by_year["lines"]] == ["Reception", "Year 6", "All samples"]
    reception = by_year["lines"][0].cells[0]
    assert reception.n == 2 and reception.too_few and reception.words == "no data"
    by_subject = agreement_queries.school_agreement(w.own, "subject")
    assert {line.label for line in by_subject["lines"]} == {"EYFS: literacy", "Writing", "All samples"}
    rows = agreement_queries.chart_rows(by_subject)
    assert {"series": "EYFS: literacy", "year": 2025, "value": None} in rows
